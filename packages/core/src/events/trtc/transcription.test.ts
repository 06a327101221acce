import { describe, expect, it } from 'vitest';
import { body, receive, SDK_APP_ID } from '../../../test/support/trtc-fixtures.js';

const TASK = '-nHwXIdU7jx6C00Nt8Vr+3h4GwYdP7zbeHi9L4K-4pycoZWQndibqFeEaV4LvjFqSuQvaAkrNQE.';

describe('TRTC AI transcription events (group 14)', () => {
  it.each([
    ['trtc.transcription.started', 1401, 1687770730157, 'started', { Status: 0 }],
    ['trtc.transcription.stopped', 1402, 1687774330157, 'stopped', {}],
    ['trtc.transcription.sentence', 1403, 1687770740157, 'recognised a sentence', {}],
    ['trtc.transcription.translation', 1404, 1687770740957, 'translated a sentence', {}],
  ] as const)('reads %s (%i) with its payload kept whole', (type, eventType, ms, what, payload) => {
    const event = receive(type, body(type, 'built-from-doc'));
    expect(event.source).toBe(`trtc:14:${eventType}`);
    expect(event.data).toEqual({ RoomId: '1234', TaskId: TASK, EventMsTs: ms, Payload: payload });
    expect(event.subject).toEqual({ roomId: '1234', taskId: TASK, sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(ms);
    expect(event.dedupeKey).toBe(`${type}:14|${eventType}|${TASK}|1234||${ms}|`);
    expect(event.summary).toBe(`transcription task ${TASK} in room 1234 ${what}`);
  });
});

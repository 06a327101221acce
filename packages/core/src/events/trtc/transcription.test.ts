import { samplesOf, signRequest, TEST_KEYS } from '@livehooks/fixtures';
import { describe, expect, it } from 'vitest';
import { parseCallback } from '../../parse/parse-callback.js';
import type { EventOf, EventType } from '../index.js';

const RECEIVED_AT = Date.UTC(2025, 0, 6, 15, 0, 0);
const SDK_APP_ID = TEST_KEYS.trtc.sdkAppId;

/** A fixture body byte for byte. */
function body(type: EventType, name: string): string {
  const found = samplesOf(type).find((sample) => sample.name === name);
  if (!found) throw new Error(`no sample ${type}/${name}`);
  return found.body;
}

/** Receives a body as TRTC sends it, signed with the test key, and checks it parses cleanly to `type`. */
function receive<T extends EventType>(type: T, raw: string): EventOf<T> {
  const request = signRequest('trtc', raw);
  const event = parseCallback(request.body, request.headers, {
    trtc: { keys: { [SDK_APP_ID]: TEST_KEYS.trtc.key } },
    now: () => RECEIVED_AT,
  });
  expect(event.issues).toBeUndefined();
  expect(event.type).toBe(type);
  return event as EventOf<T>;
}

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

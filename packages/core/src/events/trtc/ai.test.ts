import { describe, expect, it } from 'vitest';
import { body, receive, SDK_APP_ID } from '../../../test/support/trtc-fixtures.js';

const TASK = 'hKPD2Q7kBVzu-6ezFiqmcEBJQCykqbZrS9OOTE46uYlb4NvQDIaEXlpOlLXFtGBiado5oP0zfLDZs';

describe('TRTC AI service events (group 9)', () => {
  it.each([
    ['trtc.ai.started', 901, 1687770730157, 'started', { Status: 0 }],
    ['trtc.ai.stopped', 902, 1687771330157, 'stopped', {}],
    ['trtc.ai.sentence', 903, 1687770745157, 'sent a full sentence', {}],
    ['trtc.ai.speech_started', 904, 1687770743157, 'heard the start of a sentence', {}],
  ] as const)('reads %s (%i) with its payload kept whole', (type, eventType, ms, what, payload) => {
    const event = receive(type, body(type, 'built-from-doc'));
    expect(event.source).toBe(`trtc:9:${eventType}`);
    expect(event.data).toEqual({ RoomId: '1234', TaskId: TASK, EventMsTs: ms, Payload: payload });
    expect(event.subject).toEqual({ roomId: '1234', taskId: TASK, sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(ms);
    expect(event.dedupeKey).toBe(`${type}:9|${eventType}|${TASK}|1234||${ms}|`);
    expect(event.summary).toBe(`AI task ${TASK} in room 1234 ${what}`);
  });

  it('keeps fields the catalog does not type, such as RoomIdType, in the payload', () => {
    const event = receive('trtc.ai.started', body('trtc.ai.started', 'built-from-doc'));
    expect((event.payload.EventInfo as Record<string, unknown>).RoomIdType).toBe(0);
  });

  it('reads a sentence whose payload carries fields of its own', () => {
    const raw = JSON.stringify({
      EventGroupId: 9,
      EventType: 903,
      CallbackTs: 1687770745166,
      EventInfo: { EventMsTs: '1687770745157', TaskId: 't9', Payload: { Text: 'hello', Nested: { a: 1 } } },
    });
    const event = receive('trtc.ai.sentence', raw);
    expect(event.data.Payload).toEqual({ Text: 'hello', Nested: { a: 1 } });
    expect(event.occurredAt).toBe(1687770745157);
    expect(event.summary).toBe('AI task t9 sent a full sentence');
  });
});

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

describe('trtc.conversation.event (1501)', () => {
  it('reads the generic AI conversation 2.0 body, deduped by task, type and event time', () => {
    const event = receive('trtc.conversation.event', body('trtc.conversation.event', 'built-from-doc'));
    expect(event.data).toEqual({
      RoomId: 'room-user123',
      TaskId: 'task-88a1b2c3',
      EventMsTs: 1751196050080,
      Payload: {},
    });
    expect(event.subject).toEqual({ roomId: 'room-user123', taskId: 'task-88a1b2c3', sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1751196050080);
    expect(event.dedupeKey).toBe(
      'trtc.conversation.event:15|1501|task-88a1b2c3|room-user123||1751196050080|',
    );
    expect(event.summary).toBe('AI conversation task task-88a1b2c3 in room room-user123 sent event 1501');
  });

  it('stores a group 15 type PROTOCOL.md does not name as trtc.unknown', () => {
    const raw = body('trtc.conversation.event', 'built-from-doc').replace('1501', '1502');
    const event = receive('trtc.unknown', raw);
    expect(event.source).toBe('trtc:15:1502');
  });
});

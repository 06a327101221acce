import { describe, expect, it } from 'vitest';
import { body, receive, SDK_APP_ID } from '../../../test/support/trtc-fixtures.js';

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

  it('stores a group 15 type other than 1501 as trtc.unknown', () => {
    const raw = body('trtc.conversation.event', 'built-from-doc').replace('1501', '1502');
    const event = receive('trtc.unknown', raw);
    expect(event.source).toBe('trtc:15:1502');
  });
});

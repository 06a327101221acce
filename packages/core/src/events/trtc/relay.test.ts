import { loadInvalidSamples, signRequest, TEST_KEYS } from '@livehooks/fixtures';
import { describe, expect, it } from 'vitest';
import { LivehooksError } from '../../errors/livehooks-error.js';
import { parseCallback } from '../../parse/parse-callback.js';
import { describeRelayStatus } from './relay.js';
import { body, receive, SDK_APP_ID } from '../../../test/support/trtc-fixtures.js';

describe('trtc.relay.status (401)', () => {
  it('reads the corrected doc sample, dating it from the EventTsMs its doc spells', () => {
    const event = receive('trtc.relay.status', body('trtc.relay.status', 'doc-sample-corrected'));
    expect(event.data).toEqual({
      RoomId: 'xx',
      UserId: 'xx',
      TaskId: 'xx',
      EventMsTs: 1622186275913,
      RoomType: 1,
      Url: 'rtmp://tencent-url/xxxx',
      Status: 2,
      status: 'running',
      ErrorCode: undefined,
      ErrorMsg: undefined,
    });
    expect(event.subject).toEqual({ roomId: 'xx', taskId: 'xx', userId: 'xx', sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1622186275913);
    expect(event.dedupeKey).toBe('trtc.relay.status:4|401|xx|xx|xx|||1622186275913|2');
    expect(event.summary).toBe('relay task xx in room xx to rtmp://tencent-url/xxxx: running');
  });

  it('refuses the verbatim doc sample, which is not JSON', () => {
    const sample = loadInvalidSamples().find((invalid) => invalid.name === 'trtc-401-doc-invalid-json');
    expect(sample?.code).toBe('LH_ERR_INVALID_JSON');
    const request = signRequest('trtc', sample?.body ?? '');
    let error: unknown;
    try {
      parseCallback(request.body, request.headers, { trtc: { keys: { [SDK_APP_ID]: TEST_KEYS.trtc.key } } });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LivehooksError);
    expect((error as LivehooksError).code).toBe('LH_ERR_INVALID_JSON');
  });

  it('reads a failure in a numeric room with its error', () => {
    const event = receive('trtc.relay.status', body('trtc.relay.status', 'failed-numeric-room'));
    expect(event.data).toMatchObject({
      RoomId: '12345',
      RoomType: 0,
      EventMsTs: 1700000200498,
      Status: 4,
      status: 'failed',
      ErrorCode: -1,
      ErrorMsg: 'connect cdn failed',
    });
    expect(event.occurredAt).toBe(1700000200498);
    expect(event.summary).toBe(
      'relay task -nHRjqhU7gTG0UIL-MquzG8D0Q+wehTbVTeeIIK-rO+8oZWQndibtueIpQ8A0F3n9PEVRk0rngE. in room 12345 to rtmp://push.example.com/live/room12345: failed (error -1: connect cdn failed)',
    );
  });

  it('tells apart two states of one task sent with the same EventTsMs', () => {
    const running = body('trtc.relay.status', 'doc-sample-corrected');
    const recovering = running.replace('"Status": 2', '"Status": 3');
    expect(receive('trtc.relay.status', recovering).data.status).toBe('recovering');
    expect(receive('trtc.relay.status', recovering).dedupeKey).not.toBe(
      receive('trtc.relay.status', running).dedupeKey,
    );
  });

  it('names every documented status and says which it does not know', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map(describeRelayStatus)).toEqual([
      'idle',
      'connecting',
      'running',
      'recovering',
      'failed',
      'disconnecting',
      'unknown status 6',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { LivehooksError } from '../../errors/livehooks-error.js';
import { parseCallback } from '../../parse/parse-callback.js';
import { signTrtc } from '../../signature/trtc-signature.js';
import { trtcMediaEvents } from './media.js';
import { body, receive, SDK_APP_ID } from '../../../test/support/trtc-fixtures.js';

/** The official test vector body, as Base64 (https://trtc.io/document/54912). */
const VECTOR_BASE64 =
  'ewoJIkV2ZW50R3JvdXBJZCI6CTIsCgkiRXZlbnRUeXBlIjoJMjA0LAoJIkNhbGxiYWNrVHMiOgkxNjY0MjA5NzQ4MTg4LAoJIkV2ZW50SW5mbyI6CXsKCQkiUm9vbUlkIjoJODQ4OSwKCQkiRXZlbnRUcyI6CTE2NjQyMDk3NDgsCgkJIkV2ZW50TXNUcyI6CTE2NjQyMDk3NDgxODAsCgkJIlVzZXJJZCI6CSJ1c2VyXzg1MDM0NjE0IiwKCQkiUmVhc29uIjoJMAoJfQp9';
const VECTOR_KEY = '123654';
const VECTOR_SIGN = 'kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=';

describe('TRTC media events (group 2)', () => {
  it.each([
    [
      'trtc.media.video_start',
      201,
      'video',
      'user test started video in room 12345',
      1687771803192,
      undefined,
    ],
    ['trtc.media.video_stop', 202, 'video', 'user test stopped video in room 12345', 1687771919447, 0],
    [
      'trtc.media.audio_start',
      203,
      'audio',
      'user test started audio in room 12345',
      1687771869365,
      undefined,
    ],
    ['trtc.media.audio_stop', 204, 'audio', 'user test stopped audio in room 12345', 1687770732383, 0],
    [
      'trtc.media.substream_start',
      205,
      'substream',
      'user test started the substream (screen sharing) in room 12345',
      1687772013753,
      undefined,
    ],
    [
      'trtc.media.substream_stop',
      206,
      'substream',
      'user test stopped the substream (screen sharing) in room 12345',
      1687772015032,
      0,
    ],
  ] as const)('reads the %s doc sample (%i)', (type, eventType, mediaType, summary, ms, reason) => {
    const event = receive(type, body(type, 'doc-sample'));
    expect(event.source).toBe(`trtc:2:${eventType}`);
    expect(event.data).toEqual({ RoomId: '12345', UserId: 'test', EventMsTs: ms, Reason: reason, mediaType });
    expect(event.subject).toEqual({ roomId: '12345', userId: 'test', sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(ms);
    expect(event.dedupeKey).toBe(`${type}:2|${eventType}||12345|test|${ms}||${Math.floor(ms / 1000)}`);
    expect(event.summary).toBe(summary);
  });

  it('lists 201 to 206 in order', () => {
    expect(trtcMediaEvents.map((event) => event.match.eventType)).toEqual([201, 202, 203, 204, 205, 206]);
  });

  it('reads a string RoomId and a string EventTs', () => {
    const event = receive('trtc.media.video_start', body('trtc.media.video_start', 'room-id-string'));
    expect(event.subject.roomId).toBe('live_room-01');
    expect(event.occurredAt).toBe(1700000010321);
    expect(event.summary).toBe('user host_9 started video in room live_room-01');
  });
});

describe('the official signature test vector (a 204)', () => {
  const vector = body('trtc.media.audio_stop', 'official-signature-vector');

  it('is stored byte for byte as the page gives it, 207 bytes', () => {
    expect(Buffer.from(vector, 'utf8').toString('base64')).toBe(VECTOR_BASE64);
    expect(Buffer.byteLength(vector)).toBe(207);
    expect(signTrtc(VECTOR_KEY, vector)).toBe(VECTOR_SIGN);
  });

  it("verifies with Tencent's own Sign header and reads as audio stopped", () => {
    const event = parseCallback(
      vector,
      { 'Content-Type': 'application/json', Sign: VECTOR_SIGN, SdkAppId: '1400000099' },
      { trtc: { keys: { '1400000099': VECTOR_KEY } } },
    );
    expect(event.type).toBe('trtc.media.audio_stop');
    expect(event.auth).toEqual({ method: 'trtc-hmac', keyId: 'trtc:1400000099', stale: false });
    expect(event.data).toEqual({
      RoomId: '8489',
      UserId: 'user_85034614',
      EventMsTs: 1664209748180,
      Reason: 0,
      mediaType: 'audio',
    });
    expect(event.subject).toEqual({ roomId: '8489', userId: 'user_85034614', sdkAppId: '1400000099' });
    expect(event.occurredAt).toBe(1664209748180);
    expect(event.summary).toBe('user user_85034614 stopped audio in room 8489');
  });

  it('refuses the same body re-serialised compactly under that Sign', () => {
    const compact = JSON.stringify(JSON.parse(vector));
    let error: unknown;
    try {
      parseCallback(
        compact,
        { Sign: VECTOR_SIGN, SdkAppId: '1400000099' },
        {
          trtc: { keys: { '1400000099': VECTOR_KEY } },
        },
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LivehooksError);
    expect((error as LivehooksError).code).toBe('LH_ERR_SIGNATURE_MISMATCH');
  });
});

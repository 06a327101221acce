import { describe, expect, it } from 'vitest';
import { samplesOf, signRequest, TEST_KEYS } from '@livehooks/fixtures';
import { LivehooksError } from '../../errors/livehooks-error.js';
import { parseCallback, type ParseOptions } from '../../parse/parse-callback.js';
import type { EventOf, EventType } from '../index.js';

const options: ParseOptions = { css: { keys: [TEST_KEYS.css], allowUnsigned: true } };

function bodyOf(type: string, name: string): string {
  const sample = samplesOf(type).find((candidate) => candidate.name === name);
  if (!sample) throw new Error(`no fixture ${type}/${name}`);
  return sample.body;
}

function parseAs<T extends EventType>(type: T, name: string, now?: number): EventOf<T> {
  const request = signRequest('css', bodyOf(type, name), now === undefined ? {} : { now });
  const event = parseCallback(request.body, request.headers, options);
  expect(event.issues).toBeUndefined();
  expect(event.type).toBe(type);
  return event as EventOf<T>;
}

describe('css.stream.push', () => {
  it('normalises the current doc sample', () => {
    const event = parseAs('css.stream.push', 'doc-sample');
    expect(event.source).toBe('css:1');
    expect(event.auth.method).toBe('css-md5');
    expect(event.data).toEqual({
      app: 'test.domain.com',
      appname: 'live',
      stream_id: 'test_stream',
      event_time: 1703731478,
      sequence: '2210464508206756938',
      node: '42.81.194.37',
      user_ip: '1.1.1.1',
      stream_param: 'stream_param=test',
      errcode: 0,
      errmsg: 'ok',
      set_id: 2,
      width: 0,
      height: 0,
      idc_id: 34,
      inChineseMainland: true,
    });
    expect(event.subject).toEqual({ appId: '12345678', streamId: 'test_stream' });
    expect(event.occurredAt).toBe(1703731478000);
    expect(event.dedupeKey).toBe('css.stream.push:1|test_stream|2210464508206756938');
    expect(event.summary).toBe('stream test_stream started pushing from 1.1.1.1 to test.domain.com/live');
  });

  it('trims the trailing space of app in the real 2017 capture', () => {
    const event = parseAs('css.stream.push', 'real-2017-capture');
    expect(event.data.app).toBe('txlivepush.xuedianyun.com');
    expect(event.payload.app).toBe('txlivepush.xuedianyun.com ');
    expect(event.data.width).toBeUndefined();
    expect(event.subject).toEqual({
      appId: '1251457656',
      streamId: 'marketflashtest_1966232762_user_627052_983041_1506308668',
    });
    expect(event.occurredAt).toBe(1506308670000);
  });

  it('reads numbers sent as strings and tells a push from outside the mainland', () => {
    const event = parseAs('css.stream.push', 'variant-string-numbers');
    expect(event.data).toMatchObject({
      event_time: 1703731478,
      errcode: 0,
      set_id: 8,
      width: 1280,
      height: 720,
      idc_id: 34,
      inChineseMainland: false,
    });
    expect(event.subject.appId).toBe('12345678');
    expect(event.summary).toBe(
      'stream test_stream started pushing from 1.1.1.1 to test.domain.com/live at 1280x720',
    );
  });

  it('names the stream by stream_id when a TRTC-bypassed stream has another channel_id', () => {
    const event = parseAs('css.stream.push', 'variant-trtc-bypass-stream-id-differs');
    expect(event.payload.channel_id).toBe('1400000001_20015_user1_main');
    expect(event.data.stream_id).toBe('trtc_20015_user1');
    expect(event.subject).toEqual({ appId: '12345678', streamId: 'trtc_20015_user1' });
    expect(event.dedupeKey).toBe('css.stream.push:1|trtc_20015_user1|2210464508206757320');
    expect(event.summary.startsWith('stream trtc_20015_user1 started pushing')).toBe(true);
  });
});

describe('css.stream.disconnect', () => {
  it('explains the doc sample and reads push_duration as milliseconds', () => {
    const event = parseAs('css.stream.disconnect', 'doc-sample');
    expect(event.source).toBe('css:0');
    expect(event.data).toMatchObject({
      stream_id: 'test_stream',
      sequence: '2210464508206756938',
      errcode: 1,
      errmsg: 'The push client actively stopped the push',
      push_duration: 128581,
      reason: 'push client actively stopped',
      reasonCategory: 'client',
    });
    expect(event.subject).toEqual({ appId: '12345678', streamId: 'test_stream' });
    expect(event.occurredAt).toBe(1703731606000);
    expect(event.dedupeKey).toBe('css.stream.disconnect:0|test_stream|2210464508206756938');
    expect(event.summary).toBe(
      'stream test_stream disconnected after 2 min 8 s: push client actively stopped (errcode 1)',
    );
  });

  it('shares the push session sequence with its push', () => {
    const push = parseAs('css.stream.push', 'doc-sample');
    const disconnect = parseAs('css.stream.disconnect', 'doc-sample');
    expect(disconnect.data.sequence).toBe(push.data.sequence);
    expect(disconnect.dedupeKey).not.toBe(push.dedupeKey);
  });

  it('gives a retry signed later the same dedupe key', () => {
    const first = parseAs('css.stream.disconnect', 'doc-sample', 1_703_731_606_000);
    const retry = parseAs('css.stream.disconnect', 'doc-sample', 1_703_731_666_000);
    expect(retry.payload.t).not.toBe(first.payload.t);
    expect(retry.dedupeKey).toBe(first.dedupeKey);
  });

  it('explains errcode 18 / sub_errcode 503 as a failed push authentication', () => {
    const event = parseAs('css.stream.disconnect', 'variant-auth-failed-18-503');
    expect(event.data).toMatchObject({
      errcode: 18,
      sub_errcode: 503,
      push_duration: 0,
      reason: 'push authentication failed (txSecret check failed)',
      reasonCategory: 'authentication',
    });
    expect(event.summary).toBe(
      'stream test_stream disconnected after 0 ms: push authentication failed (txSecret check failed) (errcode 18, sub_errcode 503)',
    );
  });

  it('explains errcode 21 / sub_errcode 101 as a ForbidLiveStream request', () => {
    const event = parseAs('css.stream.disconnect', 'variant-forbid-21-101');
    expect(event.data.reason).toBe('ForbidLiveStream request by the customer');
    expect(event.data.reasonCategory).toBe('customer');
    expect(event.summary).toBe(
      'stream test_stream disconnected after 1 h 2 min 5 s: ForbidLiveStream request by the customer (errcode 21, sub_errcode 101)',
    );
  });

  it('calls an errcode missing from the table unknown', () => {
    const event = parseAs('css.stream.disconnect', 'variant-unknown-errcode');
    expect(event.data).toMatchObject({ errcode: 99, reason: 'unknown', reasonCategory: 'unknown' });
    expect(event.summary).toBe('stream test_stream disconnected after 850 ms: unknown (errcode 99)');
  });

  it('reads ids and durations sent as numbers, and errcodes sent as strings', () => {
    const event = parseAs('css.stream.disconnect', 'variant-number-ids');
    expect(event.data).toMatchObject({
      app: 'test.domain.com',
      stream_id: '20240101',
      sequence: '123456789',
      errcode: 12,
      push_duration: 61000,
      reason: 'push link network abnormal',
    });
    expect(event.subject).toEqual({ appId: '12345678', streamId: '20240101' });
    expect(event.dedupeKey).toBe('css.stream.disconnect:0|20240101|123456789');
    expect(event.occurredAt).toBe(1703731606000);
  });

  it('parses the 2017 capture, which carries no push_duration', () => {
    const event = parseAs('css.stream.disconnect', 'real-2017-capture-completed');
    expect(event.data).toMatchObject({
      app: 'txlivepush.xuedianyun.com',
      errcode: 2,
      errmsg: 'recv rtmpcloseStream',
      push_duration: undefined,
      reason: 'push client actively stopped',
    });
    expect(event.summary).toBe(
      'stream marketflashtest_1966232762_user_627052_983041_1506308688 disconnected: push client actively stopped (errcode 2)',
    );
  });

  it('refuses a disconnect whose sign was made with another key', () => {
    const request = signRequest('css', bodyOf('css.stream.disconnect', 'doc-sample'), {
      cssKey: 'another-key',
    });
    let error: unknown;
    try {
      parseCallback(request.body, request.headers, options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LivehooksError);
    expect((error as LivehooksError).code).toBe('LH_ERR_SIGNATURE_MISMATCH');
  });
});

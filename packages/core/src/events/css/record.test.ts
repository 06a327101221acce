import { describe, expect, it } from 'vitest';
import { signRequest } from '@livehooks/fixtures';
import { parseCallback } from '../../parse/parse-callback.js';
import { codeOfInvalid, options, parseAs } from '../../../test/support/css-fixtures.js';

describe('css.record.file', () => {
  it('parses callback_ext into callbackExt and keeps the original text', () => {
    const event = parseAs('css.record.file', 'doc-sample');
    expect(event.source).toBe('css:100');
    expect(event.data).toMatchObject({
      app: 'yourapp',
      appname: 'yourappname',
      stream_id: 'stream_test',
      file_id: '1234567890',
      record_file_id: '1234567890',
      file_format: 'hls',
      start_time: 1642089445,
      end_time: 1642089598,
      duration: 154,
      file_size: 277941079,
      media_start_time: 135802,
      record_bps: 0,
      callback_ext: '{"video_codec":"h264","resolution":"640x480"}',
      callbackExt: { video_codec: 'h264', resolution: '640x480' },
    });
    expect(event.subject).toEqual({
      appId: '12345678',
      streamId: 'stream_test',
      taskId: 'UpTbk5RSVhRQ********************0xTSlNTQltlRVRLU1JAWW9EUb',
    });
    expect(event.occurredAt).toBe(1642089598618);
    expect(event.dedupeKey).toBe('css.record.file:stream_test|1234567890|1642089598');
    expect(event.summary).toBe(
      'stream stream_test recording file 1234567890 ready (hls, 2 min 34 s, 265.1 MiB): http://12345678.vod2.myqcloud.com/xxxx/yyyy/zzzz.m3u8',
    );
  });

  it('refuses the 2018 doc sample verbatim (unquoted yourapp) and parses its corrected copy', () => {
    expect(codeOfInvalid('css-100-doc-2018-unquoted-app')).toBe('LH_ERR_INVALID_JSON');
    const event = parseAs('css.record.file', 'doc-sample-2018-corrected');
    expect(event.data).toMatchObject({ app: 'yourapp', appname: 'yourappname', duration: 2962 });
    expect(event.data.callbackExt).toBeUndefined();
    expect(event.occurredAt).toBe(1545049971000);
  });

  it('trims the trailing space of video_url in the real 2017 capture', () => {
    const event = parseAs('css.record.file', 'real-2017-capture');
    expect(event.data.video_url).toBe(
      'http://1251457656.vod2.myqcloud.com/9425a3e9vodgzp1251457656/6367ba459031868223267109922/playlist.m3u8',
    );
    expect(event.data).toMatchObject({
      video_id: '5158_e9a44513cce1471790f8b0c50c983ccc',
      task_id: '479501701',
    });
    expect(event.subject.taskId).toBe('479501701');
    expect(event.summary).toBe(
      'stream marketflashtest_1966232762_user_627052_983041_1506308688 recording file 9031868223267109922 ready (hls, 1 min 3 s, 1.3 KiB): http://1251457656.vod2.myqcloud.com/9425a3e9vodgzp1251457656/6367ba459031868223267109922/playlist.m3u8',
    );
  });

  it('reads the session id inside callback_ext and trims app', () => {
    const event = parseAs('css.record.file', 'variant-cos-session-id');
    expect(event.data.callbackExt).toEqual({
      video_codec: 'h265',
      session_id: '1820625260475100001',
      resolution: '1920x1080',
    });
    expect(event.data.app).toBe('123456.push.tlivecloud.com');
    expect(event.data.record_temp_id).toBe('1569000');
    expect(event.occurredAt).toBe(1743484153809);
  });

  it('reads numeric strings and numeric ids, and keeps a callback_ext that is not JSON without parsing it', () => {
    const event = parseAs('css.record.file', 'variant-string-numbers');
    expect(event.data).toMatchObject({
      file_id: '1234567890',
      start_time: 1642089445,
      duration: 154,
      file_size: 277941079,
      callback_ext: 'not json at all',
      callbackExt: undefined,
    });
    expect(event.subject).toEqual({ appId: '12345678', streamId: 'stream_test' });
  });
});

describe('css.record.status', () => {
  it('parses record_detail and reads its codes into words', () => {
    const event = parseAs('css.record.status', 'doc-sample');
    expect(event.source).toBe('css:332');
    expect(event.data).toMatchObject({
      appname: 'live',
      domain: '****.livepush.myqcloud.com',
      stream_id: '2991615887188599295',
      event_time: 1700207929,
      record_event: 'record_ended',
      record_detail:
        '{"file_format":2,"record_bps":0,"start_model":1,"record_content":1,"source_type":2,"codec_temp_id":0}',
      recordDetail: {
        file_format: 2,
        record_bps: 0,
        start_model: 1,
        record_content: 1,
        source_type: 2,
        codec_temp_id: 0,
      },
      fileFormat: 'hls',
      startModel: 'recording template',
      recordContent: 'original',
      sourceType: 'relay',
      seq: '3266441426274648065',
      session_id: '2918085116267032069',
    });
    expect(event.subject).toEqual({ appId: '123456789', streamId: '2991615887188599295' });
    expect(event.occurredAt).toBe(1700207929000);
    expect(event.dedupeKey).toBe(
      'css.record.status:2991615887188599295|2918085116267032069|record_ended|3266441426274648065',
    );
    expect(event.summary).toBe(
      'stream 2991615887188599295 recording session 2918085116267032069 ended (hls, relay recording)',
    );
  });

  it('reads numeric seq and session ids as strings and names the task', () => {
    const event = parseAs('css.record.status', 'variant-start-failed-number-ids');
    expect(event.data).toMatchObject({
      seq: '17',
      session_id: '2918085116',
      fileFormat: 'mp4',
      startModel: 'API call',
      recordContent: 'transcoded',
      sourceType: 'live',
    });
    expect(event.subject.taskId).toBe('UpTbk5RSVhRQ0xTSlNTQltlRVRLU1JAWW9EUb');
    expect(event.summary).toBe(
      'stream lesson_7 recording session 2918085116 failed to start (mp4, live recording)',
    );
  });

  it('downgrades a status callback without record_event to css.unknown with an issue', () => {
    const request = signRequest('css', JSON.stringify({ event_type: 332, stream_id: 's', t: 1, sign: 'x' }));
    const event = parseCallback(request.body, request.headers, options);
    expect(event.type).toBe('css.unknown');
    expect(event.issues?.map((issue) => issue.path)).toContain('record_event');
  });

  it('never reads a record_event word as something every object inherits', () => {
    for (const word of ['constructor', 'toString', '__proto__']) {
      const request = signRequest(
        'css',
        JSON.stringify({ event_type: 332, stream_id: 's', record_event: word, t: 1, sign: 'x' }),
      );
      const event = parseCallback(request.body, request.headers, options);
      expect(event.type).toBe('css.record.status');
      expect(event.summary).toBe(`stream s recording ${word}`);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { parseCallback } from '../../parse/parse-callback.js';
import { options, parseAs } from '../../../test/support/css-fixtures.js';

describe('css.relay', () => {
  it('parses msg and source_urls of a TaskStart and carries no signature', () => {
    const event = parseAs('css.relay', 'doc-task-start');
    expect(event.source).toBe('css:314');
    expect(event.auth.method).toBe('unsigned');
    expect(event.data).toMatchObject({
      callback_event: 'TaskStart',
      task_id: '118148',
      stream_id: 'testvod',
      to_url: 'rtmp://5000.livepush.myqcloud.com/live/testvod',
      msg: '{"task_start_time":0}',
      source_urls: '["http://yourURL.cn/live/normal_230753472*****21162358-upload-45eb/playlist.m3u8"]\n',
      sourceUrls: ['http://yourURL.cn/live/normal_230753472*****21162358-upload-45eb/playlist.m3u8'],
      details: { task_start_time: 0 },
      product_name: 'pullpush',
    });
    expect(event.subject).toEqual({ appId: '4', streamId: 'testvod', taskId: '118148' });
    // No event_time and a zero task_start_time: the receipt time stands in.
    expect(event.occurredAt).toBe(event.receivedAt);
    expect(event.dedupeKey).toBe('css.relay:118148|TaskStart||{"task_start_time":0}');
    expect(event.summary).toBe(
      'relay task 118148 started: http://yourURL.cn/live/normal_230753472*****21162358-upload-45eb/playlist.m3u8 → rtmp://5000.livepush.myqcloud.com/live/testvod',
    );
  });

  it('describes the start and finish of an on-demand source file', () => {
    const start = parseAs('css.relay', 'doc-vod-source-file-start');
    expect(start.data.details).toEqual({
      url: 'http://remit-tx-ugcpub.douyucdn2.cn/live/normal_466247620*****3100448-upload-216b/playlist.m3u8',
      index: 0,
      duration: 14920,
    });
    expect(start.summary).toBe(
      'relay task 118145 started source file #0 (4 h 8 min 40 s) http://remit-tx-ugcpub.douyucdn2.cn/live/normal_466247620*****3100448-upload-216b/playlist.m3u8',
    );
    const finish = parseAs('css.relay', 'doc-vod-source-file-finish');
    expect(finish.data.callback_url).toBe('http://you.callback.url');
    expect(finish.dedupeKey).not.toBe(start.dedupeKey);
    expect(finish.summary.startsWith('relay task 118145 finished source file #0 (4 h 8 min 40 s)')).toBe(
      true,
    );
  });

  it('reads the exit code and message of a TaskExit that names no task', () => {
    const event = parseAs('css.relay', 'doc-task-exit');
    expect(event.data.details).toEqual({ message: 'write packet error.', code: -22, task_exit_time: 0 });
    expect(event.data.task_id).toBeUndefined();
    expect(event.subject).toEqual({ appId: '4' });
    expect(event.summary).toBe('relay task ? exited (write packet error., code -22)');
  });

  it('reads a TaskAlarm with its alarm type and a string event_time in seconds', () => {
    const event = parseAs('css.relay', 'built-from-table-task-alarm');
    expect(event.data.event_time).toBe(1712893433);
    expect(event.data.details?.type).toBe('PushStreamUnstable');
    expect(event.data.sourceUrls).toHaveLength(3);
    expect(event.occurredAt).toBe(1712893433000);
    expect(event.dedupeKey.startsWith('css.relay:406231|TaskAlarm|1712893433|')).toBe(true);
    expect(event.summary).toBe(
      'relay task 406231 raised alarm PushStreamUnstable: push stream unstable, retrying',
    );
  });

  it('accepts msg and source_urls already parsed, a numeric task_id and the appId spelling', () => {
    const event = parseAs('css.relay', 'variant-number-ids-event-time');
    expect(event.data).toMatchObject({
      task_id: '406231',
      to_url: 'rtmp://push.example.com/live/channel_24x7',
      msg: '{"message":"source unavailable","code":"-5","task_exit_time":1712897033512}',
      sourceUrls: ['http://source.example.com/live/main.flv'],
      details: { message: 'source unavailable', code: -5, task_exit_time: 1712897033512 },
    });
    expect(event.subject).toEqual({ appId: '1250000000', streamId: 'channel_24x7', taskId: '406231' });
    expect(event.occurredAt).toBe(1712897033000);
    expect(event.summary).toBe('relay task 406231 exited (source unavailable, code -5)');
  });

  it('keeps apart two tasks that exit with the same msg and name no task, yet knows a retry', () => {
    const exit = (source: string) =>
      JSON.stringify({
        appid: 4,
        callback_event: 'TaskExit',
        event_type: 314,
        interface: 'general_callback',
        msg: '{"message":"write packet error.","code":-22,"task_exit_time":0}',
        product_name: 'pullpush',
        source_urls: JSON.stringify([source]),
      });
    const parse = (body: string) => parseCallback(body, {}, options);
    const first = parse(exit('http://a.example.com/live/one.m3u8'));
    const second = parse(exit('http://a.example.com/live/two.m3u8'));
    expect(first.type).toBe('css.relay');
    expect(second.dedupeKey).not.toBe(first.dedupeKey);
    expect(parse(exit('http://a.example.com/live/one.m3u8')).dedupeKey).toBe(first.dedupeKey);
    expect(first.dedupeKey).toMatch(/^css\.relay:sha256:[0-9a-f]{64}$/);
  });
});

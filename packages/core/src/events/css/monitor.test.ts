import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LivehooksError } from '../../errors/livehooks-error.js';
import { parseCallback, type ParseOptions } from '../../parse/parse-callback.js';

const SAMPLES = new URL('../../../../fixtures/samples/', import.meta.url);
const RECEIVED_AT = 1_678_090_000_000;
// 328 carries no t/sign (https://cloud.tencent.com/document/product/267/88050): the receiver must allow
// unsigned CSS callbacks.
const options: ParseOptions = { css: { keys: ['css-key'], allowUnsigned: true }, now: () => RECEIVED_AT };

function sample(type: string, name: string): string {
  return readFileSync(new URL(`${type}/${name}.json`, SAMPLES), 'utf8');
}

function parseSample(type: string, name: string) {
  return parseCallback(sample(type, name), { 'content-type': 'application/json' }, options);
}

function body(fields: Record<string, unknown>): string {
  return JSON.stringify({
    appid: 251000000,
    bizid: 29900,
    event_type: 328,
    interface: 'general_callback',
    ...fields,
  });
}

describe('css.monitor.* from the fixtures', () => {
  it('reads the StreamBroken doc sample', () => {
    const event = parseSample('css.monitor.stream_broken', 'doc-sample-corrected');
    expect(event.type).toBe('css.monitor.stream_broken');
    expect(event.source).toBe('css:328');
    expect(event.auth).toEqual({ method: 'unsigned', stale: false });
    expect(event.data).toEqual({
      appid: '251000000',
      bizid: '29900',
      stream_id: 'test1',
      event_name: 'StreamBroken',
      event_time: 1678086930413,
      event_msg: 'stream [ test1 ] is broken',
      streamName: 'test1',
    });
    expect(event.subject).toEqual({ appId: '251000000', streamId: 'test1' });
    expect(event.occurredAt).toBe(1678086930413);
    expect(event.dedupeKey).toBe('css.monitor.stream_broken:StreamBroken|test1|1678086930413');
    expect(event.summary).toBe('stream test1 is broken');
  });

  it('reads the StreamLowFramerate doc sample with its threshold', () => {
    const event = parseSample('css.monitor.low_framerate', 'doc-sample-corrected');
    expect(event.type).toBe('css.monitor.low_framerate');
    expect(event.data).toEqual({
      appid: '251000000',
      bizid: '29900',
      stream_id: 'test1',
      event_name: 'StreamLowFramerate',
      event_time: 1678089053008,
      event_msg: 'stream [ test1 ] frame rate is less than 10 fps',
      streamName: 'test1',
      fpsThreshold: 10,
    });
    expect(event.occurredAt).toBe(1678089053008);
    expect(event.dedupeKey).toBe('css.monitor.low_framerate:StreamLowFramerate|test1|1678089053008');
    expect(event.summary).toBe('stream test1 frame rate below 10 fps');
  });

  it('reads the OcrFullText doc sample with its text box and text', () => {
    const event = parseSample('css.monitor.ocr', 'doc-sample-corrected');
    expect(event.type).toBe('css.monitor.ocr');
    expect(event.data).toEqual({
      appid: '251000000',
      bizid: '29900',
      stream_id: 'test1',
      event_name: 'OcrFullText',
      event_time: 1678086955691,
      event_msg: 'stream [ test1 ] callback message: {AreaCoordSet:[42,325,101,336], Text:新闻联播}',
      streamName: 'test1',
      AreaCoordSet: [42, 325, 101, 336],
      Text: '新闻联播',
    });
    expect(event.subject).toEqual({ appId: '251000000', streamId: 'test1' });
    expect(event.dedupeKey).toBe('css.monitor.ocr:OcrFullText|test1|1678086955691');
    expect(event.summary).toBe('stream test1 OCR: 新闻联播');
  });

  it('reads the AsrFullText doc sample with its time span in seconds and text', () => {
    const event = parseSample('css.monitor.asr', 'doc-sample-corrected');
    expect(event.type).toBe('css.monitor.asr');
    expect(event.data).toEqual({
      appid: '251000000',
      bizid: '29900',
      stream_id: 'test1',
      event_name: 'AsrFullText',
      event_time: 1678089018193,
      event_msg:
        'stream [ test1 ] callback message: {StartPtsTime:4.783, EndPtsTime:24.063, Text:中方共同努力}',
      streamName: 'test1',
      StartPtsTime: 4.783,
      EndPtsTime: 24.063,
      Text: '中方共同努力',
    });
    expect(event.occurredAt).toBe(1678089018193);
    expect(event.dedupeKey).toBe('css.monitor.asr:AsrFullText|test1|1678089018193');
    expect(event.summary).toBe('stream test1 ASR 4.783-24.063 s: 中方共同努力');
  });

  it('keeps punctuation and Chinese inside the ASR text', () => {
    const event = parseSample('css.monitor.asr', 'text-with-punctuation');
    expect(event.type).toBe('css.monitor.asr');
    if (event.type !== 'css.monitor.asr') return;
    expect(event.data.Text).toBe('主持人说：{欢迎}, [掌声], key: value, 好');
    expect(event.data.StartPtsTime).toBe(30.5);
    expect(event.data.EndPtsTime).toBe(36.25);
    expect(event.summary).toBe('stream test1 ASR 30.5-36.25 s: 主持人说：{欢迎}, [掌声], key: value, 好');
  });

  it('reads ids and the event time sent as numeric strings', () => {
    const event = parseSample('css.monitor.asr', 'numeric-strings');
    expect(event.subject).toEqual({ appId: '251000000', streamId: 'news-2' });
    expect(event.occurredAt).toBe(1678089040002);
    expect(event.data).toMatchObject({
      bizid: '29900',
      event_time: 1678089040002,
      StartPtsTime: 0,
      Text: '大家好',
    });
    expect(event.dedupeKey).toBe('css.monitor.asr:AsrFullText|news-2|1678089040002');
  });

  it('keeps braces inside the OCR text', () => {
    const event = parseSample('css.monitor.ocr', 'text-with-braces');
    expect(event.data).toMatchObject({ AreaCoordSet: [0, 0, 640, 48], Text: '比分 {3:1}, 第[2]节, 下半场' });
    expect(event.summary).toBe('stream test1 OCR: 比分 {3:1}, 第[2]节, 下半场');
  });

  it('keeps an OCR message it cannot parse verbatim, without structured fields', () => {
    const event = parseSample('css.monitor.ocr', 'unparseable-message');
    expect(event.type).toBe('css.monitor.ocr');
    expect(event.issues).toBeUndefined();
    expect(event.data).toEqual({
      appid: '251000000',
      bizid: '29900',
      stream_id: 'test1',
      event_name: 'OcrFullText',
      event_time: 1678086970000,
      event_msg: 'stream [ test1 ] callback message: text recognition unavailable',
      streamName: 'test1',
    });
    expect(event.summary).toBe(
      'stream test1 OCR: stream [ test1 ] callback message: text recognition unavailable',
    );
  });

  it('types an event_name it does not know as css.monitor.other', () => {
    const event = parseSample('css.monitor.other', 'video-resolution-changed');
    expect(event.type).toBe('css.monitor.other');
    expect(event.data).toEqual({
      appid: '251000000',
      bizid: '29900',
      stream_id: 'test1',
      event_name: 'VideoResolutionChanged',
      event_time: 1678089100000,
      event_msg: 'stream [ test1 ] video resolution changed from 1280x720 to 640x360',
      streamName: 'test1',
    });
    expect(event.occurredAt).toBe(1678089100000);
    expect(event.dedupeKey).toBe('css.monitor.other:VideoResolutionChanged|test1|1678089100000');
    expect(event.summary).toBe(
      'stream test1 VideoResolutionChanged: stream [ test1 ] video resolution changed from 1280x720 to 640x360',
    );
  });
});

describe('css.monitor.* edge cases', () => {
  it('types a 328 callback without event_name as css.monitor.other', () => {
    const event = parseCallback(body({ stream_id: 's1', event_time: 1 }), {}, options);
    expect(event.type).toBe('css.monitor.other');
    expect(event.summary).toBe('stream s1 monitoring event');
  });

  it('names the stream from event_msg when stream_id is missing', () => {
    const event = parseCallback(
      body({ event_name: 'StreamBroken', event_msg: 'stream [ lost ] is broken', event_time: 5 }),
      {},
      options,
    );
    expect(event.subject).toEqual({ appId: '251000000', streamId: 'lost' });
    expect(event.summary).toBe('stream lost is broken');
  });

  it('says the frame rate is low when the message names no threshold', () => {
    const event = parseCallback(
      body({ event_name: 'StreamLowFramerate', stream_id: 's1', event_msg: 'fps dropped', event_time: 5 }),
      {},
      options,
    );
    expect(event.type).toBe('css.monitor.low_framerate');
    expect(event.data).not.toHaveProperty('fpsThreshold');
    expect(event.summary).toBe('stream s1 frame rate is low');
  });

  it('gives a callback and its retry the same dedupe key, and another event time a different one', () => {
    const first = parseCallback(sample('css.monitor.stream_broken', 'doc-sample-corrected'), {}, options);
    const retry = parseCallback(sample('css.monitor.stream_broken', 'doc-sample-corrected'), {}, options);
    const later = parseCallback(
      body({ event_name: 'StreamBroken', stream_id: 'test1', event_time: 1678086999999 }),
      {},
      options,
    );
    expect(retry.dedupeKey).toBe(first.dedupeKey);
    expect(retry.id).not.toBe(first.id);
    expect(later.dedupeKey).not.toBe(first.dedupeKey);
  });

  it('uses the receipt time when the callback has no event_time', () => {
    const event = parseCallback(body({ event_name: 'StreamBroken', stream_id: 's1' }), {}, options);
    expect(event.occurredAt).toBe(RECEIVED_AT);
  });

  it('refuses an unsigned 328 callback unless unsigned callbacks are allowed', () => {
    let error: unknown;
    try {
      parseCallback(
        sample('css.monitor.stream_broken', 'doc-sample-corrected'),
        {},
        { css: { keys: ['k'] } },
      );
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(LivehooksError);
    expect((error as LivehooksError).code).toBe('LH_ERR_SIGNATURE_MISSING');
  });
});

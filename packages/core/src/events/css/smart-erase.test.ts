import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { EventOf } from '../index.js';
import { parseCallback, type ParseOptions } from '../../parse/parse-callback.js';
import { signCss } from '../../signature/css-signature.js';

const SAMPLES = new URL('../../../../fixtures/samples/css.smart_erase/', import.meta.url);
const KEY = 'css-test-key';
const RECEIVED_AT = 1_750_402_600_000;
const T = 1_750_403_200; // receipt + 600 s (https://cloud.tencent.com/document/product/267/32744)
const options: ParseOptions = { css: { keys: [KEY] }, now: () => RECEIVED_AT };

function parsePayload(payload: Record<string, unknown>): EventOf<'css.smart_erase'> {
  const event = parseCallback(
    JSON.stringify({ ...payload, t: T, sign: signCss(KEY, T) }),
    { 'content-type': 'application/json' },
    options,
  );
  expect(event.issues).toBeUndefined();
  expect(event.type).toBe('css.smart_erase');
  return event as EventOf<'css.smart_erase'>;
}

function parseSample(name: string) {
  return parsePayload(
    JSON.parse(readFileSync(new URL(`${name}.json`, SAMPLES), 'utf8')) as Record<string, unknown>,
  );
}

describe('css.smart_erase from the fixtures', () => {
  it('reads the corrected doc sample', () => {
    const event = parseSample('doc-sample-corrected');
    expect(event.source).toBe('css:347');
    expect(event.auth).toEqual({ method: 'css-md5', keyId: 'css:0', stale: false });
    expect(event.data).toEqual({
      stream_id: 'teststream',
      task_id: '7735333',
      subtitle_tmp_res: [
        {
          src_txt:
            'The list of alternate members for the Central Committee and candidates for the Central Commission for Discipline Inspection was carefully deliberated.',
          start_pts: 954864,
          end_pts: 964464,
          start_unix_time: 1750402588,
          end_unix_time: 1750402597,
          keywords_info: [
            { word: 'Central Commission for Discipline Inspection', begin_time: 957759, end_time: 959424 },
          ],
        },
      ],
      keywords: ['Central Commission for Discipline Inspection'],
    });
    expect(event.subject).toEqual({ streamId: 'teststream', taskId: '7735333' });
    expect(event.occurredAt).toBe(1750402588000);
    expect(event.dedupeKey).toBe('css.smart_erase:7735333|954864|964464');
    expect(event.summary).toBe(
      'stream teststream smart erase hit keyword "Central Commission for Discipline Inspection"',
    );
  });

  it('lists each keyword once across several segments', () => {
    const event = parseSample('two-segments');
    expect(event.data.keywords).toEqual(['上海', '北京']);
    expect(event.data.subtitle_tmp_res).toHaveLength(2);
    expect(event.data.subtitle_tmp_res[1]?.keywords_info).toEqual([
      { word: '北京', begin_time: 124000, end_time: 124400 },
      { word: '上海', begin_time: 125200, end_time: 125700 },
    ]);
    expect(event.data.appid).toBe('1250000000');
    expect(event.subject).toEqual({ appId: '1250000000', streamId: 'news-live', taskId: '7735400' });
    expect(event.occurredAt).toBe(1750403000000);
    expect(event.dedupeKey).toBe('css.smart_erase:7735400|120000|123500');
    expect(event.summary).toBe('stream news-live smart erase hit keywords "上海", "北京"');
  });

  it('says when a segment hit no keyword', () => {
    const event = parseSample('no-keyword-hit');
    expect(event.data.keywords).toEqual([]);
    expect(event.data.subtitle_tmp_res[0]?.keywords_info).toEqual([]);
    expect(event.dedupeKey).toBe('css.smart_erase:7735333|968000|970000');
    expect(event.summary).toBe('stream teststream smart erase: no keyword hit in "Thank you for watching."');
  });
});

describe('css.smart_erase edge cases', () => {
  it('reads pts and times sent as numeric strings, a numeric task_id, and null keywords_info', () => {
    const event = parsePayload({
      event_type: 347,
      stream_id: 's1',
      task_id: 42,
      data: {
        subtitle_tmp_res: [
          {
            src_txt: 'hi',
            start_pts: '1000',
            end_pts: '2000',
            start_unix_time: '1750400000',
            end_unix_time: '1750400001',
            keywords_info: null,
          },
        ],
      },
    });
    expect(event.data.task_id).toBe('42');
    expect(event.data.subtitle_tmp_res).toEqual([
      {
        src_txt: 'hi',
        start_pts: 1000,
        end_pts: 2000,
        start_unix_time: 1750400000,
        end_unix_time: 1750400001,
        keywords_info: [],
      },
    ]);
    expect(event.occurredAt).toBe(1750400000000);
    expect(event.dedupeKey).toBe('css.smart_erase:42|1000|2000');
  });

  it('accepts a callback with no data and falls back to the receipt time', () => {
    const event = parsePayload({ event_type: 347, stream_id: 's1', task_id: '9' });
    expect(event.data.subtitle_tmp_res).toEqual([]);
    expect(event.occurredAt).toBe(RECEIVED_AT);
    expect(event.summary).toBe('stream s1 smart erase: no keyword hit');
  });

  it('gives different spans of one task different dedupe keys', () => {
    const segment = (start: number) => ({
      event_type: 347,
      task_id: 't',
      data: { subtitle_tmp_res: [{ start_pts: start, end_pts: start + 500, keywords_info: [] }] },
    });
    expect(parsePayload(segment(0)).dedupeKey).not.toBe(parsePayload(segment(1000)).dedupeKey);
    expect(parsePayload(segment(0)).dedupeKey).toBe(parsePayload(segment(0)).dedupeKey);
  });
});

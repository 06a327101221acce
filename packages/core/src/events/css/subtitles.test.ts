import { describe, expect, it } from 'vitest';
import { samplesOf, signRequest } from '@livehooks/fixtures';
import { parseCallback } from '../../parse/parse-callback.js';
import { codeOfInvalid, options, parseAs } from '../../../test/support/css-fixtures.js';

describe('css.subtitles', () => {
  it('refuses the doc sample verbatim (`bool` as a value) and reads its corrected copy', () => {
    expect(codeOfInvalid('css-338-doc-bool-placeholder')).toBe('LH_ERR_INVALID_JSON');
    const event = parseAs('css.subtitles', 'doc-sample-corrected');
    expect(event.source).toBe('css:338');
    expect(event.auth.method).toBe('css-md5');
    expect(event.data).toEqual({
      stream_id: 'teststream',
      task_id: '7735333',
      subtitle_tmp_res: [
        {
          src_txt: 'Today we shall delve into the study of linear equations in one variable.',
          dst_txt: undefined,
          start_pts: 123000,
          end_pts: 126333,
          start_unix_time: undefined,
          end_unix_time: undefined,
          steady_state: true,
        },
      ],
    });
    expect(event.subject).toEqual({ streamId: 'teststream', taskId: '7735333' });
    expect(event.occurredAt).toBe(event.receivedAt);
    expect(event.dedupeKey).toBe(
      'css.subtitles:teststream|7735333|[{"end_pts":126333,"src_txt":"Today we shall delve into the study of linear equations in one variable.","start_pts":123000,"stead_state":true}]',
    );
    expect(event.summary).toBe(
      'stream teststream subtitle [123.0 s–126.3 s] (final): "Today we shall delve into the study of linear equations in one variable."',
    );
  });

  it('reads translations, string pts, string booleans and the unix start time', () => {
    const event = parseAs('css.subtitles', 'variant-translated-interim');
    expect(event.data.subtitle_tmp_res).toHaveLength(2);
    expect(event.data.subtitle_tmp_res[0]).toEqual({
      src_txt: '欢迎来到今天的发布会',
      dst_txt: "Welcome to today's launch event",
      start_pts: 5000,
      end_pts: 7200,
      start_unix_time: 1754623205,
      end_unix_time: 1754623207,
      steady_state: false,
    });
    expect(event.subject).toEqual({ appId: '1250000000', streamId: 'keynote', taskId: '7735334' });
    expect(event.occurredAt).toBe(1754623205000);
    expect(event.summary).toBe(
      'stream keynote subtitle [5.0 s–7.2 s]: "欢迎来到今天的发布会" → "Welcome to today\'s launch event" (+1 more)',
    );
  });

  it('keeps a revised interim text apart from the earlier one', () => {
    const sample = samplesOf('css.subtitles').find(
      (candidate) => candidate.name === 'variant-translated-interim',
    );
    const payload = JSON.parse(sample?.body ?? '{}') as {
      data: { subtitle_tmp_res: { src_txt: string }[] };
    };
    const first = signRequest('css', JSON.stringify(payload));
    payload.data.subtitle_tmp_res[0]!.src_txt = '欢迎来到今天的产品发布会';
    const revised = signRequest('css', JSON.stringify(payload));
    expect(parseCallback(revised.body, revised.headers, options).dedupeKey).not.toBe(
      parseCallback(first.body, first.headers, options).dedupeKey,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { codeOfInvalid, parseAs } from '../../../test/support/css-fixtures.js';

describe('css.moderation.audio', () => {
  it('refuses the doc sample verbatim (unquoted task_id) and normalises its corrected copy', () => {
    expect(codeOfInvalid('css-315-doc-unquoted-task-id')).toBe('LH_ERR_INVALID_JSON');
    const event = parseAs('css.moderation.audio', 'doc-sample-corrected');
    expect(event.source).toBe('css:315');
    expect(event.data).toMatchObject({
      domain: 'xxx.cn',
      path: 'live',
      stream_id: 'xxxn01',
      task_id: '12336881',
      seq: '3232590095',
      request_id: 'xxx594-4f4d-a5d0-99cce8b750b4',
      HitFlag: 1,
      hit: true,
      Score: 96,
      label: 'Ad',
      sub_label: 'Contact',
      suggestion: 'Block',
      asr_text: 'provide mobile phone number for easy contact',
      keywords: ['mobile phone number'],
      language_results: [],
      speaker_results: [],
    });
    expect(event.data.moan_results).toEqual([
      { EndTime: 15, Label: 'Ad', Score: 0, StartTime: 0, SubLabel: 'Contact', Suggestion: 'Pass' },
    ]);
    expect(event.data.asr_tmp_full_results[0]).toMatchObject({
      appearing_point: [1810089.2, 1810104.8],
      create_time: 1685929588,
      periods: '00:00:00-00:00:15',
    });
    expect(event.subject).toEqual({ appId: '12345678', streamId: 'xxxn01', taskId: '12336881' });
    expect(event.occurredAt).toBe(1685929588000);
    expect(event.dedupeKey).toBe(
      'css.moderation.audio:xxxn01|12336881|3232590095|xxx594-4f4d-a5d0-99cce8b750b4',
    );
    expect(event.summary).toBe(
      'stream xxxn01 audio flagged Ad/Contact (Block, score 96): "provide mobile phone number for easy contact"',
    );
  });

  it('reads null result lists as empty and numeric strings as numbers', () => {
    const event = parseAs('css.moderation.audio', 'variant-null-results-signed');
    expect(event.auth.method).toBe('css-md5');
    expect(event.data).toMatchObject({
      HitFlag: 1,
      hit: true,
      Score: 88,
      duration: 15,
      cdn_url: undefined,
      moan_results: [],
      language_results: [],
      recognition_results: [],
      asr_tmp_full_results: [],
      keywords: ['other app', 'discount'],
    });
    expect(event.data.text_results[0]?.HitInfos).toEqual([]);
    // No create_time to go by: the receipt time stands in.
    expect(event.occurredAt).toBe(event.receivedAt);
    expect(event.summary).toBe(
      'stream shop_live_9 audio flagged Ad/Contact (Review, score 88): "add me on the other app for a discount"',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseAs } from '../../../test/support/css-fixtures.js';

describe('css.quality.control', () => {
  it('reads the class of the doc sample into a category and meaning', () => {
    const event = parseAs('css.quality.control', 'doc-sample');
    expect(event.source).toBe('css:343');
    expect(event.data).toEqual({
      appname: 'live',
      domain: 'abc.record.test.org',
      stream_id: 'test',
      event_time: 1747818881,
      transcode_template_id: '123456',
      watermark_template_id: '123457',
      score: 44.15314104741461,
      function: 'QualityControl',
      class: 'Blur',
      category: 'content',
      meaning: 'blurred picture',
    });
    expect(event.subject).toEqual({ appId: '12345678', streamId: 'test' });
    expect(event.occurredAt).toBe(1747818881000);
    expect(event.dedupeKey).toBe('css.quality.control:test|1747818881|Blur|123456|123457');
    expect(event.summary).toBe('stream test quality control: blurred picture (Blur, content), score 44.15');
  });

  it('reads a format anomaly with numbers sent as strings', () => {
    const event = parseAs('css.quality.control', 'variant-signed-format-string-score');
    expect(event.auth.method).toBe('css-md5');
    expect(event.data).toMatchObject({
      score: 100,
      event_time: 1747818950,
      category: 'format',
      meaning: 'video resolution changed',
      watermark_template_id: undefined,
    });
    expect(event.summary).toBe(
      'stream test quality control: video resolution changed (VideoResolutionChanged, format), score 100',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { parseAs } from '../../../test/support/css-fixtures.js';

describe('css.summary', () => {
  it('reads the doc sample, which carries no t/sign', () => {
    const event = parseAs('css.summary', 'doc-sample');
    expect(event.source).toBe('css:348');
    expect(event.auth.method).toBe('unsigned');
    expect(event.data).toMatchObject({
      domain: 'your.livepush.myqcloud.com',
      path: 'live',
      stream_id: 'test1820',
      begin_time: 1761211980,
      end_time: 1761212541,
      title: 'Live broadcast promoting coarse cloth bedding from XX province',
      key_points: [
        'Product Features and Material Introduction',
        'Promotional activities and price discounts',
      ],
      key_words: ['three piece set', 'Shandong coarse cloth', 'bedding promotion', 'Xinjiang cotton'],
    });
    expect(event.data.summary?.startsWith('This live broadcast mainly introduced')).toBe(true);
    expect(event.subject).toEqual({ appId: '1234', streamId: 'test1820' });
    expect(event.occurredAt).toBe(1761212541000);
    expect(event.dedupeKey).toBe('css.summary:test1820|1761211980|1761212541');
    expect(event.summary).toBe(
      'stream test1820 summary of 9 min 21 s: "Live broadcast promoting coarse cloth bedding from XX province"',
    );
  });

  it('reads string times and a null key_points as empty', () => {
    const event = parseAs('css.summary', 'variant-signed-string-times');
    expect(event.auth.method).toBe('css-md5');
    expect(event.data).toMatchObject({ begin_time: 1761212541, end_time: 1761213141, key_points: [] });
    expect(event.summary).toBe('stream test1820 summary of 10 min: "Q&A about delivery times"');
  });
});

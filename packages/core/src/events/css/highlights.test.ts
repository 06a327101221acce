import { describe, expect, it } from 'vitest';
import { parseAs } from '../../../test/support/css-fixtures.js';

describe('css.highlights', () => {
  it('reads the clips of the doc sample', () => {
    const event = parseAs('css.highlights', 'doc-sample');
    expect(event.source).toBe('css:349');
    expect(event.data.path).toBe('highlight');
    expect(event.data.items).toHaveLength(1);
    expect(event.data.items[0]).toMatchObject({
      begin_time: 1761128808,
      end_time: 1761128834,
      title: 'Bed sheets on flash sale, price reduced by 25 yuan!',
      cov_img_store_url: '',
      key_words: [
        '25 yuan',
        'Link number one',
        'XX Province Coarse Cloth',
        'Bed sheet flash sale',
        'Limited time',
      ],
    });
    expect(event.data.items[0]?.video_store_url?.endsWith('2025-10-22_18-32-16_16666.mp4')).toBe(true);
    expect(event.subject).toEqual({ appId: '1234', streamId: 'test1820' });
    expect(event.occurredAt).toBe(1761128834000);
    // The clips make a key longer than a unique index entry may be: it is hashed.
    expect(event.dedupeKey).toMatch(/^css\.highlights:sha256:[0-9a-f]{64}$/);
    expect(event.summary).toBe(
      'stream test1820 1 highlight clip: "Bed sheets on flash sale, price reduced by 25 yuan!" (26 s)',
    );
  });

  it('reads string times, trims URLs and takes the latest clip end as the event time', () => {
    const event = parseAs('css.highlights', 'variant-two-items-signed');
    expect(event.data.items.map((clip) => [clip.begin_time, clip.end_time])).toEqual([
      [1761129000, 1761129045],
      [1761129100, 1761129160],
    ]);
    expect(event.data.items[0]?.video_store_url).toBe(
      'http://your.cos.ap-nanjing.myqcloud.com/SmartHighlights/test1820/clip-2.mp4',
    );
    expect(event.data.items[1]?.key_words).toEqual([]);
    expect(event.occurredAt).toBe(1761129160000);
    expect(event.summary).toBe('stream test1820 2 highlight clips: "Pillowcases two for one" (45 s)');
  });
});

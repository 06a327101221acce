import { describe, expect, it } from 'vitest';
import { buildRateSeries, linePath, niceCeiling } from './rate-series';

const MINUTE = 60_000;

describe('buildRateSeries', () => {
  it('fills quiet minutes with zeros across the whole window', () => {
    const chart = buildRateSeries([{ t: 2 * MINUTE, counts: { 'css.screenshot': 3 } }], {
      since: 0,
      until: 5 * MINUTE,
      bucketMs: MINUTE,
    });
    expect(chart.times).toEqual([0, 1, 2, 3, 4].map((m) => m * MINUTE));
    expect(chart.series).toEqual([{ key: 'css.screenshot', values: [0, 0, 3, 0, 0], total: 3 }]);
    expect(chart.max).toBe(5);
  });

  it('gives the busiest types their own line and sums the rest into other', () => {
    const counts = { a: 10, b: 8, c: 5, d: 1, e: 1 };
    const chart = buildRateSeries([{ t: 0, counts }], {
      since: 0,
      until: MINUTE,
      bucketMs: MINUTE,
      maxSeries: 3,
    });
    expect(chart.series.map((line) => [line.key, line.total])).toEqual([
      ['a', 10],
      ['b', 8],
      ['other', 7],
    ]);
  });

  it('does not fold a single leftover type into other', () => {
    const chart = buildRateSeries([{ t: 0, counts: { a: 1, b: 2, c: 3 } }], {
      since: 0,
      until: MINUTE,
      bucketMs: MINUTE,
      maxSeries: 3,
    });
    expect(chart.series.map((line) => line.key)).toEqual(['c', 'b', 'a']);
  });

  it('ignores buckets outside the window', () => {
    const chart = buildRateSeries([{ t: -MINUTE, counts: { a: 9 } }], {
      since: 0,
      until: MINUTE,
      bucketMs: MINUTE,
    });
    expect(chart.series).toEqual([{ key: 'a', values: [0], total: 0 }]);
  });
});

describe('chart helpers', () => {
  it('rounds the axis top up to 1, 2 or 5 times a power of ten', () => {
    expect([0, 1, 3, 37, 101, 5000].map(niceCeiling)).toEqual([1, 1, 5, 50, 200, 5000]);
  });

  it('draws a line in SVG coordinates, y downward', () => {
    expect(linePath([0, 5, 10], { width: 100, height: 50, max: 10 })).toBe('M0,50L50,25L100,0');
    expect(linePath([], { width: 100, height: 50, max: 10 })).toBe('');
  });
});

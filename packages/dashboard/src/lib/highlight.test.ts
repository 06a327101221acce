import { describe, expect, it } from 'vitest';
import { excerptAround, normalizeRanges, splitHighlights } from './highlight';

describe('splitHighlights', () => {
  it('marks a Chinese hit inside a transcript', () => {
    expect(splitHighlights('欢迎来到直播间', [[4, 6]])).toEqual([
      { text: '欢迎来到', hit: false },
      { text: '直播', hit: true },
      { text: '间', hit: false },
    ]);
  });

  it('marks several hits, at the start and the end', () => {
    expect(
      splitHighlights('live and live', [
        [0, 4],
        [9, 13],
      ]),
    ).toEqual([
      { text: 'live', hit: true },
      { text: ' and ', hit: false },
      { text: 'live', hit: true },
    ]);
  });

  it('returns the text unmarked when there is no hit', () => {
    expect(splitHighlights('nothing', [])).toEqual([{ text: 'nothing', hit: false }]);
    expect(splitHighlights('', [])).toEqual([{ text: '', hit: false }]);
  });

  it('merges overlapping and unsorted ranges and clamps ranges past the end', () => {
    expect(
      normalizeRanges('abcdef', [
        [3, 5],
        [0, 2],
        [1, 3],
        [5, 99],
        [4, 4],
      ]),
    ).toEqual([[0, 6]]);
    expect(
      splitHighlights('abc', [
        [2, 10],
        [-3, 1],
      ]),
    ).toEqual([
      { text: 'a', hit: true },
      { text: 'b', hit: false },
      { text: 'c', hit: true },
    ]);
  });

  it('never cuts an emoji (a surrogate pair) in half', () => {
    const text = 'a😀b';
    expect(splitHighlights(text, [[2, 4]])).toEqual([
      { text: 'a', hit: false },
      { text: '😀b', hit: true },
    ]);
  });
});

describe('excerptAround', () => {
  it('keeps a short text whole', () => {
    expect(excerptAround('短文本', [[0, 2]], 50)).toEqual({ text: '短文本', ranges: [[0, 2]] });
  });

  it('cuts a long text around its first hit and shifts the ranges', () => {
    const text = `${'前'.repeat(100)}直播${'后'.repeat(100)}`;
    const excerpt = excerptAround(text, [[100, 102]], 30);
    expect(excerpt.text.startsWith('…')).toBe(true);
    expect(excerpt.text.endsWith('…')).toBe(true);
    const [range] = excerpt.ranges;
    expect(excerpt.text.slice(range![0], range![1])).toBe('直播');
    expect(excerpt.text.length).toBe(32);
  });

  it('keeps only the part of a hit inside the window', () => {
    const text = 'x'.repeat(10) + 'y'.repeat(100);
    const excerpt = excerptAround(text, [[10, 110]], 20);
    expect(excerpt.ranges).toHaveLength(1);
    const [range] = excerpt.ranges;
    expect(excerpt.text.slice(range![0], range![1])).toMatch(/^y+$/);
  });
});

/** A run of text, marked when it is a search hit. */
export interface TextSegment {
  text: string;
  hit: boolean;
}

/** A `[start, end)` range of UTF-16 code units. */
export type Range = readonly [number, number];

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/**
 * Sorts, clamps and merges hit ranges, dropping empty ones and widening any boundary that would cut a
 * surrogate pair (an emoji) in half.
 *
 * @example
 * ```ts
 * normalizeRanges('abcdef', [[3, 5], [0, 2], [1, 3]]); // [[0, 5]]
 * ```
 */
export function normalizeRanges(text: string, ranges: readonly Range[]): [number, number][] {
  const widen = (index: number, direction: -1 | 1): number => {
    if (index > 0 && index < text.length && isLowSurrogate(text.charCodeAt(index))) return index + direction;
    return index;
  };
  const clamped = ranges
    .filter(([start, end]) => Number.isInteger(start) && Number.isInteger(end))
    .map(([start, end]): [number, number] => [
      widen(Math.max(0, Math.min(start, text.length)), -1),
      widen(Math.max(0, Math.min(end, text.length)), 1),
    ])
    .filter(([start, end]) => end > start)
    .sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of clamped) {
    const last = merged.at(-1);
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/**
 * Cuts text into plain and hit segments from the API's highlight ranges (`GET /api/transcripts`), ready
 * to render with `<mark>`. Ranges may overlap, be unsorted or reach past the text: they are normalised.
 *
 * @example
 * ```ts
 * splitHighlights('主播在直播间', [[3, 5]]);
 * // [{ text: '主播在', hit: false }, { text: '直播', hit: true }, { text: '间', hit: false }]
 * ```
 */
export function splitHighlights(text: string, ranges: readonly Range[]): TextSegment[] {
  const segments: TextSegment[] = [];
  let position = 0;
  for (const [start, end] of normalizeRanges(text, ranges)) {
    if (start > position) segments.push({ text: text.slice(position, start), hit: false });
    segments.push({ text: text.slice(start, end), hit: true });
    position = end;
  }
  if (position < text.length || segments.length === 0) {
    segments.push({ text: text.slice(position), hit: false });
  }
  return segments;
}

/**
 * Shortens a long text to a window of about `width` characters around its first hit, with `…` where text
 * was cut, and shifts the ranges to match. Short texts come back unchanged.
 *
 * @example
 * ```ts
 * const { text, ranges } = excerptAround(longTranscript, hit.highlights, 160);
 * ```
 */
export function excerptAround(
  text: string,
  ranges: readonly Range[],
  width: number,
): { text: string; ranges: [number, number][] } {
  const normalized = normalizeRanges(text, ranges);
  if (text.length <= width) return { text, ranges: normalized };
  const first = normalized[0] ?? [0, 0];
  let start = Math.max(0, Math.min(first[0] - Math.floor(width / 3), text.length - width));
  if (start > 0 && isLowSurrogate(text.charCodeAt(start))) start--;
  let end = Math.min(text.length, start + width);
  if (end < text.length && isLowSurrogate(text.charCodeAt(end))) end++;
  const prefix = start > 0 ? '…' : '';
  const suffix = end < text.length ? '…' : '';
  const shift = prefix.length - start;
  const shifted = normalized
    .filter(([from, to]) => to > start && from < end)
    .map(([from, to]): [number, number] => [Math.max(from, start) + shift, Math.min(to, end) + shift]);
  return { text: prefix + text.slice(start, end) + suffix, ranges: shifted };
}

import { excerptAround, splitHighlights, type Range } from '../lib/highlight';

/** Text with its search hits marked; long texts are cut to a window around the first hit. */
export function HighlightedText({
  text,
  ranges,
  width,
}: {
  text: string;
  ranges: readonly Range[];
  width?: number | undefined;
}) {
  const shown = width === undefined ? { text, ranges } : excerptAround(text, ranges, width);
  return (
    <span className="highlighted">
      {splitHighlights(shown.text, shown.ranges).map((segment, index) =>
        segment.hit ? <mark key={index}>{segment.text}</mark> : <span key={index}>{segment.text}</span>,
      )}
    </span>
  );
}

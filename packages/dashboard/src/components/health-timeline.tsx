import { useNow } from '../hooks/use-now';
import { formatTime, humanize } from '../lib/format';
import { routeHref } from '../lib/route';
import { buildStreamTimeline, type TimelineKind } from '../lib/stream-timeline';
import type { Envelope } from '../api/api-types';

const WIDTH = 1000;
/** Marks at the very start or end stay whole inside the box. */
const PAD = 8;
const KIND_WORDS: Record<TimelineKind, string> = {
  push: 'Started',
  disconnect: 'Stopped',
  broken: 'Broken',
  low_framerate: 'Low frame rate',
  moderation: 'Moderation hit',
  screenshot: 'Screenshot',
  other: 'Other event',
};
/** Problems are drawn tall so they stand out; routine events stay small. */
const ROW: Record<TimelineKind, number> = {
  broken: 0,
  low_framerate: 0,
  moderation: 1,
  push: 2,
  disconnect: 2,
  screenshot: 3,
  other: 3,
};

/** A stream's on-air stretches and events over time. */
export function HealthTimeline({ events, live }: { events: readonly Envelope[]; live: boolean }) {
  const now = useNow(30_000);
  const timeline = buildStreamTimeline(events, live ? { until: now } : {});
  const span = Math.max(1, timeline.to - timeline.from);
  const x = (t: number) => PAD + ((t - timeline.from) / span) * (WIDTH - 2 * PAD);
  const kinds = [...new Set(timeline.marks.map((mark) => mark.kind))];

  return (
    <div className="timeline">
      <svg viewBox={`0 0 ${WIDTH} 86`} preserveAspectRatio="none" role="img" aria-label="Health timeline">
        {timeline.segments.map((segment) => (
          <rect
            key={`${segment.from}-${segment.state}`}
            x={x(segment.from)}
            width={Math.max(1, x(segment.to) - x(segment.from))}
            y={70}
            height={10}
            className={`seg seg-${segment.state}`}
          >
            <title>
              {segment.state === 'live'
                ? 'On air'
                : segment.state === 'offline'
                  ? 'Off air'
                  : 'State unknown'}
              : {formatTime(segment.from)} – {formatTime(segment.to)}
            </title>
          </rect>
        ))}
        {timeline.marks.map((mark) => (
          <a key={mark.id} href={routeHref({ page: 'event', id: mark.id })}>
            <rect
              x={x(mark.at) - 3}
              y={4 + ROW[mark.kind] * 16}
              width={6}
              height={12}
              rx={1}
              className={`mark mark-${mark.kind}`}
            >
              <title>
                {KIND_WORDS[mark.kind]} at {formatTime(mark.at)}: {mark.summary}
              </title>
            </rect>
          </a>
        ))}
      </svg>
      <div className="timeline-axis muted small">
        <span>{timeline.marks.length > 0 ? formatTime(timeline.from) : ''}</span>
        <span>{timeline.marks.length > 0 ? formatTime(timeline.to) : ''}</span>
      </div>
      <ul className="legend">
        <li>
          <span className="swatch seg-live" /> on air
        </li>
        <li>
          <span className="swatch seg-offline" /> off air
        </li>
        {kinds.map((kind) => (
          <li key={kind}>
            <span className={`swatch mark-${kind}`} /> {humanize(KIND_WORDS[kind].toLowerCase())}
          </li>
        ))}
      </ul>
    </div>
  );
}

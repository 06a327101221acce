import type { Envelope } from '../api/api-types';
import { useNow } from '../hooks/use-now';
import { useT } from '../i18n/i18n-context';
import { navigate } from '../hooks/use-route';
import { buildStreamTimeline, type TimelineKind } from '../lib/stream-timeline';

const WIDTH = 1000;
/** Marks at the very start or end stay whole inside the box. */
const PAD = 8;
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

/**
 * A stream's on-air stretches and events over time. A mark opens its event on a click; the keyboard reaches
 * the same events in the table under the timeline (a picture holds no links).
 */
export function HealthTimeline({ events, live }: { events: readonly Envelope[]; live: boolean }) {
  const now = useNow(30_000);
  const { t, time } = useT();
  const timeline = buildStreamTimeline(events, live ? { until: now } : {});
  const span = Math.max(1, timeline.to - timeline.from);
  const x = (at: number) => PAD + ((at - timeline.from) / span) * (WIDTH - 2 * PAD);
  const kinds = [...new Set(timeline.marks.map((mark) => mark.kind))];
  const stateWords = {
    live: t('timeline.onAir'),
    offline: t('timeline.offAir'),
    unknown: t('timeline.unknown'),
  };

  return (
    <div className="timeline">
      <svg viewBox={`0 0 ${WIDTH} 86`} preserveAspectRatio="none" role="img" aria-label={t('timeline.label')}>
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
              {t('timeline.span', {
                state: stateWords[segment.state],
                from: time(segment.from),
                to: time(segment.to),
              })}
            </title>
          </rect>
        ))}
        {timeline.marks.map((mark) => (
          <rect
            key={mark.id}
            x={x(mark.at) - 3}
            y={4 + ROW[mark.kind] * 16}
            width={6}
            height={12}
            rx={1}
            className={`mark mark-${mark.kind}`}
            onClick={() => navigate({ page: 'event', id: mark.id })}
          >
            <title>
              {t('timeline.mark', {
                kind: t(`timeline.${mark.kind}`),
                time: time(mark.at),
                summary: mark.summary,
              })}
            </title>
          </rect>
        ))}
      </svg>
      <div className="timeline-axis muted small">
        <span>{timeline.marks.length > 0 ? time(timeline.from) : ''}</span>
        <span>{timeline.marks.length > 0 ? time(timeline.to) : ''}</span>
      </div>
      <ul className="legend">
        <li>
          <span className="swatch seg-live" /> {stateWords.live}
        </li>
        <li>
          <span className="swatch seg-offline" /> {stateWords.offline}
        </li>
        {kinds.map((kind) => (
          <li key={kind}>
            <span className={`swatch mark-${kind}`} /> {t(`timeline.${kind}`)}
          </li>
        ))}
      </ul>
    </div>
  );
}

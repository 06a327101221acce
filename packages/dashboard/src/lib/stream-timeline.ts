/** What a mark on a stream's health timeline stands for. */
export type TimelineKind =
  'push' | 'disconnect' | 'broken' | 'low_framerate' | 'moderation' | 'screenshot' | 'other';

/** One event placed on the timeline. */
export interface TimelineMark {
  id: string;
  at: number;
  kind: TimelineKind;
  summary: string;
}

/** A stretch of time the stream was on air, off air, or of unknown state (before the first push or stop). */
export interface TimelineSegment {
  from: number;
  to: number;
  state: 'live' | 'offline' | 'unknown';
}

/** A stream's health timeline: on-air stretches and event marks over a time range. */
export interface StreamTimeline {
  from: number;
  to: number;
  segments: TimelineSegment[];
  marks: TimelineMark[];
}

/**
 * Which timeline mark an event type makes.
 *
 * @example
 * ```ts
 * timelineKind('css.monitor.stream_broken'); // 'broken'
 * ```
 */
export function timelineKind(type: string): TimelineKind {
  if (type === 'css.stream.push') return 'push';
  if (type === 'css.stream.disconnect') return 'disconnect';
  if (type === 'css.monitor.stream_broken') return 'broken';
  if (type === 'css.monitor.low_framerate') return 'low_framerate';
  if (type.startsWith('css.moderation.') || type === 'trtc.moderation.result') return 'moderation';
  if (type === 'css.screenshot') return 'screenshot';
  return 'other';
}

/**
 * Builds a stream's health timeline from its events (any order): marks for each event, and on-air
 * stretches from each push to the next disconnect, ordered by event time (callbacks can arrive out of
 * order). The range runs from the oldest event to `until` (now, for a stream still on air).
 *
 * @example
 * ```ts
 * const timeline = buildStreamTimeline(detail.timeline, { until: Date.now() });
 * ```
 */
export function buildStreamTimeline(
  events: readonly { id: string; type: string; occurredAt: number; summary: string }[],
  options: { until?: number } = {},
): StreamTimeline {
  const marks = events
    .map((event) => ({
      id: event.id,
      at: event.occurredAt,
      kind: timelineKind(event.type),
      summary: event.summary,
    }))
    .sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
  if (marks.length === 0) {
    const to = options.until ?? 0;
    return { from: to, to, segments: [], marks };
  }
  const from = marks[0]!.at;
  const to = Math.max(marks.at(-1)!.at, options.until ?? 0);
  const segments: TimelineSegment[] = [];
  let state: TimelineSegment['state'] = 'unknown';
  let since = from;
  for (const mark of marks) {
    const next: TimelineSegment['state'] =
      mark.kind === 'push' ? 'live' : mark.kind === 'disconnect' ? 'offline' : state;
    if (next === state) continue;
    if (mark.at > since) segments.push({ from: since, to: mark.at, state });
    state = next;
    since = mark.at;
  }
  if (to > since || segments.length === 0) segments.push({ from: since, to, state });
  return { from, to, segments, marks };
}

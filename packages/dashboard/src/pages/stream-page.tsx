import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import type { StreamDetail } from '../api/api-types';
import { EventTable } from '../components/event-table';
import { HealthTimeline } from '../components/health-timeline';
import { ModerationList } from '../components/moderation-list';
import { Thumbnail } from '../components/thumbnail';
import {
  EmptyState,
  ErrorNotice,
  Facts,
  Loading,
  LookBadge,
  PageHeader,
  Panel,
  Time,
  TimeAgo,
} from '../components/ui';
import { formatCount, formatTime } from '../lib/format';
import { routeHref, type Route } from '../lib/route';
import { healthLook, streamStatusLook } from '../lib/tones';

/** Events shown in the table under the timeline; the timeline itself draws all 200 the API gives. */
const TABLE_ROWS = 50;

/** One stream: on air or not, health over time, screenshots and moderation hits. */
export function StreamPage({ id, route }: { id: string; route: Route }) {
  const api = useApi();
  const appId = route.query.app_id;
  const stream = useQuery({
    queryKey: ['stream', id, appId],
    queryFn: ({ signal }) =>
      api.get<StreamDetail>(`/streams/${encodeURIComponent(id)}`, { app_id: appId }, signal),
    refetchInterval: 15_000,
  });

  if (stream.isPending) return <Loading what="Loading the stream" />;
  if (stream.isError) return <ErrorNotice error={stream.error} />;
  const s = stream.data;

  return (
    <>
      <PageHeader title={`Stream ${s.streamId}`} subtitle={`App ${s.appId || '—'}`}>
        <LookBadge look={streamStatusLook(s.status)} />
        <LookBadge look={healthLook(s.health)} />
        <a className="button" href={routeHref({ page: 'tail', query: { stream_id: s.streamId } })}>
          Live tail of this stream
        </a>
      </PageHeader>
      <div className="grid-1-2">
        <Panel title="Now">
          <Thumbnail url={s.latestScreenshot?.url} alt={`latest frame of ${s.streamId}`} size="large" />
          <Facts
            rows={[
              ['Last event', <TimeAgo key="e" ms={s.lastEventAt} />],
              ['Last started', <Time key="p" ms={s.lastPushAt} />],
              ['Last stopped', <Time key="d" ms={s.lastDisconnectAt} />],
              ['Why it stopped', s.disconnectReason ?? '—'],
              ['Broken alerts', formatCount(s.brokenCount)],
              ['Low frame rate alerts', formatCount(s.lowFramerateCount)],
              ['Moderation hits', formatCount(s.moderationHits)],
            ]}
          />
        </Panel>
        <Panel title="Health timeline">
          {s.timeline.length === 0 ? (
            <EmptyState title="No events yet" />
          ) : (
            <HealthTimeline events={s.timeline} live={s.status === 'live'} />
          )}
          <EventTable events={s.timeline.slice(0, TABLE_ROWS)} showSubject={false} />
          {s.timeline.length > TABLE_ROWS && (
            <p className="muted small">
              <a href={routeHref({ page: 'events', query: { stream_id: s.streamId } })}>
                All events of this stream →
              </a>
            </p>
          )}
        </Panel>
      </div>
      <Panel title={`Screenshots (${formatCount(s.screenshots.length)})`}>
        {s.screenshots.length === 0 ? (
          <EmptyState title="No screenshots">
            Screenshots appear when the stream's screenshot callbacks are set up.
          </EmptyState>
        ) : (
          <div className="gallery">
            {s.screenshots.slice(0, 24).map((shot) => (
              <figure key={`${shot.url}@${shot.at}`}>
                <Thumbnail url={shot.url} alt={`screenshot at ${formatTime(shot.at)}`} size="medium" />
                <figcaption className="muted small">{formatTime(shot.at)}</figcaption>
              </figure>
            ))}
          </div>
        )}
      </Panel>
      <Panel
        title="Moderation hits"
        actions={
          <a href={routeHref({ page: 'moderation', query: { stream_id: s.streamId, status: 'all' } })}>
            Review in the queue →
          </a>
        }
      >
        {s.moderation.length === 0 ? (
          <EmptyState title="No moderation hits">Nothing in this stream was flagged.</EmptyState>
        ) : (
          <ModerationList items={s.moderation} />
        )}
      </Panel>
    </>
  );
}

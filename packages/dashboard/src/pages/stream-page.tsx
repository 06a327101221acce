import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import type { StreamDetail } from '../api/api-types';
import { EventTable } from '../components/event-table';
import { HealthTimeline } from '../components/health-timeline';
import { ModerationList } from '../components/moderation-list';
import { ActionTrail, OperatorActions } from '../components/operator-actions';
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
import { useReviewer } from '../hooks/use-reviewer';
import { useT } from '../i18n/i18n-context';
import { routeHref, type Route } from '../lib/route';
import { healthLook, streamStatusLook } from '../lib/tones';

/** Events shown in the table under the timeline; the timeline itself draws all 200 the API gives. */
const TABLE_ROWS = 50;

/** The events whose callbacks name a stream's push domain, which cutting it off or forbidding it needs. */
const SESSION_TYPES = new Set(['css.stream.push', 'css.stream.disconnect']);

/**
 * One stream: on air or not, health over time, why it stopped, screenshots, moderation hits, and the actions
 * an operator takes on it with their audit trail.
 */
export function StreamPage({ id, route }: { id: string; route: Route }) {
  const api = useApi();
  const { t, count, time, disconnect } = useT();
  const [reviewer, setReviewer] = useReviewer();
  const appId = route.query.app_id;
  const stream = useQuery({
    queryKey: ['stream', id, appId],
    queryFn: ({ signal }) =>
      api.get<StreamDetail>(`/streams/${encodeURIComponent(id)}`, { app_id: appId }, signal),
    refetchInterval: 15_000,
  });

  if (stream.isPending) return <Loading what={t('stream.loading')} />;
  if (stream.isError) return <ErrorNotice error={stream.error} />;
  const s = stream.data;
  // The gateway takes the push domain from the stream's latest push when the event names none.
  const actOn = (s.timeline.find((event) => SESSION_TYPES.has(event.type)) ?? s.timeline[0])?.id;
  const stopped = s.disconnectCode !== undefined ? disconnect(s.disconnectCode) : (s.disconnectReason ?? '—');

  return (
    <>
      <PageHeader
        title={t('stream.title', { id: s.streamId })}
        subtitle={t('stream.app', { id: s.appId || '—' })}
      >
        <LookBadge look={streamStatusLook(s.status)} />
        <LookBadge look={healthLook(s.health)} />
        {s.health === 'ok' && s.brokenCount > 0 && (
          <span className="muted small">{t('stream.recovered', { count: s.brokenCount })}</span>
        )}
        <a className="button" href={routeHref({ page: 'tail', query: { stream_id: s.streamId } })}>
          {t('stream.tail')}
        </a>
      </PageHeader>
      <div className="grid-1-2">
        <Panel title={t('stream.now')}>
          <Thumbnail
            url={s.latestScreenshot?.url}
            alt={t('streams.frameOf', { id: s.streamId })}
            size="large"
          />
          <Facts
            rows={[
              [t('stream.lastEvent'), <TimeAgo key="e" ms={s.lastEventAt} />],
              [t('stream.lastStarted'), <Time key="p" ms={s.lastPushAt} />],
              [t('stream.lastStopped'), <Time key="d" ms={s.lastDisconnectAt} />],
              [t('stream.why'), stopped],
              [t('stream.healthSince'), <TimeAgo key="h" ms={s.healthAt} />],
              [t('stream.broken'), count(s.brokenCount)],
              [t('stream.lastBroken'), <Time key="b" ms={s.lastBrokenAt} />],
              [t('stream.lowFps'), count(s.lowFramerateCount)],
              [t('stream.hits'), count(s.moderationHits)],
            ]}
          />
        </Panel>
        <Panel title={t('stream.timeline')}>
          {s.timeline.length === 0 ? (
            <EmptyState title={t('stream.noEvents')} />
          ) : (
            <HealthTimeline events={s.timeline} live={s.status === 'live'} />
          )}
          <EventTable events={s.timeline.slice(0, TABLE_ROWS)} showSubject={false} />
          {s.timeline.length > TABLE_ROWS && (
            <p className="muted small">
              <a href={routeHref({ page: 'events', query: { stream_id: s.streamId } })}>
                {t('stream.allEvents')}
              </a>
            </p>
          )}
        </Panel>
      </div>
      <Panel title={t('actions.streamTitle')} className="actions-panel">
        {actOn === undefined ? (
          <p className="muted">{t('actions.noStreamEvent')}</p>
        ) : (
          <OperatorActions
            eventId={actOn}
            actions={['DropLiveStream', 'ForbidLiveStream']}
            actor={reviewer}
            onActor={setReviewer}
          />
        )}
        <h3>{t('actions.trail')}</h3>
        <ActionTrail streamId={s.streamId} />
      </Panel>
      <Panel title={t('stream.screenshots', { count: s.screenshots.length })}>
        {s.screenshots.length === 0 ? (
          <EmptyState title={t('stream.noScreenshots')}>{t('stream.noScreenshotsHint')}</EmptyState>
        ) : (
          <div className="gallery">
            {s.screenshots.slice(0, 24).map((shot) => (
              <figure key={`${shot.url}@${shot.at}`}>
                <Thumbnail
                  url={shot.url}
                  alt={t('stream.screenshotAt', { time: time(shot.at) })}
                  size="medium"
                />
                <figcaption className="muted small">{time(shot.at)}</figcaption>
              </figure>
            ))}
          </div>
        )}
      </Panel>
      <Panel
        title={t('stream.hits')}
        actions={
          <a href={routeHref({ page: 'moderation', query: { stream_id: s.streamId, status: 'all' } })}>
            {t('stream.review')}
          </a>
        }
      >
        {s.moderation.length === 0 ? (
          <EmptyState title={t('stream.noHits')}>{t('stream.noHitsHint')}</EmptyState>
        ) : (
          <ModerationList items={s.moderation} />
        )}
      </Panel>
    </>
  );
}

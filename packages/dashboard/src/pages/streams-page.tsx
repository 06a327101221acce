import { useQuery } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { useApi } from '../api/api-context';
import type { Page, StreamItem } from '../api/api-types';
import { Thumbnail } from '../components/thumbnail';
import {
  EmptyState,
  ErrorNotice,
  FilterTabs,
  Loading,
  LoadMore,
  LookBadge,
  PageHeader,
  Panel,
  TimeAgo,
} from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { Rich, useT } from '../i18n/i18n-context';
import type { PlainKey } from '../i18n/translator';
import { formText } from '../lib/form-text';
import { routeHref, type Route } from '../lib/route';
import { healthLook, streamStatusLook } from '../lib/tones';

type StatusFilter = 'all' | 'live' | 'offline';

/** The health filters, as the page's `health` parameter and the API's. */
const HEALTH_FILTERS: { value: string; api: string | undefined; label: PlainKey }[] = [
  { value: '', api: undefined, label: 'streams.anyHealth' },
  { value: 'problems', api: 'broken,low_framerate', label: 'streams.problemsOnly' },
  { value: 'broken', api: 'broken', label: 'look.broken' },
  { value: 'low_framerate', api: 'low_framerate', label: 'look.lowFramerate' },
  { value: 'ok', api: 'ok', label: 'look.healthy' },
];

/** How many streams the problems wall shows. */
const WALL_SIZE = 12;

/** Why a stream last stopped, in the reader's language when its codes are known. */
function StopReason({ stream }: { stream: StreamItem }) {
  const { disconnect } = useT();
  if (stream.disconnectCode !== undefined) return <>{disconnect(stream.disconnectCode)}</>;
  return stream.disconnectReason === undefined ? (
    <span className="muted">—</span>
  ) : (
    <>{stream.disconnectReason}</>
  );
}

/** The streams broken or dropping frames now, worst first, each with its latest frame. */
function ProblemsWall() {
  const api = useApi();
  const { t } = useT();
  const wall = useQuery({
    queryKey: ['streams-wall'],
    queryFn: ({ signal }) =>
      api.get<Page<StreamItem>>(
        '/streams',
        { health: 'broken,low_framerate', sort: 'problems', limit: WALL_SIZE },
        signal,
      ),
    refetchInterval: 15_000,
  });
  return (
    <Panel
      title={t('streams.wall')}
      className="wall-panel"
      actions={
        wall.data?.nextCursor != null ? (
          <a href={routeHref({ page: 'streams', query: { health: 'problems', sort: 'problems' } })}>
            {t('streams.wallMore')}
          </a>
        ) : undefined
      }
    >
      <p className="muted small panel-note">{t('streams.wallHint')}</p>
      {wall.isPending && <Loading />}
      {wall.isError && <ErrorNotice error={wall.error} />}
      {wall.data && wall.data.items.length === 0 && <EmptyState title={t('streams.wallNone')} />}
      {wall.data && wall.data.items.length > 0 && (
        <ol className="wall" aria-label={t('streams.wall')}>
          {wall.data.items.map((stream) => (
            <li
              key={`${stream.appId}/${stream.streamId}`}
              className={`wall-card wall-${stream.health}`}
              data-stream={stream.streamId}
            >
              <Thumbnail
                url={stream.latestScreenshot?.url}
                alt={t('streams.frameOf', { id: stream.streamId })}
                size="medium"
              />
              <div className="wall-body">
                <a
                  href={routeHref({ page: 'stream', id: stream.streamId, query: { app_id: stream.appId } })}
                  className="strong id-text"
                  title={stream.streamId}
                >
                  {stream.streamId}
                </a>
                <div className="hit-line">
                  <LookBadge look={healthLook(stream.health)} />
                  <LookBadge look={streamStatusLook(stream.status)} />
                </div>
                <div className="muted small hit-line">
                  {stream.healthAt !== undefined && (
                    <span>
                      <Rich k="streams.signalAt" values={{ time: <TimeAgo ms={stream.healthAt} /> }} />
                    </span>
                  )}
                  {stream.brokenCount > 0 && (
                    <span>{t('streams.breaks', { count: stream.brokenCount })}</span>
                  )}
                </div>
              </div>
            </li>
          ))}
        </ol>
      )}
    </Panel>
  );
}

/** Every stream the gateway heard about: the ones in trouble first on the wall, then the list. */
export function StreamsPage({ route }: { route: Route }) {
  const { t, count } = useT();
  const status: StatusFilter =
    route.query.status === 'live' || route.query.status === 'offline' ? route.query.status : 'all';
  const q = route.query.q ?? '';
  const health = HEALTH_FILTERS.find((filter) => filter.value === route.query.health) ?? HEALTH_FILTERS[0]!;
  const sort = route.query.sort === 'problems' ? 'problems' : 'recent';
  const list = useCursorList<StreamItem>(
    '/streams',
    { status: status === 'all' ? undefined : status, q, health: health.api, sort },
    { refetchInterval: 15_000 },
  );
  const go = (changes: Record<string, string | undefined>) =>
    navigate(
      {
        page: 'streams',
        query: {
          status: status === 'all' ? undefined : status,
          q,
          health: health.value || undefined,
          sort: sort === 'recent' ? undefined : sort,
          ...changes,
        },
      },
      { replace: true },
    );

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    go({ q: formText(new FormData(event.currentTarget), 'q') });
  };

  return (
    <>
      <PageHeader title={t('streams.title')} subtitle={t('streams.subtitle')}>
        <FilterTabs
          label={t('streams.status')}
          value={status}
          options={[
            { value: 'all', label: t('streams.all') },
            { value: 'live', label: t('look.live') },
            { value: 'offline', label: t('look.offline') },
          ]}
          onChange={(value) => go({ status: value === 'all' ? undefined : value })}
        />
      </PageHeader>
      <ProblemsWall />
      <form className="filters" onSubmit={search} key={q}>
        <label>
          {t('streams.find')}
          <input name="q" type="search" defaultValue={q} placeholder={t('filter.streamId')} />
        </label>
        <button type="submit">{t('streams.search')}</button>
        <label>
          {t('streams.healthFilter')}
          <select
            name="health"
            value={health.value}
            onChange={(event) => go({ health: event.target.value || undefined })}
          >
            {HEALTH_FILTERS.map((filter) => (
              <option key={filter.value} value={filter.value}>
                {t(filter.label)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('streams.sort')}
          <select
            name="sort"
            value={sort}
            onChange={(event) => go({ sort: event.target.value === 'problems' ? 'problems' : undefined })}
          >
            <option value="recent">{t('streams.sortRecent')}</option>
            <option value="problems">{t('streams.sortProblems')}</option>
          </select>
        </label>
      </form>
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title={t('streams.none')}>{t('streams.noneHint')}</EmptyState>
        )}
        {list.items.length > 0 && (
          <table className="table stack">
            <thead>
              <tr>
                <th className="col-thumb">{t('streams.frame')}</th>
                <th>{t('streams.stream')}</th>
                <th>{t('streams.onAir')}</th>
                <th>{t('streams.health')}</th>
                <th>{t('streams.lastEvent')}</th>
                <th>{t('streams.reason')}</th>
                <th className="num" title={t('streams.brokenTitle')}>
                  {t('streams.broken')}
                </th>
                <th className="num" title={t('streams.lowFpsTitle')}>
                  {t('streams.lowFps')}
                </th>
                <th className="num">{t('streams.hits')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((stream) => (
                <tr key={`${stream.appId}/${stream.streamId}`} data-stream={stream.streamId}>
                  <td className="col-thumb">
                    <Thumbnail
                      url={stream.latestScreenshot?.url}
                      alt={t('streams.frameOf', { id: stream.streamId })}
                    />
                  </td>
                  <td className="col-stream stack-main">
                    <a
                      href={routeHref({
                        page: 'stream',
                        id: stream.streamId,
                        query: { app_id: stream.appId },
                      })}
                      className="strong id-text"
                      title={stream.streamId}
                    >
                      {stream.streamId}
                    </a>
                    <div className="muted small">{t('streams.app', { id: stream.appId || '—' })}</div>
                  </td>
                  <td className="stack-inline">
                    <LookBadge look={streamStatusLook(stream.status)} />
                  </td>
                  <td className="stack-inline">
                    <LookBadge look={healthLook(stream.health)} />
                  </td>
                  <td className="stack-inline" data-label={t('streams.lastEvent')}>
                    <TimeAgo ms={stream.lastEventAt} />
                  </td>
                  <td className="small" data-label={t('streams.reason')}>
                    <StopReason stream={stream} />
                  </td>
                  <td className="num stack-inline" data-label={t('streams.broken')}>
                    {count(stream.brokenCount)}
                  </td>
                  <td className="num stack-inline" data-label={t('streams.lowFps')}>
                    {count(stream.lowFramerateCount)}
                  </td>
                  <td className="num stack-inline" data-label={t('streams.hits')}>
                    {count(stream.moderationHits)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.items.length > 0 && <LoadMore list={list} />}
      </div>
    </>
  );
}

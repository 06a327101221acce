import type { FormEvent } from 'react';
import type { StreamItem } from '../api/api-types';
import { Thumbnail } from '../components/thumbnail';
import {
  EmptyState,
  ErrorNotice,
  FilterTabs,
  Loading,
  LoadMore,
  LookBadge,
  PageHeader,
  TimeAgo,
} from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { useT } from '../i18n/i18n-context';
import { routeHref, type Route } from '../lib/route';
import { healthLook, streamStatusLook } from '../lib/tones';
import { formText } from '../lib/form-text';

type StatusFilter = 'all' | 'live' | 'offline';

/** Every stream the gateway heard about, live ones and problems first to the eye. */
export function StreamsPage({ route }: { route: Route }) {
  const { t, count } = useT();
  const status: StatusFilter =
    route.query.status === 'live' || route.query.status === 'offline' ? route.query.status : 'all';
  const q = route.query.q ?? '';
  const list = useCursorList<StreamItem>(
    '/streams',
    { status: status === 'all' ? undefined : status, q },
    { refetchInterval: 15_000 },
  );

  const search = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const text = formText(new FormData(event.currentTarget), 'q');
    navigate(
      { page: 'streams', query: { status: status === 'all' ? undefined : status, q: text } },
      { replace: true },
    );
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
          onChange={(value) =>
            navigate(
              { page: 'streams', query: { status: value === 'all' ? undefined : value, q } },
              { replace: true },
            )
          }
        />
      </PageHeader>
      <form className="filters" onSubmit={search} key={q}>
        <label>
          {t('streams.find')}
          <input name="q" type="search" defaultValue={q} placeholder={t('filter.streamId')} />
        </label>
        <button type="submit">{t('streams.search')}</button>
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
                <tr key={`${stream.appId}/${stream.streamId}`}>
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
                    {stream.disconnectReason ?? <span className="muted">—</span>}
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
        {list.items.length > 0 && (
          <LoadMore
            hasMore={list.hasMore}
            loading={list.loadingMore}
            onMore={list.loadMore}
            count={list.items.length}
          />
        )}
      </div>
    </>
  );
}

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
import { formatCount } from '../lib/format';
import { routeHref, type Route } from '../lib/route';
import { healthLook, streamStatusLook } from '../lib/tones';
import { formText } from '../lib/form-text';

type StatusFilter = 'all' | 'live' | 'offline';

/** Every stream the gateway heard about, live ones and problems first to the eye. */
export function StreamsPage({ route }: { route: Route }) {
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
      <PageHeader
        title="Streams"
        subtitle="Live streams seen in callbacks: whether they are on air and healthy."
      >
        <FilterTabs
          label="Status"
          value={status}
          options={[
            { value: 'all', label: 'All' },
            { value: 'live', label: 'Live' },
            { value: 'offline', label: 'Offline' },
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
          Find a stream
          <input name="q" type="search" defaultValue={q} placeholder="stream id" />
        </label>
        <button type="submit">Search</button>
      </form>
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title="No streams">
            Streams appear once push, disconnect, screenshot or monitoring callbacks about them arrive.
          </EmptyState>
        )}
        {list.items.length > 0 && (
          <table className="table stack">
            <thead>
              <tr>
                <th className="col-thumb">Latest frame</th>
                <th>Stream</th>
                <th>On air</th>
                <th>Health</th>
                <th>Last event</th>
                <th>Last stopped because</th>
                <th className="num" title="Stream broken alerts">
                  Broken
                </th>
                <th className="num" title="Low frame rate alerts">
                  Low fps
                </th>
                <th className="num">Moderation hits</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((stream) => (
                <tr key={`${stream.appId}/${stream.streamId}`}>
                  <td className="col-thumb">
                    <Thumbnail
                      url={stream.latestScreenshot?.url}
                      alt={`latest frame of ${stream.streamId}`}
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
                    <div className="muted small">app {stream.appId || '—'}</div>
                  </td>
                  <td className="stack-inline">
                    <LookBadge look={streamStatusLook(stream.status)} />
                  </td>
                  <td className="stack-inline">
                    <LookBadge look={healthLook(stream.health)} />
                  </td>
                  <td className="stack-inline" data-label="Last event">
                    <TimeAgo ms={stream.lastEventAt} />
                  </td>
                  <td className="small" data-label="Last stopped because">
                    {stream.disconnectReason ?? <span className="muted">—</span>}
                  </td>
                  <td className="num stack-inline" data-label="Broken">
                    {formatCount(stream.brokenCount)}
                  </td>
                  <td className="num stack-inline" data-label="Low fps">
                    {formatCount(stream.lowFramerateCount)}
                  </td>
                  <td className="num stack-inline" data-label="Moderation hits">
                    {formatCount(stream.moderationHits)}
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

import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import type { Stats } from '../api/api-types';
import { EventTable } from '../components/event-table';
import { RateChart } from '../components/rate-chart';
import { EmptyState, ErrorNotice, FilterTabs, Loading, PageHeader, Panel } from '../components/ui';
import { navigate } from '../hooks/use-route';
import { describeEventType, formatCount } from '../lib/format';
import { buildRateSeries } from '../lib/rate-series';
import { routeHref, type Route } from '../lib/route';

type WindowKey = '1h' | '6h' | '24h';

/** Chart windows and their bucket widths: about 60 to 100 points per line whatever the window. */
const WINDOWS: Record<WindowKey, { label: string; spanMs: number; bucketMs: number }> = {
  '1h': { label: 'Last hour', spanMs: 3_600_000, bucketMs: 60_000 },
  '6h': { label: 'Last 6 hours', spanMs: 6 * 3_600_000, bucketMs: 5 * 60_000 },
  '24h': { label: 'Last 24 hours', spanMs: 24 * 3_600_000, bucketMs: 15 * 60_000 },
};

function isWindow(value: string | undefined): value is WindowKey {
  return value !== undefined && Object.hasOwn(WINDOWS, value);
}

/** Event rates per type over time, counts, and the latest alerts. */
export function OverviewPage({ route }: { route: Route }) {
  const api = useApi();
  const windowKey: WindowKey = isWindow(route.query.window) ? route.query.window : '1h';
  const { spanMs, bucketMs } = WINDOWS[windowKey];
  const stats = useQuery({
    queryKey: ['stats', windowKey],
    queryFn: async ({ signal }) => {
      const until = Date.now();
      const since = Math.floor((until - spanMs) / bucketMs) * bucketMs + bucketMs;
      const answer = await api.get<Stats>('/stats', { since, bucket: bucketMs }, signal);
      return { answer, since, until };
    },
    refetchInterval: 15_000,
  });

  const byType = stats.data
    ? Object.entries(stats.data.answer.totals.byType).sort((a, b) => b[1] - a[1])
    : [];

  return (
    <>
      <PageHeader title="Overview" subtitle="What arrived, how fast, and what needs attention.">
        <FilterTabs
          label="Time window"
          value={windowKey}
          options={(Object.keys(WINDOWS) as WindowKey[]).map((key) => ({
            value: key,
            label: WINDOWS[key].label,
          }))}
          onChange={(value) => navigate({ page: 'overview', query: { window: value } }, { replace: true })}
        />
      </PageHeader>
      {stats.isPending && <Loading />}
      {stats.isError && <ErrorNotice error={stats.error} />}
      {stats.data && (
        <>
          <div className="cards">
            <div className="card">
              <span className="card-label">Events stored</span>
              <strong className="card-value">{formatCount(stats.data.answer.totals.events)}</strong>
            </div>
            <div className="card">
              <span className="card-label">Event types seen</span>
              <strong className="card-value">{formatCount(byType.length)}</strong>
            </div>
            <div className="card">
              <span className="card-label">Sender retries (duplicates)</span>
              <strong className="card-value">{formatCount(stats.data.answer.totals.duplicates ?? 0)}</strong>
            </div>
            <a className="card" href={routeHref({ page: 'rejections' })}>
              <span className="card-label">Refused callbacks</span>
              <strong className={`card-value ${stats.data.answer.totals.rejections > 0 ? 'warn-text' : ''}`}>
                {formatCount(stats.data.answer.totals.rejections)}
              </strong>
            </a>
          </div>
          <div className="grid-2-1">
            <Panel title="Events by type">
              {stats.data.answer.totals.events === 0 ? (
                <EmptyState title="No events in this window">
                  Point Tencent's callback URLs at this gateway's <code>/callbacks</code> to see them here.
                </EmptyState>
              ) : (
                <RateChart
                  bucketMs={bucketMs}
                  data={buildRateSeries(stats.data.answer.buckets, {
                    since: stats.data.since,
                    until: stats.data.until,
                    bucketMs,
                  })}
                />
              )}
            </Panel>
            <Panel title="Counts by type">
              {byType.length === 0 ? (
                <p className="muted">Nothing yet.</p>
              ) : (
                <table className="table compact">
                  <tbody>
                    {byType.slice(0, 12).map(([type, count]) => (
                      <tr key={type}>
                        <td>
                          <a href={routeHref({ page: 'events', query: { type } })} title={type}>
                            {describeEventType(type)}
                          </a>
                        </td>
                        <td className="num">{formatCount(count)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Panel>
          </div>
          <Panel
            title="Recent alerts"
            actions={<a href={routeHref({ page: 'moderation' })}>Moderation queue →</a>}
          >
            {stats.data.answer.recentAlerts.length === 0 ? (
              <EmptyState title="No alerts">
                No broken streams, low frame rates or moderation hits recently.
              </EmptyState>
            ) : (
              <EventTable events={stats.data.answer.recentAlerts} />
            )}
          </Panel>
        </>
      )}
    </>
  );
}

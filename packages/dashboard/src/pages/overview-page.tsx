import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import type { Stats } from '../api/api-types';
import { EventTable } from '../components/event-table';
import { RateChart } from '../components/rate-chart';
import { EmptyState, ErrorNotice, FilterTabs, Loading, PageHeader, Panel } from '../components/ui';
import { navigate } from '../hooks/use-route';
import { Rich, useT } from '../i18n/i18n-context';
import { buildRateSeries } from '../lib/rate-series';
import { routeHref, type Route } from '../lib/route';

type WindowKey = '1h' | '6h' | '24h';

/** Chart windows and their bucket widths: about 60 to 100 points per line whatever the window. */
const WINDOWS: Record<WindowKey, { spanMs: number; bucketMs: number }> = {
  '1h': { spanMs: 3_600_000, bucketMs: 60_000 },
  '6h': { spanMs: 6 * 3_600_000, bucketMs: 5 * 60_000 },
  '24h': { spanMs: 24 * 3_600_000, bucketMs: 15 * 60_000 },
};

function isWindow(value: string | undefined): value is WindowKey {
  return value !== undefined && Object.hasOwn(WINDOWS, value);
}

/** Event rates per type over time, counts, and the latest alerts. */
export function OverviewPage({ route }: { route: Route }) {
  const api = useApi();
  const { t, count, eventType } = useT();
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
  // The gateway picks the alerts that happened last and answers them latest first.
  const alerts = stats.data?.answer.recentAlerts ?? [];
  const totals = stats.data?.answer.totals;

  return (
    <>
      <PageHeader title={t('overview.title')} subtitle={t('overview.subtitle')}>
        <FilterTabs
          label={t('overview.window')}
          value={windowKey}
          options={(Object.keys(WINDOWS) as WindowKey[]).map((key) => ({
            value: key,
            label: t(`overview.window.${key}`),
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
              <span className="card-label">{t('overview.events')}</span>
              <strong className="card-value">{count(totals!.events)}</strong>
            </div>
            <a className="card" href={routeHref({ page: 'streams', query: { status: 'live' } })}>
              <span className="card-label">{t('overview.liveStreams')}</span>
              <strong className="card-value" data-testid="live-streams">
                {count(totals!.streams.live)}
              </strong>
            </a>
            <a
              className="card"
              href={routeHref({ page: 'streams', query: { health: 'problems', sort: 'problems' } })}
            >
              <span className="card-label">{t('overview.troubled')}</span>
              <strong
                className={`card-value ${totals!.streams.broken > 0 ? 'bad-text' : ''}`}
                data-testid="troubled-streams"
              >
                {count(totals!.streams.broken + totals!.streams.lowFramerate)}
              </strong>
              <span className="muted small">
                {t('overview.troubledHint', {
                  broken: totals!.streams.broken,
                  slow: totals!.streams.lowFramerate,
                })}
              </span>
            </a>
            <a className="card" href={routeHref({ page: 'moderation' })}>
              <span className="card-label">{t('overview.toReview')}</span>
              <strong
                className={`card-value ${totals!.pendingReview > 0 ? 'warn-text' : ''}`}
                data-testid="pending-review"
              >
                {count(totals!.pendingReview)}
              </strong>
            </a>
            <div className="card">
              <span className="card-label">{t('overview.types')}</span>
              <strong className="card-value">{count(byType.length)}</strong>
            </div>
            <div className="card">
              <span className="card-label">{t('overview.duplicates')}</span>
              <strong className="card-value" data-testid="duplicates">
                {count(totals!.duplicates)}
              </strong>
            </div>
            <a className="card" href={routeHref({ page: 'rejections' })}>
              <span className="card-label">{t('overview.rejections')}</span>
              <strong className={`card-value ${totals!.rejections > 0 ? 'warn-text' : ''}`}>
                {count(totals!.rejections)}
              </strong>
            </a>
          </div>
          <div className="grid-2-1">
            <Panel title={t('overview.chart')}>
              {stats.data.answer.totals.events === 0 ? (
                <EmptyState title={t('overview.noEvents')}>
                  <Rich k="overview.noEventsHint" values={{ path: <code>/callbacks</code> }} />
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
            <Panel title={t('overview.counts')}>
              {byType.length === 0 ? (
                <p className="muted">{t('overview.nothingYet')}</p>
              ) : (
                <table className="table compact">
                  <tbody>
                    {byType.slice(0, 12).map(([type, n]) => (
                      <tr key={type}>
                        <td>
                          <a href={routeHref({ page: 'events', query: { type } })} title={type}>
                            {eventType(type)}
                          </a>
                        </td>
                        <td className="num">{count(n)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Panel>
          </div>
          <Panel
            title={t('overview.alerts')}
            actions={<a href={routeHref({ page: 'moderation' })}>{t('overview.toQueue')}</a>}
          >
            {alerts.length === 0 ? (
              <EmptyState title={t('overview.noAlerts')}>{t('overview.noAlertsHint')}</EmptyState>
            ) : (
              <>
                <p className="muted small panel-note">{t('overview.alertsOrder')}</p>
                <EventTable events={alerts} />
              </>
            )}
          </Panel>
        </>
      )}
    </>
  );
}

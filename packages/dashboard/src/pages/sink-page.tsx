import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import type { Delivery, Sink } from '../api/api-types';
import { DeliveryTable } from '../components/delivery-table';
import { RetryAllFailed } from '../components/retry-all-failed';
import { percent } from '../components/sink-cards';
import {
  Badge,
  EmptyState,
  ErrorNotice,
  FilterTabs,
  Loading,
  LoadMore,
  PageHeader,
  Panel,
  TimeAgo,
} from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { useT } from '../i18n/i18n-context';
import { routeHref, type Route } from '../lib/route';
import { FILTERS, isFilter, type StatusFilter } from './deliveries-page';

/**
 * One sink at `#/deliveries/<name>`: whether it is on, its backlog, its oldest waiting delivery, its success
 * rate over the last hour and what failed for good; then its deliveries by state, each failed one (or all
 * of them, after a confirmation) sent again.
 */
export function SinkPage({ name, route }: { name: string; route: Route }) {
  const api = useApi();
  const { t, count } = useT();
  const status: StatusFilter = isFilter(route.query.status) ? route.query.status : 'all';
  const sinks = useQuery({
    queryKey: ['/sinks'],
    queryFn: ({ signal }) => api.get<{ items: Sink[] }>('/sinks', {}, signal),
    refetchInterval: 15_000,
  });
  const sink = sinks.data?.items.find((item) => item.name === name);
  const list = useCursorList<Delivery>(
    '/deliveries',
    { status: status === 'all' ? undefined : status, sink: name },
    { refetchInterval: 15_000, enabled: sink !== undefined },
  );
  const back = (
    <p className="small">
      <a href={routeHref({ page: 'deliveries' })}>{t('sink.back')}</a>
    </p>
  );

  if (sinks.isPending) return <Loading />;
  if (sinks.isError) return <ErrorNotice error={sinks.error} />;
  if (sink === undefined) {
    return (
      <>
        <PageHeader title={t('sink.title', { name })} />
        <div className="notice notice-warn">{t('sink.unknown', { name })}</div>
        {back}
      </>
    );
  }
  const recent = sink.window;
  return (
    <>
      <PageHeader title={t('sink.title', { name })} subtitle={t('sink.subtitle', { type: sink.type })}>
        {sink.disabled === null ? (
          <Badge tone="good">{t('sinks.on')}</Badge>
        ) : (
          <Badge tone="neutral">{t('sinks.off')}</Badge>
        )}
      </PageHeader>
      {back}
      {sink.disabled !== null && (
        <p className="notice notice-warn" role="status">
          {t('sinks.offReason', { reason: sink.disabled.reason })}
        </p>
      )}
      <div className="cards">
        <div className="card">
          <span className="card-label">{t('sinks.backlog')}</span>
          <strong className="card-value" data-testid="sink-backlog">
            {count(sink.pending + sink.held)}
          </strong>
          <span className="muted small">
            {t('sinks.backlogHint', { pending: sink.pending, held: sink.held })}
          </span>
        </div>
        <div className="card">
          <span className="card-label">{t('sinks.oldestPending')}</span>
          <strong className="card-value" data-testid="sink-oldest">
            {sink.oldestPendingAt === null ? (
              t('sinks.nothingWaiting')
            ) : (
              <TimeAgo ms={sink.oldestPendingAt} />
            )}
          </strong>
        </div>
        <div className="card">
          <span className="card-label">{t('sinks.successRate')}</span>
          <strong className="card-value" data-testid="sink-success">
            {recent.successRate === null ? t('sinks.noAttempts') : percent(recent.successRate)}
          </strong>
          <span className="muted small">
            {t('sinks.successHint', { succeeded: recent.succeeded, attempts: recent.attempts })}
          </span>
        </div>
        <a className="card" href={routeHref({ page: 'sink', id: name, query: { status: 'dead' } })}>
          <span className="card-label">{t('sinks.failed')}</span>
          <strong className={`card-value ${sink.dead > 0 ? 'bad-text' : ''}`} data-testid="sink-dead">
            {count(sink.dead)}
          </strong>
        </a>
      </div>
      <Panel
        title={t('sink.deliveries', { name })}
        actions={
          <FilterTabs
            label={t('deliveries.state')}
            value={status}
            options={FILTERS.map((filter) => ({ value: filter.value, label: t(filter.label) }))}
            onChange={(value) =>
              navigate(
                { page: 'sink', id: name, query: { status: value === 'all' ? undefined : value } },
                { replace: true },
              )
            }
          />
        }
      >
        <div className="toolbar">
          <RetryAllFailed sink={name} />
        </div>
        {list.query.isPending && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title={status === 'all' ? t('deliveries.none') : t('deliveries.noneInState')} />
        )}
        {list.items.length > 0 && <DeliveryTable deliveries={list.items} />}
        {list.items.length > 0 && <LoadMore list={list} />}
      </Panel>
    </>
  );
}

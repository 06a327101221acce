import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import { ApiError } from '../api/api-client';
import type { Delivery, DeliveryStatus, Sink } from '../api/api-types';
import { DeliveryTable } from '../components/delivery-table';
import { RetryAllFailed } from '../components/retry-all-failed';
import { SinkCards } from '../components/sink-cards';
import { EmptyState, ErrorNotice, FilterTabs, Loading, LoadMore, PageHeader, Panel } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { useT } from '../i18n/i18n-context';
import type { PlainKey } from '../i18n/translator';
import type { Route } from '../lib/route';

/** A delivery state to show, or every one. */
export type StatusFilter = DeliveryStatus | 'all';
/** The delivery state tabs. */
export const FILTERS: { value: StatusFilter; label: PlainKey }[] = [
  { value: 'all', label: 'deliveries.all' },
  { value: 'dead', label: 'deliveries.dead' },
  { value: 'pending', label: 'deliveries.pending' },
  { value: 'held', label: 'deliveries.held' },
  { value: 'delivered', label: 'deliveries.delivered' },
  { value: 'disabled', label: 'deliveries.disabled' },
];
/** Whether a query value names a delivery state tab. */
export function isFilter(value: string | undefined): value is StatusFilter {
  return FILTERS.some((filter) => filter.value === value);
}

/**
 * Forwarding of events to other systems (sinks): each configured sink with its backlog and success rate,
 * then what was sent, what is retrying, what failed for good; by state and by sink, with every failed one
 * sent again after a confirmation.
 */
export function DeliveriesPage({ route }: { route: Route }) {
  const api = useApi();
  const { t } = useT();
  const status: StatusFilter = isFilter(route.query.status) ? route.query.status : 'all';
  const sink = route.query.sink ?? '';
  const list = useCursorList<Delivery>(
    '/deliveries',
    { status: status === 'all' ? undefined : status, sink },
    { refetchInterval: 15_000 },
  );
  const sinks = useQuery({
    queryKey: ['/sinks'],
    queryFn: ({ signal }) => api.get<{ items: Sink[] }>('/sinks', {}, signal),
    refetchInterval: 15_000,
  });
  const names = [
    ...new Set([...(sinks.data?.items.map((item) => item.name) ?? []), ...(sink ? [sink] : [])]),
  ];
  // A gateway without fan-out has no deliveries route at all: that is "nothing configured", not a failure.
  const noFanOut = list.query.error instanceof ApiError && list.query.error.status === 404;
  const go = (query: { status?: StatusFilter; sink?: string }) =>
    navigate(
      {
        page: 'deliveries',
        query: {
          status: (query.status ?? status) === 'all' ? undefined : (query.status ?? status),
          sink: query.sink ?? sink,
        },
      },
      { replace: true },
    );

  return (
    <>
      <PageHeader title={t('deliveries.title')} subtitle={t('deliveries.subtitle')}>
        <FilterTabs
          label={t('deliveries.state')}
          value={status}
          options={FILTERS.map((filter) => ({ value: filter.value, label: t(filter.label) }))}
          onChange={(value) => go({ status: value })}
        />
      </PageHeader>
      <div className="toolbar">
        <label className="inline-field small">
          {t('deliveries.sink')}
          <select value={sink} onChange={(event) => go({ sink: event.target.value })}>
            <option value="">{t('deliveries.anySink')}</option>
            {names.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        <RetryAllFailed sink={sink} />
      </div>
      {sinks.isError && !noFanOut && <ErrorNotice error={sinks.error} />}
      {sinks.data !== undefined && sinks.data.items.length > 0 && (
        <Panel title={t('sinks.title')}>
          <SinkCards sinks={sinks.data.items} />
        </Panel>
      )}
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && !noFanOut && <ErrorNotice error={list.query.error} />}
        {(noFanOut || (list.query.isSuccess && list.items.length === 0)) && (
          <EmptyState
            title={status === 'all' && sink === '' ? t('deliveries.none') : t('deliveries.noneInState')}
          >
            {status === 'all' && sink === '' ? t('deliveries.noneHint') : t('deliveries.noneInStateHint')}
          </EmptyState>
        )}
        {list.items.length > 0 && <DeliveryTable deliveries={list.items} />}
        {list.items.length > 0 && <LoadMore list={list} />}
      </div>
    </>
  );
}

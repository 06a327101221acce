import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/api-context';
import { ApiError } from '../api/api-client';
import type { Delivery, DeliveryStatus, Page } from '../api/api-types';
import { DeliveryTable } from '../components/delivery-table';
import { EmptyState, ErrorNotice, FilterTabs, Loading, LoadMore, PageHeader } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { useT } from '../i18n/i18n-context';
import type { PlainKey } from '../i18n/translator';
import type { Route } from '../lib/route';

type StatusFilter = DeliveryStatus | 'all';
const FILTERS: { value: StatusFilter; label: PlainKey }[] = [
  { value: 'all', label: 'deliveries.all' },
  { value: 'dead', label: 'deliveries.dead' },
  { value: 'pending', label: 'deliveries.pending' },
  { value: 'held', label: 'deliveries.held' },
  { value: 'delivered', label: 'deliveries.delivered' },
  { value: 'disabled', label: 'deliveries.disabled' },
];
/** Recent deliveries read to learn the sinks' names (the API does not list the configured sinks). */
const SINK_SAMPLE = 500;

function isFilter(value: string | undefined): value is StatusFilter {
  return FILTERS.some((filter) => filter.value === value);
}

/**
 * Forwarding of events to other systems (sinks): what was sent, what is retrying, what failed for good;
 * by state and by sink, with every failed one sent again after a confirmation.
 */
export function DeliveriesPage({ route }: { route: Route }) {
  const api = useApi();
  const { t } = useT();
  const queryClient = useQueryClient();
  const status: StatusFilter = isFilter(route.query.status) ? route.query.status : 'all';
  const sink = route.query.sink ?? '';
  const list = useCursorList<Delivery>(
    '/deliveries',
    { status: status === 'all' ? undefined : status, sink },
    { refetchInterval: 15_000 },
  );
  const sample = useQuery({
    queryKey: ['/deliveries', 'sinks'],
    queryFn: ({ signal }) => api.get<Page<Delivery>>('/deliveries', { limit: SINK_SAMPLE }, signal),
    staleTime: 60_000,
  });
  const sinks = [
    ...new Set([...(sample.data?.items.map((item) => item.sink) ?? []), ...(sink ? [sink] : [])]),
  ].sort();
  const [asking, setAsking] = useState(false);
  const retryAll = useMutation({
    mutationFn: () =>
      api.post<{ retried: number }>(
        `/deliveries/retry-dead${sink === '' ? '' : `?sink=${encodeURIComponent(sink)}`}`,
        {},
      ),
    onSuccess: () => {
      setAsking(false);
      void queryClient.invalidateQueries({ queryKey: ['/deliveries'] });
    },
  });
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
            {sinks.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </label>
        {asking ? (
          <span className="confirm" role="group" aria-label={t('deliveries.retryAll')}>
            <span className="small">
              {sink === '' ? t('deliveries.retryAllAsk') : t('deliveries.retryAllAskOf', { sink })}
            </span>
            <button
              type="button"
              className="primary"
              disabled={retryAll.isPending}
              onClick={() => retryAll.mutate()}
            >
              {t('delivery.retryYes')}
            </button>
            <button type="button" onClick={() => setAsking(false)}>
              {t('ui.cancel')}
            </button>
          </span>
        ) : (
          <button type="button" onClick={() => setAsking(true)}>
            {sink === '' ? t('deliveries.retryAll') : t('deliveries.retryAllOf', { sink })}
          </button>
        )}
        {retryAll.isSuccess && (
          <span className="muted small" role="status">
            {t('deliveries.retried', { count: retryAll.data.retried })}
          </span>
        )}
      </div>
      {retryAll.isError && <ErrorNotice error={retryAll.error} />}
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

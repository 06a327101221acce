import type { Delivery, DeliveryStatus } from '../api/api-types';
import { ApiError } from '../api/api-client';
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

function isFilter(value: string | undefined): value is StatusFilter {
  return FILTERS.some((filter) => filter.value === value);
}

/** Forwarding of events to other systems (sinks): what was sent, what is retrying, what failed for good. */
export function DeliveriesPage({ route }: { route: Route }) {
  const { t } = useT();
  const status: StatusFilter = isFilter(route.query.status) ? route.query.status : 'all';
  const list = useCursorList<Delivery>(
    '/deliveries',
    { status: status === 'all' ? undefined : status },
    { refetchInterval: 15_000 },
  );
  // A gateway without fan-out has no deliveries route at all: that is "nothing configured", not a failure.
  const noFanOut = list.query.error instanceof ApiError && list.query.error.status === 404;

  return (
    <>
      <PageHeader title={t('deliveries.title')} subtitle={t('deliveries.subtitle')}>
        <FilterTabs
          label={t('deliveries.state')}
          value={status}
          options={FILTERS.map((filter) => ({ value: filter.value, label: t(filter.label) }))}
          onChange={(value) =>
            navigate(
              { page: 'deliveries', query: { status: value === 'all' ? undefined : value } },
              { replace: true },
            )
          }
        />
      </PageHeader>
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && !noFanOut && <ErrorNotice error={list.query.error} />}
        {(noFanOut || (list.query.isSuccess && list.items.length === 0)) && (
          <EmptyState title={status === 'all' ? t('deliveries.none') : t('deliveries.noneInState')}>
            {status === 'all' ? t('deliveries.noneHint') : t('deliveries.noneInStateHint')}
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

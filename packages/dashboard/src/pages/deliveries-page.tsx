import type { Delivery, DeliveryStatus } from '../api/api-types';
import { ApiError } from '../api/api-client';
import { DeliveryTable } from '../components/delivery-table';
import { EmptyState, ErrorNotice, FilterTabs, Loading, LoadMore, PageHeader } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import type { Route } from '../lib/route';

type StatusFilter = DeliveryStatus | 'all';
const FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'all', label: 'All' },
  { value: 'dead', label: 'Failed' },
  { value: 'pending', label: 'Sending' },
  { value: 'held', label: 'Held' },
  { value: 'delivered', label: 'Delivered' },
  { value: 'disabled', label: 'Sink gone' },
];

function isFilter(value: string | undefined): value is StatusFilter {
  return FILTERS.some((filter) => filter.value === value);
}

/** Forwarding of events to other systems (sinks): what was sent, what is retrying, what failed for good. */
export function DeliveriesPage({ route }: { route: Route }) {
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
      <PageHeader
        title="Deliveries"
        subtitle="Events forwarded to your systems (webhooks, queues, chat alerts)."
      >
        <FilterTabs
          label="Delivery state"
          value={status}
          options={FILTERS}
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
          <EmptyState title={status === 'all' ? 'No deliveries' : 'No delivery in this state'}>
            {status === 'all'
              ? 'Events are stored but not forwarded anywhere yet. Deliveries appear here once sinks are configured; failed ones stay here to be retried.'
              : 'Nothing to show for this filter.'}
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

import type { Delivery } from '../api/api-types';
import { ApiError } from '../api/api-client';
import { EmptyState, ErrorNotice, Loading, LoadMore, PageHeader, TimeAgo } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';

/** Forwarding of events to other systems (sinks), failed ones first to the eye. */
export function DeliveriesPage() {
  const list = useCursorList<Delivery>('/deliveries');
  // Until fan-out exists the gateway has no deliveries route at all: that is "nothing configured", not a failure.
  const noFanOut = list.query.error instanceof ApiError && list.query.error.status === 404;

  return (
    <>
      <PageHeader title="Deliveries" subtitle="Events forwarded to your systems (webhooks, queues)." />
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && !noFanOut && <ErrorNotice error={list.query.error} />}
        {(noFanOut || (list.query.isSuccess && list.items.length === 0)) && (
          <EmptyState title="No deliveries">
            Events are stored but not forwarded anywhere yet. Deliveries appear here once sinks are
            configured, with failed ones kept for retry.
          </EmptyState>
        )}
        {list.items.length > 0 && (
          <table className="table">
            <thead>
              <tr>
                <th>Sink</th>
                <th>Status</th>
                <th className="num">Attempts</th>
                <th>Last error</th>
                <th>Updated</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((delivery, index) => (
                <tr key={delivery.id ?? index}>
                  <td>{delivery.sink}</td>
                  <td>{delivery.status}</td>
                  <td className="num">{delivery.attempts ?? '—'}</td>
                  <td className="small">{delivery.lastError ?? '—'}</td>
                  <td>
                    <TimeAgo ms={delivery.updatedAt} />
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

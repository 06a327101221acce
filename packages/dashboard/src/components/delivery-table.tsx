import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import type { Delivery } from '../api/api-types';
import { describeEventType } from '../lib/format';
import { routeHref } from '../lib/route';
import { deliveryStatusLook } from '../lib/tones';
import { ErrorNotice, LookBadge, TimeAgo } from './ui';

/** Deliveries with their state in words; failed ones can be sent again. */
export function DeliveryTable({
  deliveries,
  showEvent = true,
}: {
  deliveries: readonly Delivery[];
  showEvent?: boolean;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const retry = useMutation({
    mutationFn: (id: string) => api.post<Delivery>(`/deliveries/${encodeURIComponent(id)}/retry`, {}),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['/deliveries'] });
      void queryClient.invalidateQueries({ queryKey: ['event'] });
    },
  });
  return (
    <>
      {retry.isError && <ErrorNotice error={retry.error} />}
      <table className="table stack">
        <thead>
          <tr>
            {showEvent && <th>Event</th>}
            <th>Sink</th>
            <th>State</th>
            <th className="num">Attempts</th>
            <th>Last error</th>
            <th>Updated</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id}>
              {showEvent && (
                <td className="stack-main">
                  <a href={routeHref({ page: 'event', id: delivery.eventId })} title={delivery.eventType}>
                    {describeEventType(delivery.eventType)}
                  </a>
                </td>
              )}
              <td className="mono stack-inline" data-label="Sink">
                {delivery.sink}
              </td>
              <td className="stack-inline">
                <LookBadge look={deliveryStatusLook(delivery.status)} />
                {delivery.status === 'pending' && delivery.nextAttemptAt !== null && (
                  <div className="muted small">
                    next try <TimeAgo ms={delivery.nextAttemptAt} />
                  </div>
                )}
              </td>
              <td className="num stack-inline" data-label="Attempts">
                {delivery.attempts}
              </td>
              <td className="small break" data-label="Last error">
                {delivery.lastError ?? <span className="muted">—</span>}
              </td>
              <td className="stack-inline" data-label="Updated">
                <TimeAgo ms={delivery.updatedAt} />
              </td>
              <td className="stack-inline">
                {(delivery.status === 'dead' || delivery.status === 'disabled') && (
                  <button
                    type="button"
                    disabled={retry.isPending}
                    onClick={() => retry.mutate(delivery.id)}
                    title="Send it again now"
                  >
                    Retry
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

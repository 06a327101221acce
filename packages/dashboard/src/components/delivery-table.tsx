import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/api-context';
import type { Delivery } from '../api/api-types';
import { useNow } from '../hooks/use-now';
import { useT } from '../i18n/i18n-context';
import { routeHref } from '../lib/route';
import { deliveryStatusLook } from '../lib/tones';
import { ErrorNotice, LookBadge, TimeAgo } from './ui';

/** When a pending delivery goes next: a try still ahead, or one overdue and waiting behind a backlog. */
function NextTry({ at }: { at: number }) {
  const now = useNow();
  const { t, ago, time } = useT();
  return (
    <div className="muted small">
      <time dateTime={new Date(at).toISOString()} title={time(at)}>
        {at > now
          ? t('delivery.nextTry', { when: ago(at, now) })
          : t('delivery.queued', { when: ago(at, now) })}
      </time>
    </div>
  );
}

/** Deliveries with their state in words; failed ones can be sent again, after a confirmation. */
export function DeliveryTable({
  deliveries,
  showEvent = true,
}: {
  deliveries: readonly Delivery[];
  showEvent?: boolean;
}) {
  const api = useApi();
  const { t, eventType } = useT();
  const queryClient = useQueryClient();
  const [asking, setAsking] = useState<string | undefined>(undefined);
  const retry = useMutation({
    mutationFn: (id: string) => api.post<Delivery>(`/deliveries/${encodeURIComponent(id)}/retry`, {}),
    onSuccess: () => {
      setAsking(undefined);
      void queryClient.invalidateQueries({ queryKey: ['/deliveries'] });
      void queryClient.invalidateQueries({ queryKey: ['event'] });
      void queryClient.invalidateQueries({ queryKey: ['/sinks'] });
    },
  });
  return (
    <>
      {retry.isError && <ErrorNotice error={retry.error} />}
      <table className="table stack">
        <thead>
          <tr>
            {showEvent && <th>{t('table.event')}</th>}
            <th>{t('deliveries.sink')}</th>
            <th>{t('delivery.state')}</th>
            <th className="num">{t('delivery.attempts')}</th>
            <th>{t('delivery.lastError')}</th>
            <th>{t('delivery.updated')}</th>
            <th>
              <span className="visually-hidden">{t('delivery.retry')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((delivery) => (
            <tr key={delivery.id}>
              {showEvent && (
                <td className="stack-main">
                  <a href={routeHref({ page: 'event', id: delivery.eventId })} title={delivery.eventType}>
                    {eventType(delivery.eventType)}
                  </a>
                </td>
              )}
              <td className="mono stack-inline" data-label={t('deliveries.sink')}>
                <a href={routeHref({ page: 'sink', id: delivery.sink })}>{delivery.sink}</a>
              </td>
              <td className="stack-inline">
                <LookBadge look={deliveryStatusLook(delivery.status)} />
                {delivery.status === 'pending' && delivery.nextAttemptAt !== null && (
                  <NextTry at={delivery.nextAttemptAt} />
                )}
              </td>
              <td className="num stack-inline" data-label={t('delivery.attempts')}>
                {delivery.attempts}
              </td>
              <td className="small break" data-label={t('delivery.lastError')}>
                {delivery.lastError ?? <span className="muted">—</span>}
              </td>
              <td className="stack-inline" data-label={t('delivery.updated')}>
                <TimeAgo ms={delivery.updatedAt} />
              </td>
              <td className="stack-inline">
                {(delivery.status === 'dead' || delivery.status === 'disabled') &&
                  (asking === delivery.id ? (
                    <span className="confirm" role="group" aria-label={t('delivery.retry')}>
                      <span className="small">{t('delivery.retryAsk', { sink: delivery.sink })}</span>
                      <button
                        type="button"
                        className="primary"
                        disabled={retry.isPending}
                        onClick={() => retry.mutate(delivery.id)}
                      >
                        {t('delivery.retryYes')}
                      </button>
                      <button type="button" onClick={() => setAsking(undefined)}>
                        {t('ui.cancel')}
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      onClick={() => setAsking(delivery.id)}
                      title={t('delivery.retryTitle')}
                    >
                      {t('delivery.retry')}
                    </button>
                  ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

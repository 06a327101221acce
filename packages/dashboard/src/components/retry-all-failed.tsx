import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/api-context';
import { useT } from '../i18n/i18n-context';
import { ErrorNotice } from './ui';

/**
 * "Retry all failed", of every sink or of one, after a confirmation: `POST /api/deliveries/retry-dead`
 * makes every delivery that failed for good due now, and says how many.
 */
export function RetryAllFailed({ sink }: { sink: string }) {
  const api = useApi();
  const { t } = useT();
  const queryClient = useQueryClient();
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
      void queryClient.invalidateQueries({ queryKey: ['/sinks'] });
    },
  });
  return (
    <>
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
      {retryAll.isError && <ErrorNotice error={retryAll.error} />}
    </>
  );
}

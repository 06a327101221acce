import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import type { Delivery, DeliveryAttempt } from '../api/api-types';
import { useT } from '../i18n/i18n-context';
import { formatJson } from '../lib/format';
import { Badge, ErrorNotice, Loading, Time } from './ui';

/**
 * Every finished attempt of one delivery, oldest first: its outcome, the error or the sink's answer, how
 * long it took and when it started. A retry by hand numbers its attempts from 1 again.
 */
export function DeliveryAttempts({ delivery }: { delivery: Delivery }) {
  const api = useApi();
  const { t } = useT();
  const attempts = useQuery({
    // The delivery's update time is in the key: a new attempt changes it and reloads the history.
    queryKey: ['/deliveries', delivery.id, 'attempts', delivery.updatedAt],
    queryFn: ({ signal }) =>
      api.get<{ items: DeliveryAttempt[] }>(
        `/deliveries/${encodeURIComponent(delivery.id)}/attempts`,
        {},
        signal,
      ),
  });
  const heading = `attempts-${delivery.id}`;
  return (
    <section className="attempts" aria-labelledby={heading}>
      <h3 id={heading}>{t('attempts.title', { sink: delivery.sink })}</h3>
      {attempts.isPending && <Loading what={t('attempts.loading')} />}
      {attempts.isError && <ErrorNotice error={attempts.error} />}
      {attempts.data?.items.length === 0 && <p className="muted small">{t('attempts.none')}</p>}
      {attempts.data !== undefined && attempts.data.items.length > 0 && (
        <table className="table stack">
          <thead>
            <tr>
              <th className="num">{t('attempts.number')}</th>
              <th>{t('attempts.outcome')}</th>
              <th>{t('attempts.answer')}</th>
              <th className="num">{t('attempts.took')}</th>
              <th>{t('attempts.started')}</th>
            </tr>
          </thead>
          <tbody>
            {attempts.data.items.map((attempt) => (
              <tr key={`${attempt.startedAt}-${attempt.attempt}`}>
                <td className="num stack-inline" data-label={t('attempts.number')}>
                  {attempt.attempt}
                </td>
                <td className="stack-inline">
                  <Badge tone={attempt.status === 'delivered' ? 'good' : 'bad'}>
                    {t(attempt.status === 'delivered' ? 'attempts.delivered' : 'attempts.failed')}
                  </Badge>
                </td>
                <td className="small break" data-label={t('attempts.answer')}>
                  {attempt.error ??
                    (attempt.result === null ? (
                      <span className="muted">—</span>
                    ) : (
                      <code>{formatJson(attempt.result)}</code>
                    ))}
                </td>
                <td className="num stack-inline" data-label={t('attempts.took')}>
                  {t('attempts.ms', { ms: attempt.durationMs })}
                </td>
                <td className="stack-inline" data-label={t('attempts.started')}>
                  <Time ms={attempt.startedAt} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

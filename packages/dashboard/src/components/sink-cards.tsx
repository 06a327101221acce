import type { Sink } from '../api/api-types';
import { useT } from '../i18n/i18n-context';
import { routeHref } from '../lib/route';
import { Badge, TimeAgo } from './ui';

/** A success rate as a percentage with at most one decimal: `99.5%`. */
export function percent(rate: number): string {
  return `${Math.round(rate * 1000) / 10}%`;
}

/**
 * One card per configured sink, opening its page: whether it is on, its backlog, its oldest waiting
 * delivery, its success rate over the last hour and how many deliveries failed for good.
 */
export function SinkCards({ sinks }: { sinks: readonly Sink[] }) {
  const { t, count } = useT();
  return (
    <div className="cards">
      {sinks.map((sink) => (
        <a key={sink.name} className="card" href={routeHref({ page: 'sink', id: sink.name })}>
          <span className="card-label">
            <span className="mono">{sink.name}</span> · {sink.type}{' '}
            {sink.disabled === null ? (
              <Badge tone="good">{t('sinks.on')}</Badge>
            ) : (
              <Badge tone="neutral" title={sink.disabled.reason}>
                {t('sinks.off')}
              </Badge>
            )}
          </span>
          <strong className="card-value">
            {sink.window.successRate === null ? '—' : percent(sink.window.successRate)}
          </strong>
          <span className="muted small">
            {t('sinks.successRate')}:{' '}
            {sink.window.successRate === null
              ? t('sinks.noAttempts')
              : t('sinks.successHint', { succeeded: sink.window.succeeded, attempts: sink.window.attempts })}
          </span>
          <span className="small">
            {t('sinks.backlog')}: {count(sink.pending + sink.held)} · {t('sinks.oldestPending')}:{' '}
            {sink.oldestPendingAt === null ? (
              t('sinks.nothingWaiting')
            ) : (
              <TimeAgo ms={sink.oldestPendingAt} />
            )}
          </span>
          <span className={`small ${sink.dead > 0 ? 'bad-text' : ''}`}>
            {t('sinks.failed')}: {count(sink.dead)}
          </span>
        </a>
      ))}
    </div>
  );
}

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import type { Delivery, EventDetail, ModerationDetail, Page } from '../api/api-types';
import { DeliveryAttempts } from '../components/delivery-attempts';
import { DeliveryTable } from '../components/delivery-table';
import { HeadersTable } from '../components/headers-table';
import { FlaggedImage } from '../components/thumbnail';
import { SubjectLinks } from '../components/subject-links';
import {
  Badge,
  EmptyState,
  ErrorNotice,
  Facts,
  JsonBlock,
  Loading,
  PageHeader,
  Panel,
  LookBadge,
  Time,
  usePageTitle,
} from '../components/ui';

/** Event types that can make a moderation item (with the event's id). */
const MODERATION_TYPES = new Set(['css.moderation.image', 'css.moderation.audio', 'trtc.moderation.result']);
import { Rich, useT } from '../i18n/i18n-context';
import { formatScore, prettyBody } from '../lib/format';
import { routeHref } from '../lib/route';
import { suggestionLook } from '../lib/tones';

/** One event: summary, data, subject, signature verdict, the body exactly as received, headers, deliveries. */
export function EventPage({ id }: { id: string }) {
  const api = useApi();
  const { t, eventType, family, auth, labels } = useT();
  const [pretty, setPretty] = useState(false);
  const [revealed, setRevealed] = useState(false);
  const queryClient = useQueryClient();
  const release = useMutation({
    mutationFn: () => api.post<{ released: number }>(`/events/${encodeURIComponent(id)}/release`, {}),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['event', id] }),
  });
  const event = useQuery({
    queryKey: ['event', id],
    queryFn: ({ signal }) => api.get<EventDetail>(`/events/${encodeURIComponent(id)}`, {}, signal),
  });

  // A flagged result is a moderation item with the event's id; results that passed are not, and answer 404.
  const flagged = useQuery({
    queryKey: ['moderation-item', id],
    queryFn: ({ signal }) => api.get<ModerationDetail>(`/moderation/${encodeURIComponent(id)}`, {}, signal),
    enabled: event.data !== undefined && MODERATION_TYPES.has(event.data.type),
  });
  // Whether any sink forwards anything: then an event without deliveries was filtered out, not unforwardable.
  const forwarding = useQuery({
    queryKey: ['/deliveries', 'any'],
    queryFn: ({ signal }) => api.get<Page<Delivery>>('/deliveries', { limit: 1 }, signal),
    enabled: event.data !== undefined && (event.data.deliveries ?? []).length === 0,
  });
  usePageTitle(event.data === undefined ? t('event.loading') : undefined);

  if (event.isPending) return <Loading what={t('event.loading')} />;
  if (event.isError) return <ErrorNotice error={event.error} />;
  const e = event.data;
  const deliveries = e.deliveries ?? [];
  const item = flagged.data;

  return (
    <>
      <PageHeader title={eventType(e.type)} subtitle={e.summary}>
        <code className="pill">{e.type}</code>
      </PageHeader>
      <div className="grid-2">
        <Panel title={t('event.whatHappened')}>
          <Facts
            rows={[
              [t('event.type'), <code key="t">{e.type}</code>],
              [t('event.service'), family(e.family)],
              [t('event.classification'), <code key="s">{e.source}</code>],
              ...(e.classifiedAs === undefined
                ? []
                : [
                    [
                      t('event.classifiedAs'),
                      <span key="c">
                        {eventType(e.classifiedAs)} <code>{e.classifiedAs}</code>
                      </span>,
                    ] as [string, ReactNode],
                  ]),
              [t('event.happenedAt'), <Time key="o" ms={e.occurredAt} />],
              [t('event.receivedAt'), <Time key="r" ms={e.receivedAt} />],
              [t('event.about'), <SubjectLinks key="sub" subject={e.subject} />],
              [
                t('event.retries'),
                e.duplicates ? t('event.retriesCount', { count: e.duplicates }) : t('ui.none'),
              ],
              [t('event.id'), <code key="id">{e.id}</code>],
            ]}
          />
        </Panel>
        <Panel title={t('event.authentic')}>
          <div className="verdict">
            {e.auth.method === 'unsigned' ? (
              <Badge tone="neutral">{t('event.unsigned')}</Badge>
            ) : e.auth.stale ? (
              <Badge tone="warn">{t('event.verifiedStale')}</Badge>
            ) : (
              <Badge tone="good">{t('event.verified')}</Badge>
            )}
            <span>{auth(e.auth)}</span>
          </div>
          {e.auth.stale && (
            <p className="hint">
              <Rich
                k="event.staleHint"
                values={{ t: <code>t</code>, setting: <code>LIVEHOOKS_CSS_REJECT_STALE</code> }}
              />
            </p>
          )}
          {e.issues !== undefined && e.issues.length > 0 && (
            <div className="notice notice-warn">
              <strong>{t('event.issues')}</strong>{' '}
              {e.classifiedAs === undefined
                ? t('event.issuesText')
                : t('event.issuesTextOf', { type: eventType(e.classifiedAs) })}
              <ul>
                {e.issues.map((issue) => (
                  <li key={`${issue.path}:${issue.message}`}>
                    <code>{issue.path || t('event.wholeBody')}</code> {issue.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <h3>{t('event.headers')}</h3>
          {Object.keys(e.headers).length === 0 ? (
            <p className="muted">{t('event.noHeaders')}</p>
          ) : (
            <HeadersTable headers={e.headers} />
          )}
        </Panel>
      </div>
      {item !== undefined && (
        <Panel
          title={t('event.flagged')}
          actions={
            <a href={routeHref({ page: 'moderation', query: { status: 'all' } })}>{t('stream.review')}</a>
          }
        >
          <div className="flagged">
            {item.mediaType === 'image' && (
              <FlaggedImage
                url={item.mediaUrl}
                alt={labels(item.labels)}
                size="medium"
                revealed={revealed}
                onReveal={setRevealed}
              />
            )}
            <div className="hit-line">
              <LookBadge look={suggestionLook(item.suggestion)} />
              <strong>{labels(item.labels) || t('moderation.noLabel')}</strong>
              {item.score !== undefined && (
                <span className="muted">{t('moderation.scoreOf', { score: formatScore(item.score) })}</span>
              )}
            </div>
            {item.text !== undefined && item.text !== '' && (
              <blockquote className="flagged-text">{item.text}</blockquote>
            )}
            <p className="hint">{t('event.flaggedHint')}</p>
          </div>
        </Panel>
      )}
      <div className="grid-2">
        <Panel title={t('event.data')}>
          <JsonBlock value={e.data} />
        </Panel>
        <Panel
          title={t('event.raw')}
          actions={
            <label className="toggle">
              <input
                type="checkbox"
                checked={pretty}
                onChange={(change) => setPretty(change.target.checked)}
              />{' '}
              {t('event.indent')}
            </label>
          }
        >
          <pre className="code raw" data-testid="raw-body" tabIndex={0}>
            {pretty ? prettyBody(e.raw) : e.raw}
          </pre>
        </Panel>
      </div>
      <Panel
        title={t('event.deliveries')}
        actions={
          deliveries.some((delivery) => delivery.status === 'held') ? (
            <button
              type="button"
              className="primary"
              disabled={release.isPending}
              onClick={() => release.mutate()}
            >
              {t('event.release')}
            </button>
          ) : undefined
        }
      >
        {release.isError && <ErrorNotice error={release.error} />}
        {deliveries.some((delivery) => delivery.status === 'held') && (
          <p className="hint">{t('event.heldHint')}</p>
        )}
        {deliveries.length === 0 ? (
          <EmptyState title={t('event.notForwarded')}>
            {(forwarding.data?.items.length ?? 0) > 0 ? t('event.noSinkMatched') : t('event.noSinks')}
          </EmptyState>
        ) : (
          <>
            <DeliveryTable deliveries={deliveries} showEvent={false} />
            {deliveries.map((delivery) => (
              <DeliveryAttempts key={delivery.id} delivery={delivery} />
            ))}
          </>
        )}
      </Panel>
    </>
  );
}

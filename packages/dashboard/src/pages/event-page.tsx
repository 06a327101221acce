import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useApi } from '../api/api-context';
import type { EventDetail } from '../api/api-types';
import { DeliveryTable } from '../components/delivery-table';
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
  Time,
} from '../components/ui';
import { describeAuth, describeEventType, describeFamily, formatCount, prettyBody } from '../lib/format';

/** One event: summary, data, subject, signature verdict, the body exactly as received, headers, deliveries. */
export function EventPage({ id }: { id: string }) {
  const api = useApi();
  const [pretty, setPretty] = useState(false);
  const queryClient = useQueryClient();
  const release = useMutation({
    mutationFn: () => api.post<{ released: number }>(`/events/${encodeURIComponent(id)}/release`, {}),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['event', id] }),
  });
  const event = useQuery({
    queryKey: ['event', id],
    queryFn: ({ signal }) => api.get<EventDetail>(`/events/${encodeURIComponent(id)}`, {}, signal),
  });

  if (event.isPending) return <Loading what="Loading the event" />;
  if (event.isError) return <ErrorNotice error={event.error} />;
  const e = event.data;
  const deliveries = e.deliveries ?? [];

  return (
    <>
      <PageHeader title={describeEventType(e.type)} subtitle={e.summary}>
        <code className="pill">{e.type}</code>
      </PageHeader>
      <div className="grid-2">
        <Panel title="What happened">
          <Facts
            rows={[
              ['Event type', <code key="t">{e.type}</code>],
              ['Service', describeFamily(e.family)],
              ['Tencent classification', <code key="s">{e.source}</code>],
              ...(e.classifiedAs === undefined
                ? []
                : [
                    [
                      'Classified as',
                      <span key="c">
                        {describeEventType(e.classifiedAs)} <code>{e.classifiedAs}</code>
                      </span>,
                    ] as [string, ReactNode],
                  ]),
              ['Happened at', <Time key="o" ms={e.occurredAt} />],
              ['Received at', <Time key="r" ms={e.receivedAt} />],
              ['About', <SubjectLinks key="sub" subject={e.subject} />],
              [
                'Sender retries',
                e.duplicates ? `${formatCount(e.duplicates)} duplicate deliveries, stored once` : 'none',
              ],
              ['Event id', <code key="id">{e.id}</code>],
            ]}
          />
        </Panel>
        <Panel title="Is it authentic?">
          <div className="verdict">
            {e.auth.method === 'unsigned' ? (
              <Badge tone="neutral">Unsigned</Badge>
            ) : e.auth.stale ? (
              <Badge tone="warn">Verified, but stale</Badge>
            ) : (
              <Badge tone="good">Verified</Badge>
            )}
            <span>{describeAuth(e.auth)}</span>
          </div>
          {e.auth.stale && (
            <p className="hint">
              The signature is right but the callback arrived after the expiry time Tencent put in it (
              <code>t</code>). It is usually a late retry. It was kept, flagged, because{' '}
              <code>LIVEHOOKS_CSS_REJECT_STALE</code> is off (the default).
            </p>
          )}
          {e.issues !== undefined && e.issues.length > 0 && (
            <div className="notice notice-warn">
              <strong>Kept as an unrecognised event:</strong> its body did not match the expected shape
              {e.classifiedAs === undefined ? '' : ` of ${describeEventType(e.classifiedAs)}`}.
              <ul>
                {e.issues.map((issue) => (
                  <li key={`${issue.path}:${issue.message}`}>
                    <code>{issue.path || '(body)'}</code> {issue.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <h3>Headers as received</h3>
          {Object.keys(e.headers).length === 0 ? (
            <p className="muted">No headers kept.</p>
          ) : (
            <table className="table compact">
              <tbody>
                {Object.entries(e.headers).map(([name, value]) => (
                  <tr key={name}>
                    <th className="mono header-name">{name}</th>
                    <td className="mono break">{value}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Panel>
      </div>
      <div className="grid-2">
        <Panel title="Data (normalised)">
          <JsonBlock value={e.data} />
        </Panel>
        <Panel
          title="Body as received"
          actions={
            <label className="toggle">
              <input
                type="checkbox"
                checked={pretty}
                onChange={(change) => setPretty(change.target.checked)}
              />{' '}
              indent
            </label>
          }
        >
          <pre className="code raw" data-testid="raw-body">
            {pretty ? prettyBody(e.raw) : e.raw}
          </pre>
        </Panel>
      </div>
      <Panel
        title="Deliveries"
        actions={
          deliveries.some((delivery) => delivery.status === 'held') ? (
            <button
              type="button"
              className="primary"
              disabled={release.isPending}
              onClick={() => release.mutate()}
            >
              Release to sinks
            </button>
          ) : undefined
        }
      >
        {release.isError && <ErrorNotice error={release.error} />}
        {deliveries.some((delivery) => delivery.status === 'held') && (
          <p className="hint">
            This event arrived after its expiry time, so its deliveries are held back until someone releases
            them.
          </p>
        )}
        {deliveries.length === 0 ? (
          <EmptyState title="Not forwarded anywhere">
            This event was stored; it is forwarded to other systems once sinks (webhooks, queues) are
            configured.
          </EmptyState>
        ) : (
          <DeliveryTable deliveries={deliveries} showEvent={false} />
        )}
      </Panel>
    </>
  );
}

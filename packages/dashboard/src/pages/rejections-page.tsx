import { useQuery } from '@tanstack/react-query';
import { Fragment, useState, type MouseEvent } from 'react';
import { useApi } from '../api/api-context';
import type { Rejection, RejectionReasons } from '../api/api-types';
import { RejectionDetails } from '../components/rejection-details';
import { Badge, EmptyState, ErrorNotice, Loading, LoadMore, PageHeader, TimeAgo } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { useT } from '../i18n/i18n-context';
import { routeHref, type Route } from '../lib/route';

/**
 * Callbacks the gateway refused (bad signature, expired, not JSON, ...), grouped by reason, each with its
 * own page; a row also unfolds in place to show its headers and body.
 */
export function RejectionsPage({ route }: { route: Route }) {
  const api = useApi();
  const { t, reason, count } = useT();
  const filter = route.query.reason;
  const list = useCursorList<Rejection>('/rejections', { reason: filter }, { refetchInterval: 30_000 });
  const byReason = useQuery({
    queryKey: ['/rejections', 'reasons'],
    queryFn: ({ signal }) => api.get<RejectionReasons>('/rejections/reasons', {}, signal),
    refetchInterval: 30_000,
  });
  const [open, setOpen] = useState<string | undefined>(undefined);
  const reasons = byReason.data?.items ?? [];
  const kept = reasons.reduce((sum, item) => sum + item.count, 0);

  const toggle = (id: string) => (event: MouseEvent) => {
    // A link or button in the row does its own thing; a click elsewhere unfolds the row.
    if ((event.target as HTMLElement).closest('a, button') !== null) return;
    setOpen(open === id ? undefined : id);
  };

  return (
    <>
      <PageHeader title={t('rejections.title')} subtitle={t('rejections.subtitle')} />
      {byReason.isError && <ErrorNotice error={byReason.error} />}
      {reasons.length > 0 && (
        <nav className="reasons" aria-label={t('rejections.reason')}>
          <span className="muted small">{t('rejections.reasonsKept', { count: kept })}</span>
          <ul>
            <li>
              <a
                className="chip-link"
                href={routeHref({ page: 'rejections' })}
                aria-current={filter === undefined ? 'page' : undefined}
              >
                {t('rejections.allReasons')}
              </a>
            </li>
            {reasons.map((item) => (
              <li key={item.code}>
                <a
                  className="chip-link"
                  href={routeHref({ page: 'rejections', query: { reason: item.code } })}
                  aria-current={filter === item.code ? 'page' : undefined}
                  title={item.code}
                >
                  {reason(item.code, item.code)} <span className="chip-count">{count(item.count)}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
      )}
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title={filter === undefined ? t('rejections.none') : t('rejections.noneForReason')}>
            {filter === undefined ? t('rejections.noneHint') : undefined}
          </EmptyState>
        )}
        {list.items.length > 0 && (
          <table className="table stack">
            <thead>
              <tr>
                <th>{t('table.when')}</th>
                <th>{t('rejections.answer')}</th>
                <th>{t('rejections.why')}</th>
                <th>{t('rejections.from')}</th>
                <th>{t('rejections.path')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((rejection) => (
                <Fragment key={rejection.id}>
                  <tr className="clickable" onClick={toggle(rejection.id)}>
                    <td className="stack-inline">
                      <a
                        href={routeHref({
                          page: 'rejection',
                          id: rejection.id,
                          query: { reason: rejection.code },
                        })}
                        title={t('rejection.title')}
                      >
                        <TimeAgo ms={rejection.receivedAt} />
                      </a>
                    </td>
                    <td className="stack-inline">
                      <Badge tone={rejection.status >= 500 ? 'warn' : 'bad'}>{rejection.status}</Badge>
                    </td>
                    <td>
                      {reason(rejection.code, rejection.message)}
                      <div className="muted small">{rejection.message}</div>
                      <div className="muted small mono">{rejection.code}</div>
                    </td>
                    <td className="mono small stack-inline" data-label={t('rejections.from')}>
                      {rejection.remoteAddress}
                    </td>
                    <td className="mono small stack-inline break" data-label={t('rejections.path')}>
                      {rejection.path}
                    </td>
                  </tr>
                  {open === rejection.id && (
                    <tr className="expanded">
                      <td colSpan={5}>
                        <RejectionDetails rejection={rejection} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              ))}
            </tbody>
          </table>
        )}
        {list.items.length > 0 && <LoadMore list={list} />}
      </div>
    </>
  );
}

import { Fragment, useState } from 'react';
import type { Rejection } from '../api/api-types';
import { Badge, EmptyState, ErrorNotice, Loading, LoadMore, PageHeader, TimeAgo } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { useT } from '../i18n/i18n-context';

/** Callbacks the gateway refused (bad signature, expired, not JSON, ...), with why and what was sent. */
export function RejectionsPage() {
  const list = useCursorList<Rejection>('/rejections', {}, { refetchInterval: 30_000 });
  const [open, setOpen] = useState<string | undefined>(undefined);
  const { t, reason } = useT();

  return (
    <>
      <PageHeader title={t('rejections.title')} subtitle={t('rejections.subtitle')} />
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title={t('rejections.none')}>{t('rejections.noneHint')}</EmptyState>
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
                  <tr
                    className="clickable"
                    onClick={() => setOpen(open === rejection.id ? undefined : rejection.id)}
                    aria-expanded={open === rejection.id}
                  >
                    <td className="stack-inline">
                      <TimeAgo ms={rejection.receivedAt} />
                    </td>
                    <td className="stack-inline">
                      <Badge tone={rejection.status >= 500 ? 'warn' : 'bad'}>{rejection.status}</Badge>
                    </td>
                    <td>
                      {reason(rejection.code, rejection.message)}
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
                        <div className="grid-2">
                          <div>
                            <h3>{t('rejections.headers')}</h3>
                            <table className="table compact">
                              <tbody>
                                {Object.entries(rejection.headers).map(([name, value]) => (
                                  <tr key={name}>
                                    <th className="mono header-name">{name}</th>
                                    <td className="mono break">{value}</td>
                                  </tr>
                                ))}
                              </tbody>
                            </table>
                          </div>
                          <div>
                            <h3>{t('rejections.bodyStart')}</h3>
                            <pre className="code raw">
                              {rejection.bodyPrefix || t('rejections.emptyBody')}
                            </pre>
                          </div>
                        </div>
                      </td>
                    </tr>
                  )}
                </Fragment>
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

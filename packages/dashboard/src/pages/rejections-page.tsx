import { Fragment, useState } from 'react';
import type { Rejection } from '../api/api-types';
import { Badge, EmptyState, ErrorNotice, Loading, LoadMore, PageHeader, TimeAgo } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';

/** Callbacks the gateway refused (bad signature, expired, not JSON, ...), with why and what was sent. */
export function RejectionsPage() {
  const list = useCursorList<Rejection>('/rejections', {}, { refetchInterval: 30_000 });
  const [open, setOpen] = useState<string | undefined>(undefined);

  return (
    <>
      <PageHeader
        title="Refused callbacks"
        subtitle="Requests that reached the callback URL but were not accepted; click one for its headers and body. A burst usually means a wrong key."
      />
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title="Nothing refused">
            Every callback that arrived was verified and stored.
          </EmptyState>
        )}
        {list.items.length > 0 && (
          <table className="table stack">
            <thead>
              <tr>
                <th>When</th>
                <th>Answer</th>
                <th>Why</th>
                <th>From</th>
                <th>Path</th>
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
                      {rejection.message}
                      <div className="muted small mono">{rejection.code}</div>
                    </td>
                    <td className="mono small stack-inline" data-label="From">
                      {rejection.remoteAddress}
                    </td>
                    <td className="mono small stack-inline break" data-label="Path">
                      {rejection.path}
                    </td>
                  </tr>
                  {open === rejection.id && (
                    <tr className="expanded">
                      <td colSpan={5}>
                        <div className="grid-2">
                          <div>
                            <h3>Headers</h3>
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
                            <h3>Start of the body</h3>
                            <pre className="code raw">{rejection.bodyPrefix || '(empty)'}</pre>
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

import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import { ApiError } from '../api/api-client';
import type { Rejection } from '../api/api-types';
import { RejectionDetails } from '../components/rejection-details';
import { Badge, ErrorNotice, Facts, Loading, PageHeader, Panel, Time, usePageTitle } from '../components/ui';
import { useT } from '../i18n/i18n-context';
import { routeHref, type Route } from '../lib/route';

/**
 * One refused callback at its own address (`#/rejections/<id>`), to link from a chat or a ticket.
 */
export function RejectionPage({ id, route }: { id: string; route: Route }) {
  const api = useApi();
  const { t, reason } = useT();
  const found = useQuery({
    queryKey: ['rejection', id],
    queryFn: async ({ signal }) => {
      try {
        return await api.get<Rejection>(`/rejections/${encodeURIComponent(id)}`, {}, signal);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
  usePageTitle(found.data ? undefined : t('rejection.title'));

  const back = (
    <p className="small">
      <a href={routeHref({ page: 'rejections', query: { reason: route.query.reason } })}>
        {t('rejections.back')}
      </a>
    </p>
  );
  if (found.isPending) return <Loading what={t('rejection.loading')} />;
  if (found.isError) return <ErrorNotice error={found.error} />;
  const rejection = found.data;
  if (rejection === null) {
    return (
      <>
        <PageHeader title={t('rejection.title')} subtitle={<code>{id}</code>} />
        <div className="notice notice-warn">{t('rejection.gone')}</div>
        {back}
      </>
    );
  }
  const words = reason(rejection.code, rejection.message);
  return (
    <>
      <PageHeader
        title={`${t('rejection.title')}: ${words}`}
        subtitle={rejection.message}
        documentTitle={`${t('rejection.title')}: ${words}`}
      >
        <Badge tone={rejection.status >= 500 ? 'warn' : 'bad'}>{rejection.status}</Badge>
      </PageHeader>
      {back}
      <Panel>
        <Facts
          rows={[
            [t('rejection.receivedAt'), <Time key="r" ms={rejection.receivedAt} />],
            [t('rejections.why'), <code key="c">{rejection.code}</code>],
            [
              t('rejections.from'),
              <span key="f" className="mono">
                {rejection.remoteAddress}
              </span>,
            ],
            [
              t('rejections.path'),
              <span key="p" className="mono">
                {rejection.path}
              </span>,
            ],
            [t('rejection.id'), <code key="i">{rejection.id}</code>],
          ]}
        />
        <RejectionDetails rejection={rejection} />
      </Panel>
    </>
  );
}

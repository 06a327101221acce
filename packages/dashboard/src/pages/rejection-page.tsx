import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import type { Page, Rejection } from '../api/api-types';
import { RejectionDetails } from '../components/rejection-details';
import { Badge, ErrorNotice, Facts, Loading, PageHeader, Panel, Time, usePageTitle } from '../components/ui';
import { useT } from '../i18n/i18n-context';
import { routeHref, type Route } from '../lib/route';

/** Refusals read per page while looking for one, and how many pages at most. */
const PAGE = 500;
const PAGES = 4;

/**
 * One refused callback at its own address (`#/rejections/<id>`), to link from a chat or a ticket. The API
 * lists refusals but has no route for one, so it is looked for among the latest (of its reason, when the
 * link names it).
 */
export function RejectionPage({ id, route }: { id: string; route: Route }) {
  const api = useApi();
  const { t, reason } = useT();
  const found = useQuery({
    queryKey: ['rejection', id, route.query.reason],
    queryFn: async ({ signal }) => {
      let cursor: string | undefined;
      for (let page = 0; page < PAGES; page += 1) {
        const answer = await api.get<Page<Rejection>>(
          '/rejections',
          { reason: route.query.reason, limit: PAGE, cursor },
          signal,
        );
        const match = answer.items.find((item) => item.id === id);
        if (match !== undefined) return match;
        if (answer.nextCursor === null) break;
        cursor = answer.nextCursor;
      }
      return null;
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
        <div className="notice notice-warn">{t('rejection.notFound', { count: PAGE * PAGES })}</div>
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

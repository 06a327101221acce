import type { FormEvent } from 'react';
import type { Envelope } from '../api/api-types';
import { EventTable } from '../components/event-table';
import { EventTypeOptions } from '../components/event-type';
import { EmptyState, ErrorNotice, Loading, LoadMore, PageHeader } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { useT } from '../i18n/i18n-context';
import type { PlainKey } from '../i18n/translator';
import { routeHref, type Route } from '../lib/route';
import { formText } from '../lib/form-text';

const FILTERS: { name: string; label: PlainKey; placeholder: PlainKey }[] = [
  { name: 'type', label: 'filter.type', placeholder: 'filter.typePattern' },
  { name: 'stream_id', label: 'filter.stream', placeholder: 'filter.streamId' },
  { name: 'room_id', label: 'filter.room', placeholder: 'filter.roomId' },
  { name: 'task_id', label: 'filter.task', placeholder: 'filter.taskId' },
  { name: 'user_id', label: 'filter.user', placeholder: 'filter.userId' },
  { name: 'q', label: 'filter.words', placeholder: 'filter.wordsPlaceholder' },
];

/** Every stored event, newest first, filtered by type, stream, room, task, user or words. */
export function EventsPage({ route }: { route: Route }) {
  const { t } = useT();
  const params = Object.fromEntries(FILTERS.map((filter) => [filter.name, route.query[filter.name] ?? '']));
  const list = useCursorList<Envelope>('/events', params);
  const filtered = Object.values(params).some((value) => value !== '');

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    navigate(
      {
        page: 'events',
        query: Object.fromEntries(FILTERS.map((filter) => [filter.name, formText(form, filter.name)])),
      },
      { replace: true },
    );
  };

  return (
    <>
      <PageHeader title={t('events.title')} subtitle={t('events.subtitle')}>
        <a
          className="button"
          href={routeHref({ page: 'tail', query: { type: params.type, stream_id: params.stream_id } })}
        >
          {t('events.followLive')}
        </a>
      </PageHeader>
      <form className="filters" onSubmit={apply} key={JSON.stringify(params)}>
        {FILTERS.map((filter) => (
          <label key={filter.name}>
            {t(filter.label)}
            <input
              name={filter.name}
              defaultValue={params[filter.name]}
              placeholder={t(filter.placeholder)}
              {...(filter.name === 'type' ? { list: 'event-types' } : {})}
            />
          </label>
        ))}
        <EventTypeOptions id="event-types" seen={list.items.map((event) => event.type)} />
        <button type="submit">{t('filter.apply')}</button>
        {filtered && (
          <button
            type="button"
            className="link"
            onClick={() => navigate({ page: 'events' }, { replace: true })}
          >
            {t('filter.clear')}
          </button>
        )}
      </form>
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title={filtered ? t('events.noMatch') : t('events.none')} />
        )}
        {list.items.length > 0 && <EventTable events={list.items} />}
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

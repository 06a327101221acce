import type { FormEvent } from 'react';
import type { Envelope } from '../api/api-types';
import { EventTable } from '../components/event-table';
import { EventTypeOptions } from '../components/event-type';
import { EmptyState, ErrorNotice, Loading, LoadMore, PageHeader } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { routeHref, type Route } from '../lib/route';
import { formText } from '../lib/form-text';

const FILTERS: { name: string; label: string; placeholder: string }[] = [
  { name: 'type', label: 'Event type', placeholder: 'css.moderation.*' },
  { name: 'stream_id', label: 'Stream', placeholder: 'stream id' },
  { name: 'room_id', label: 'Room', placeholder: 'room id' },
  { name: 'task_id', label: 'Task', placeholder: 'task id' },
  { name: 'user_id', label: 'User', placeholder: 'user id' },
  { name: 'q', label: 'Summary contains', placeholder: 'words' },
];

/** Every stored event, newest first, filtered by type, stream, room, task, user or words. */
export function EventsPage({ route }: { route: Route }) {
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
      <PageHeader title="Events" subtitle="Everything stored, newest first.">
        <a
          className="button"
          href={routeHref({ page: 'tail', query: { type: params.type, stream_id: params.stream_id } })}
        >
          Follow live
        </a>
      </PageHeader>
      <form className="filters" onSubmit={apply} key={JSON.stringify(params)}>
        {FILTERS.map((filter) => (
          <label key={filter.name}>
            {filter.label}
            <input
              name={filter.name}
              defaultValue={params[filter.name]}
              placeholder={filter.placeholder}
              {...(filter.name === 'type' ? { list: 'event-types' } : {})}
            />
          </label>
        ))}
        <EventTypeOptions id="event-types" seen={list.items.map((event) => event.type)} />
        <button type="submit">Apply</button>
        {filtered && (
          <button
            type="button"
            className="link"
            onClick={() => navigate({ page: 'events' }, { replace: true })}
          >
            Clear
          </button>
        )}
      </form>
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title={filtered ? 'No event matches these filters' : 'No events yet'} />
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

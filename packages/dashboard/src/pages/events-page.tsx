import { useState, type FormEvent } from 'react';
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

/** The event ids the API gives: UUID v7. */
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The layout of an event id: `x` is a hexadecimal digit. */
const ID_TEMPLATE = 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';

/** Whether text is the start of an event id (its digits, and dashes where an id has them). */
function isIdStart(text: string): boolean {
  return (
    text.length > 0 &&
    text.length <= ID_TEMPLATE.length &&
    [...text].every((char, i) => (ID_TEMPLATE[i] === '-' ? char === '-' : /[0-9a-f]/i.test(char)))
  );
}
/** The date range, as `datetime-local` values in the viewer's time zone. */
const RANGE = ['since', 'until'] as const;

/** A `datetime-local` value as ms since the epoch; undefined when empty or not a date. */
function rangeMs(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

const FILTERS: { name: string; label: PlainKey; placeholder: PlainKey }[] = [
  { name: 'type', label: 'filter.type', placeholder: 'filter.typePattern' },
  { name: 'stream_id', label: 'filter.stream', placeholder: 'filter.streamId' },
  { name: 'room_id', label: 'filter.room', placeholder: 'filter.roomId' },
  { name: 'task_id', label: 'filter.task', placeholder: 'filter.taskId' },
  { name: 'user_id', label: 'filter.user', placeholder: 'filter.userId' },
  { name: 'q', label: 'filter.words', placeholder: 'filter.wordsPlaceholder' },
];

/**
 * Every stored event, newest first, filtered by type, stream, room, task, user, words and a date range; an
 * event id opens that event, and its start lists the events whose id begins so.
 */
export function EventsPage({ route }: { route: Route }) {
  const { t } = useT();
  const [badId, setBadId] = useState(false);
  const params = Object.fromEntries(FILTERS.map((filter) => [filter.name, route.query[filter.name] ?? '']));
  const since = rangeMs(route.query.since);
  const until = rangeMs(route.query.until);
  const badRange = since !== undefined && until !== undefined && since >= until;
  const idPrefix = route.query.id_prefix ?? '';
  const list = useCursorList<Envelope>(
    '/events',
    { ...params, since, until, id_prefix: idPrefix },
    { enabled: !badRange },
  );
  const filtered =
    Object.values(params).some((value) => value !== '') ||
    since !== undefined ||
    until !== undefined ||
    idPrefix !== '';

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    navigate(
      {
        page: 'events',
        query: Object.fromEntries(
          [...FILTERS.map((filter) => filter.name), ...RANGE].map((name) => [name, formText(form, name)]),
        ),
      },
      { replace: true },
    );
  };

  const openId = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const id = formText(new FormData(event.currentTarget), 'id').toLowerCase();
    setBadId(!isIdStart(id));
    if (EVENT_ID.test(id)) navigate({ page: 'event', id });
    else if (isIdStart(id)) navigate({ page: 'events', query: { id_prefix: id } }, { replace: true });
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
      <form className="filters" onSubmit={openId}>
        <label className="grow">
          {t('events.openId')}
          <input
            name="id"
            placeholder={t('events.openIdPlaceholder')}
            autoComplete="off"
            spellCheck={false}
            aria-invalid={badId}
            aria-describedby={badId ? 'bad-event-id' : undefined}
          />
        </label>
        <button type="submit">{t('events.open')}</button>
        {badId && (
          <p className="notice notice-warn grow-row" id="bad-event-id" role="alert">
            {t('events.badId')}
          </p>
        )}
      </form>
      <form className="filters" onSubmit={apply} key={JSON.stringify(route.query)}>
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
        {RANGE.map((name) => (
          <label key={name}>
            {t(name === 'since' ? 'filter.since' : 'filter.until')}
            <input name={name} type="datetime-local" defaultValue={route.query[name] ?? ''} />
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
      {idPrefix !== '' && (
        <p className="muted small" role="status">
          {t('events.idPrefix', { prefix: idPrefix })}
        </p>
      )}
      {badRange && (
        <p className="notice notice-warn" role="alert">
          {t('events.badRange')}
        </p>
      )}
      <div className="panel">
        {list.query.isPending && !badRange && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title={filtered ? t('events.noMatch') : t('events.none')} />
        )}
        {list.items.length > 0 && <EventTable events={list.items} />}
        {list.items.length > 0 && <LoadMore list={list} />}
      </div>
    </>
  );
}

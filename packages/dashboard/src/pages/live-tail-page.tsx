import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApi, useSignOut } from '../api/api-context';
import type { ApiError } from '../api/api-client';
import type { Envelope, Page } from '../api/api-types';
import { runLiveTail, type LiveTailStatus } from '../api/live-tail';
import { EventType, EventTypeOptions } from '../components/event-type';
import { SubjectLinks } from '../components/subject-links';
import { EmptyState, PageHeader } from '../components/ui';
import { navigate } from '../hooks/use-route';
import { useT } from '../i18n/i18n-context';
import type { PlainKey } from '../i18n/translator';
import { routeHref, type Route } from '../lib/route';
import { formText } from '../lib/form-text';

/** Rows kept on screen; older ones scroll away (the events page has them all). */
const MAX_ROWS = 500;
/** Recent events shown when the tail opens, before live ones arrive. */
const BACKLOG = 50;

const STATUS_WORDS: Record<LiveTailStatus, PlainKey> = {
  connecting: 'tail.connecting',
  live: 'tail.live',
  reconnecting: 'tail.reconnecting',
  stopped: 'tail.stopped',
};

function newestFirst(events: readonly Envelope[], keep: readonly Envelope[]): Envelope[] {
  const seen = new Set(keep.map((event) => event.id));
  const fresh = events.filter((event) => !seen.has(event.id)).reverse();
  return [...fresh, ...keep].slice(0, MAX_ROWS);
}

/** Events as they are stored, over Server-Sent Events; pause, resume and filter by type or stream. */
export function LiveTailPage({ route }: { route: Route }) {
  const api = useApi();
  const signOut = useSignOut();
  const { t, dayTime, zone } = useT();
  const type = route.query.type ?? '';
  const streamId = route.query.stream_id ?? '';
  const [rows, setRows] = useState<Envelope[]>([]);
  const [held, setHeld] = useState<Envelope[]>([]);
  const [paused, setPaused] = useState(false);
  const [status, setStatus] = useState<LiveTailStatus>('connecting');
  const [problem, setProblem] = useState<ApiError | undefined>(undefined);
  const [freshIds, setFreshIds] = useState<ReadonlySet<string>>(new Set());
  const pausedRef = useRef(paused);
  pausedRef.current = paused;

  useEffect(() => {
    const controller = new AbortController();
    const params = { type, stream_id: streamId };
    setRows([]);
    setHeld([]);
    setProblem(undefined);
    const start = async () => {
      let lastEventId: string | undefined;
      try {
        const backlog = await api.get<Page<Envelope>>(
          '/events',
          { ...params, limit: BACKLOG },
          controller.signal,
        );
        setRows(backlog.items);
        lastEventId = backlog.items[0]?.id;
      } catch (error) {
        if (controller.signal.aborted) return;
        if ((error as ApiError).status === 401) return signOut('app.tokenRefused');
      }
      await runLiveTail({
        client: api,
        params,
        signal: controller.signal,
        ...(lastEventId === undefined ? {} : { lastEventId }),
        onStatus: (next, error) => {
          setStatus(next);
          setProblem(error);
          if (error?.status === 401) signOut('app.tokenRefused');
        },
        onEvents: (events) => {
          if (pausedRef.current) {
            setHeld((current) => newestFirst(events, current));
            return;
          }
          setRows((current) => newestFirst(events, current));
          setFreshIds(new Set(events.map((event) => event.id)));
        },
      });
    };
    void start();
    return () => controller.abort();
  }, [api, signOut, type, streamId]);

  const resume = () => {
    setRows((current) => newestFirst([...held].reverse(), current));
    setFreshIds(new Set(held.map((event) => event.id)));
    setHeld([]);
    setPaused(false);
  };

  const applyFilter = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    navigate(
      { page: 'tail', query: { type: formText(form, 'type'), stream_id: formText(form, 'stream_id') } },
      { replace: true },
    );
  };

  return (
    <>
      <PageHeader title={t('tail.title')} subtitle={t('tail.subtitle')}>
        {/* Paused is not live: the dot turns grey, and counts what arrived since. */}
        <span className={`status-dot status-${paused ? 'paused' : status}`} role="status">
          {paused
            ? held.length > 0
              ? t('tail.pausedCount', { count: held.length })
              : t('tail.paused')
            : t(STATUS_WORDS[status])}
          {problem !== undefined && status !== 'live' && <span className="muted"> — {problem.message}</span>}
        </span>
        {paused ? (
          <button type="button" className="primary" onClick={resume}>
            {held.length > 0 ? t('tail.resumeNew', { count: held.length }) : t('tail.resume')}
          </button>
        ) : (
          <button type="button" onClick={() => setPaused(true)}>
            {t('tail.pause')}
          </button>
        )}
      </PageHeader>
      <form className="filters" onSubmit={applyFilter} key={`${type}|${streamId}`}>
        <label>
          {t('filter.type')}
          <input name="type" defaultValue={type} placeholder={t('filter.typeExample')} list="known-types" />
        </label>
        <label>
          {t('filter.stream')}
          <input name="stream_id" defaultValue={streamId} placeholder={t('filter.streamId')} />
        </label>
        <EventTypeOptions id="known-types" seen={rows.map((event) => event.type)} />
        <button type="submit">{t('filter.apply')}</button>
        {(type !== '' || streamId !== '') && (
          <button
            type="button"
            className="link"
            onClick={() => navigate({ page: 'tail' }, { replace: true })}
          >
            {t('filter.clear')}
          </button>
        )}
      </form>
      <div className="panel tail">
        {rows.length === 0 ? (
          <EmptyState title={t('tail.waiting')}>
            {type === '' ? t('tail.waitingHint') : t('tail.waitingHintType', { type })}
          </EmptyState>
        ) : (
          <table className="table fixed stack tail-table">
            <thead>
              <tr>
                <th className="col-clock">{t('tail.time', { zone })}</th>
                <th className="col-type">{t('table.event')}</th>
                <th>{t('table.summary')}</th>
                <th className="col-subject">{t('table.about')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((event) => (
                <tr
                  key={event.id}
                  className={freshIds.has(event.id) ? 'fresh' : undefined}
                  data-event-type={event.type}
                >
                  <td className="col-clock mono stack-inline">
                    <time dateTime={new Date(event.occurredAt).toISOString()}>
                      {dayTime(event.occurredAt)}
                    </time>
                  </td>
                  <td className="col-type stack-main">
                    <EventType type={event.type} />
                  </td>
                  <td className="cell-summary">
                    <a
                      href={routeHref({ page: 'event', id: event.id })}
                      className="summary-link"
                      title={event.summary}
                    >
                      {event.summary || t('table.noSummary')}
                    </a>
                  </td>
                  <td className="col-subject">
                    <SubjectLinks subject={event.subject} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}

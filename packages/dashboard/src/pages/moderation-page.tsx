import { useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context';
import type {
  BulkDecision,
  ModerationAction,
  ModerationCounts,
  ModerationDetail,
  ModerationItem,
  ModerationStatus,
  Page,
} from '../api/api-types';
import { EventType } from '../components/event-type';
import { OperatorActions, removeUserAction } from '../components/operator-actions';
import { SubjectLinks } from '../components/subject-links';
import { FlaggedImage, Thumbnail } from '../components/thumbnail';
import {
  EmptyState,
  ErrorNotice,
  FilterTabs,
  Loading,
  LoadMore,
  LookBadge,
  PageHeader,
  Time,
  TimeAgo,
} from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { useReviewer } from '../hooks/use-reviewer';
import { navigate } from '../hooks/use-route';
import { Rich, useT } from '../i18n/i18n-context';
import type { PlainKey } from '../i18n/translator';
import { formatScore } from '../lib/format';
import { formText } from '../lib/form-text';
import { moveIndex, nextToReview, reviewCommand } from '../lib/review-keys';
import { safeUrl } from '../lib/safe-url';
import { routeHref, type Route } from '../lib/route';
import { reviewStatusLook, suggestionLook } from '../lib/tones';

type StatusFilter = ModerationStatus | 'all';
const STATUS_FILTERS: { value: StatusFilter; label: PlainKey }[] = [
  { value: 'pending', label: 'look.pending' },
  { value: 'escalated', label: 'look.escalated' },
  { value: 'confirmed', label: 'look.confirmed' },
  { value: 'dismissed', label: 'look.dismissed' },
  { value: 'all', label: 'moderation.all' },
];
const ACTIONS: {
  action: ModerationAction;
  key: string;
  label: PlainKey;
  tone: string;
  explain: PlainKey;
  saved: 'moderation.savedConfirm' | 'moderation.savedDismiss' | 'moderation.savedEscalate';
  done: PlainKey;
}[] = [
  {
    action: 'confirm',
    key: 'c',
    label: 'moderation.confirm',
    tone: 'bad',
    explain: 'moderation.confirmExplain',
    saved: 'moderation.savedConfirm',
    done: 'look.confirmed',
  },
  {
    action: 'dismiss',
    key: 'd',
    label: 'moderation.dismiss',
    tone: 'neutral',
    explain: 'moderation.dismissExplain',
    saved: 'moderation.savedDismiss',
    done: 'look.dismissed',
  },
  {
    action: 'escalate',
    key: 'e',
    label: 'moderation.escalate',
    tone: 'accent',
    explain: 'moderation.escalateExplain',
    saved: 'moderation.savedEscalate',
    done: 'look.escalated',
  },
];

/** The sources the queue can be narrowed to: a family, or the event type that raised the item. */
const SOURCES = [
  'css',
  'trtc',
  'css.moderation.image',
  'css.moderation.audio',
  'css.smart_erase',
  'trtc.moderation.result',
] as const;

/** The source tabs: both families, CSS and each CSS kind, TRTC (whose one kind is its results). */
const SOURCE_TABS = ['', 'css', 'css.moderation.image', 'css.moderation.audio', 'css.smart_erase', 'trtc'];

function isStatusFilter(value: string | undefined): value is StatusFilter {
  return STATUS_FILTERS.some((filter) => filter.value === value);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Replaces the items the gateway answered anew in every loaded page of the queue. */
function replaceItems(
  data: InfiniteData<Page<ModerationItem>> | undefined,
  updated: readonly ModerationItem[],
): InfiniteData<Page<ModerationItem>> | undefined {
  if (data === undefined) return data;
  const byId = new Map(updated.map((item) => [item.id, item]));
  return {
    ...data,
    pages: data.pages.map((page) => ({
      ...page,
      items: page.items.map((item) => byId.get(item.id) ?? item),
    })),
  };
}

/** What the status line says after a decision, a bulk decision or an undo. */
type Outcome =
  | { kind: 'decided'; action: ModerationAction; labels: string[]; ids: string[] }
  | { kind: 'bulk'; action: ModerationAction; ids: string[]; missing: number }
  | { kind: 'undone'; status: ModerationStatus };

/**
 * Flagged images, audio and text for people to confirm, dismiss or escalate, one by one with the keyboard or
 * several at once, with undo; filtered by source, label and score; and the actions an operator takes on the
 * stream or the user behind an item.
 */
export function ModerationPage({ route }: { route: Route }) {
  const api = useApi();
  const { t, labels, time, eventType } = useT();
  const queryClient = useQueryClient();
  const status: StatusFilter = isStatusFilter(route.query.status) ? route.query.status : 'pending';
  const streamId = route.query.stream_id;
  const source = (SOURCES as readonly string[]).includes(route.query.source ?? '') ? route.query.source! : '';
  const label = route.query.label?.trim() ?? '';
  const minScore = /^\d{1,3}$/.test(route.query.min_score ?? '') ? route.query.min_score! : '';
  const filter = { stream_id: streamId, source, label, min_score: minScore };
  const list = useCursorList<ModerationItem>('/moderation', {
    status: status === 'all' ? undefined : status,
    ...filter,
  });
  const counts = useQuery({
    queryKey: ['moderation-counts', filter],
    queryFn: ({ signal }) => api.get<ModerationCounts>('/moderation/counts', filter, signal),
    refetchInterval: 15_000,
  });
  const [index, setIndex] = useState(0);
  const [note, setNote] = useState('');
  const [reviewer, setReviewer] = useReviewer();
  const [outcome, setOutcome] = useState<Outcome | undefined>(undefined);
  const [revealed, setRevealed] = useState(false);
  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const rowRefs = useRef(new Map<string, HTMLLIElement>());

  const items = list.items;
  const selected: ModerationItem | undefined = items[Math.min(index, Math.max(0, items.length - 1))];
  const actor = reviewer.trim() === '' ? {} : { actor: reviewer.trim() };

  const detail = useQuery({
    queryKey: ['moderation-item', selected?.id],
    queryFn: ({ signal }) =>
      api.get<ModerationDetail>(`/moderation/${encodeURIComponent(selected!.id)}`, {}, signal),
    enabled: selected !== undefined,
  });

  /** Shows the gateway's new state of items in the queue, their details, counts and streams. */
  const applied = (updated: readonly ModerationItem[]) => {
    // Decided items stay in view with their new state until the next refresh, so the reviewer sees it took.
    queryClient.setQueriesData<InfiniteData<Page<ModerationItem>>>({ queryKey: ['/moderation'] }, (data) =>
      replaceItems(data, updated),
    );
    for (const item of updated)
      void queryClient.invalidateQueries({ queryKey: ['moderation-item', item.id] });
    void queryClient.invalidateQueries({ queryKey: ['moderation-counts'] });
    void queryClient.invalidateQueries({ queryKey: ['stream'] });
    return items.map((item) => updated.find((candidate) => candidate.id === item.id) ?? item);
  };

  const decide = useMutation({
    mutationFn: (input: { item: ModerationItem; action: ModerationAction; note: string }) =>
      api.post<ModerationItem>(`/moderation/${encodeURIComponent(input.item.id)}/decision`, {
        action: input.action,
        ...(input.note.trim() === '' ? {} : { note: input.note.trim() }),
        ...actor,
      }),
    onSuccess: (updated, input) => {
      const after = applied([updated]);
      setOutcome({ kind: 'decided', action: input.action, labels: input.item.labels, ids: [updated.id] });
      setNote('');
      // In the queue the cursor lands on the next item still to review, never on one decided already.
      const position = after.findIndex((item) => item.id === updated.id);
      setIndex(status === 'pending' ? nextToReview(after, position) : moveIndex(position, 1, after.length));
    },
  });

  const decideMarked = useMutation({
    mutationFn: (input: { ids: string[]; action: ModerationAction; note: string }) =>
      api.post<BulkDecision>('/moderation/decisions', {
        ids: input.ids,
        action: input.action,
        ...(input.note.trim() === '' ? {} : { note: input.note.trim() }),
        ...actor,
      }),
    onSuccess: (answer, input) => {
      const after = applied(answer.items);
      setMarked(new Set());
      setNote('');
      setOutcome({ kind: 'bulk', action: input.action, ids: input.ids, missing: answer.missing.length });
      if (status === 'pending') setIndex((current) => nextToReview(after, Math.max(0, current - 1)));
    },
  });

  const undo = useMutation({
    mutationFn: async (ids: readonly string[]) => {
      const updated: ModerationItem[] = [];
      for (const id of ids) {
        updated.push(await api.post<ModerationItem>(`/moderation/${encodeURIComponent(id)}/undo`, actor));
      }
      return updated;
    },
    onSuccess: (updated) => {
      applied(updated);
      const last = updated.at(-1);
      if (last !== undefined) setOutcome({ kind: 'undone', status: last.status });
    },
  });
  const busy = decide.isPending || decideMarked.isPending || undo.isPending;
  const failure = decide.error ?? decideMarked.error ?? undo.error;

  const toggleMark = (id: string) =>
    setMarked((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  const left = counts.data?.pending;

  useEffect(() => {
    setIndex(0);
    setMarked(new Set());
  }, [status, streamId, source, label, minScore]);

  // A flagged image is blurred again whenever another item is selected.
  useEffect(() => {
    setRevealed(false);
  }, [selected?.id]);

  useEffect(() => {
    if (selected !== undefined) rowRefs.current.get(selected.id)?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && isTyping(event.target)) {
        (event.target as HTMLElement).blur();
        return;
      }
      const command = reviewCommand({
        key: event.key,
        ctrlKey: event.ctrlKey,
        metaKey: event.metaKey,
        altKey: event.altKey,
        typing: isTyping(event.target),
      });
      if (command === undefined) return;
      event.preventDefault();
      if (command.kind === 'move') setIndex((current) => moveIndex(current, command.by, items.length));
      else if (command.kind === 'note') noteRef.current?.focus();
      else if (command.kind === 'reveal') setRevealed((current) => !current);
      else if (command.kind === 'mark' && selected !== undefined) toggleMark(selected.id);
      else if (command.kind === 'open' && selected !== undefined)
        navigate({ page: 'event', id: selected.eventId });
      else if (command.kind === 'undo' && selected !== undefined && selected.status !== 'pending' && !busy)
        undo.mutate([selected.id]);
      else if (command.kind === 'decide' && selected !== undefined && !busy) {
        decide.mutate({ item: selected, action: command.action, note });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items.length, selected, note, decide, undo, busy]);

  const applyFilters = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    navigate(
      {
        page: 'moderation',
        query: {
          status,
          stream_id: streamId,
          source,
          label: formText(form, 'label'),
          min_score: formText(form, 'min_score'),
        },
      },
      { replace: true },
    );
  };
  const doneWords = (action: ModerationAction) => t(ACTIONS.find((entry) => entry.action === action)!.done);
  const pendingShown = items.filter((item) => item.status === 'pending');

  return (
    <>
      <PageHeader title={t('moderation.title')} subtitle={t('moderation.subtitle')}>
        <label className="inline-field">
          {t('moderation.reviewer')}
          <input
            value={reviewer}
            onChange={(event) => setReviewer(event.target.value)}
            placeholder={t('moderation.reviewerPlaceholder')}
          />
        </label>
      </PageHeader>
      <div className="toolbar">
        <FilterTabs
          label={t('moderation.state')}
          value={status}
          options={STATUS_FILTERS.map((entry) => ({ value: entry.value, label: t(entry.label) }))}
          onChange={(value) =>
            navigate({ page: 'moderation', query: { ...route.query, status: value } }, { replace: true })
          }
        />
        {streamId !== undefined && (
          <span className="chip">
            {t('moderation.streamChip', { id: streamId })}
            <button
              type="button"
              className="link"
              aria-label={t('moderation.everyStream')}
              onClick={() =>
                navigate(
                  { page: 'moderation', query: { ...route.query, stream_id: undefined } },
                  { replace: true },
                )
              }
            >
              ×
            </button>
          </span>
        )}
        <FilterTabs
          label={t('moderation.source')}
          value={source}
          options={SOURCE_TABS.map((value) => ({
            value,
            label:
              value === ''
                ? t('moderation.anySource')
                : value.includes('.')
                  ? eventType(value)
                  : value.toUpperCase(),
          }))}
          onChange={(value) =>
            navigate({ page: 'moderation', query: { ...route.query, source: value } }, { replace: true })
          }
        />
        {(status === 'pending' || status === 'all') && left !== undefined && (
          <span className="badge badge-warn" role="status" data-testid="left-to-review">
            {t('moderation.left', { count: left })}
          </span>
        )}
        <span className="keys muted small">
          <Rich
            k="moderation.keys"
            values={{
              j: <kbd>j</kbd>,
              k: <kbd>k</kbd>,
              c: <kbd>c</kbd>,
              d: <kbd>d</kbd>,
              e: <kbd>e</kbd>,
              u: <kbd>u</kbd>,
              x: <kbd>x</kbd>,
              n: <kbd>n</kbd>,
              v: <kbd>v</kbd>,
              o: <kbd>o</kbd>,
            }}
          />
        </span>
      </div>
      <form
        className="filters"
        aria-label={t('moderation.filters')}
        onSubmit={applyFilters}
        key={`${label}|${minScore}`}
      >
        <label>
          {t('moderation.label')}
          <input name="label" defaultValue={label} placeholder={t('moderation.labelPlaceholder')} />
        </label>
        <label>
          {t('moderation.minScore')}
          <input name="min_score" type="number" min={0} max={100} step={1} defaultValue={minScore} />
        </label>
        <button type="submit">{t('moderation.apply')}</button>
        {(label !== '' || minScore !== '') && (
          <button
            type="button"
            className="link"
            onClick={() =>
              navigate(
                { page: 'moderation', query: { status, stream_id: streamId, source } },
                { replace: true },
              )
            }
          >
            {t('moderation.clearFilters')}
          </button>
        )}
      </form>
      {list.query.isPending && <Loading />}
      {list.query.isError && <ErrorNotice error={list.query.error} />}
      {list.query.isSuccess && items.length === 0 && (
        <div className="panel">
          <EmptyState title={status === 'pending' ? t('moderation.nothing') : t('moderation.noItems')}>
            {status === 'pending' ? t('moderation.nothingHint') : t('moderation.noItemsHint')}
          </EmptyState>
        </div>
      )}
      {items.length > 0 && (
        <div className="bulk-bar" role="group" aria-label={t('moderation.bulkLabel')}>
          {marked.size === 0 ? (
            <button
              type="button"
              disabled={pendingShown.length === 0}
              onClick={() => setMarked(new Set(pendingShown.map((item) => item.id)))}
            >
              {t('moderation.markAll')}
            </button>
          ) : (
            <>
              <strong data-testid="marked-count">{t('moderation.marked', { count: marked.size })}</strong>
              {ACTIONS.map((entry) => (
                <button
                  key={entry.action}
                  type="button"
                  className={`decide-${entry.tone}`}
                  disabled={busy}
                  title={t(entry.explain)}
                  onClick={() => decideMarked.mutate({ ids: [...marked], action: entry.action, note })}
                >
                  {t(entry.label)}
                </button>
              ))}
              <button type="button" className="link" onClick={() => setMarked(new Set())}>
                {t('moderation.clearMarks')}
              </button>
            </>
          )}
        </div>
      )}
      {outcome !== undefined && !busy && failure === null && (
        <p className="notice notice-ok review-outcome" role="status">
          {outcome.kind === 'decided' &&
            t(ACTIONS.find((entry) => entry.action === outcome.action)!.saved, {
              labels: labels(outcome.labels) || t('moderation.item'),
            })}
          {outcome.kind === 'bulk' &&
            t('moderation.bulkSaved', {
              count: outcome.ids.length - outcome.missing,
              status: doneWords(outcome.action),
            })}
          {outcome.kind === 'bulk' &&
            outcome.missing > 0 &&
            ` ${t('moderation.bulkMissing', { count: outcome.missing })}`}
          {outcome.kind === 'undone' &&
            t('moderation.undone', { status: t(reviewStatusLook(outcome.status).label) })}
          {outcome.kind !== 'undone' && (
            <>
              {' '}
              <button type="button" className="link" onClick={() => undo.mutate(outcome.ids)}>
                {t('moderation.undo')}
              </button>
            </>
          )}
        </p>
      )}
      {failure !== null && <ErrorNotice error={failure} />}
      {items.length > 0 && (
        <div className="review">
          <div className="panel review-list">
            <ul
              role="listbox"
              tabIndex={0}
              aria-label={t('moderation.items')}
              onKeyDown={(event) => {
                // The list has the focus: Enter opens the selected item's event (the arrows and j/k move).
                if (event.key === 'Enter' && selected !== undefined) {
                  event.preventDefault();
                  navigate({ page: 'event', id: selected.eventId });
                }
              }}
              aria-activedescendant={selected ? `mod-${selected.id}` : undefined}
            >
              {items.map((item, position) => (
                <li
                  key={item.id}
                  id={`mod-${item.id}`}
                  role="option"
                  aria-selected={item.id === selected?.id}
                  aria-checked={marked.has(item.id)}
                  className={`review-row ${item.id === selected?.id ? 'selected' : ''} ${status === 'pending' && item.status !== 'pending' ? 'decided' : ''} ${marked.has(item.id) ? 'marked' : ''}`}
                  ref={(element) => {
                    if (element) rowRefs.current.set(item.id, element);
                    else rowRefs.current.delete(item.id);
                  }}
                  onClick={() => setIndex(position)}
                >
                  <span
                    className="mark-box"
                    aria-hidden="true"
                    title={t('moderation.mark')}
                    onClick={(event) => {
                      event.stopPropagation();
                      toggleMark(item.id);
                    }}
                  />
                  {item.mediaType === 'image' ? (
                    <Thumbnail url={item.mediaUrl} alt={labels(item.labels)} blurred linked={false} />
                  ) : (
                    <div className="thumb thumb-small thumb-missing">
                      <span>{t(`media.${item.mediaType}`)}</span>
                    </div>
                  )}
                  <div className="review-row-body">
                    <div className="hit-line">
                      <LookBadge look={suggestionLook(item.suggestion)} />
                      <strong>{labels(item.labels) || t('moderation.noLabel')}</strong>
                      {item.score !== undefined && (
                        <span className="muted">
                          {t('moderation.score', { score: formatScore(item.score) })}
                        </span>
                      )}
                    </div>
                    {item.text !== undefined && item.text !== '' && (
                      <div className="hit-text clamp">“{item.text}”</div>
                    )}
                    <div className="hit-line small muted">
                      <TimeAgo ms={item.occurredAt} />
                      {item.streamId !== undefined && (
                        <span className="id-text">{t('subject.stream', { id: item.streamId })}</span>
                      )}
                      {item.roomId !== undefined && <span>{t('subject.room', { id: item.roomId })}</span>}
                    </div>
                  </div>
                  <LookBadge look={reviewStatusLook(item.status)} />
                </li>
              ))}
            </ul>
            <LoadMore list={list} count={items.length} />
          </div>
          {selected !== undefined && (
            <div className="panel review-detail" data-testid="review-detail">
              <div className="review-media">
                {selected.mediaType === 'image' && (
                  <FlaggedImage
                    key={selected.id}
                    url={selected.mediaUrl}
                    alt={labels(selected.labels)}
                    revealed={revealed}
                    onReveal={setRevealed}
                  />
                )}
                {selected.mediaType === 'audio' &&
                  (safeUrl(selected.mediaUrl) !== undefined ? (
                    <audio controls preload="none" src={safeUrl(selected.mediaUrl)} />
                  ) : (
                    <p className="muted">{t('moderation.noAudio')}</p>
                  ))}
                {selected.text !== undefined && selected.text !== '' && (
                  <blockquote className="flagged-text">{selected.text}</blockquote>
                )}
              </div>
              <div className="hit-line">
                <LookBadge look={suggestionLook(selected.suggestion)} title={t('moderation.suggests')} />
                <strong className="big">{labels(selected.labels) || t('moderation.noLabel')}</strong>
                {selected.score !== undefined && (
                  <span>{t('moderation.scoreOf', { score: formatScore(selected.score) })}</span>
                )}
              </div>
              <label htmlFor="review-note" className="small">
                {t('moderation.note')}
              </label>
              <textarea
                id="review-note"
                ref={noteRef}
                rows={2}
                value={note}
                onChange={(event) => setNote(event.target.value)}
                placeholder={t('moderation.notePlaceholder')}
              />
              <div className="decide">
                {ACTIONS.map((entry) => (
                  <button
                    key={entry.action}
                    type="button"
                    className={`decide-${entry.tone}`}
                    disabled={busy}
                    title={t(entry.explain)}
                    onClick={() => decide.mutate({ item: selected, action: entry.action, note })}
                  >
                    {t(entry.label)} <kbd>{entry.key}</kbd>
                  </button>
                ))}
                <button
                  type="button"
                  disabled={busy || selected.status === 'pending'}
                  title={t('moderation.undoExplain')}
                  onClick={() => undo.mutate([selected.id])}
                >
                  {t('moderation.undo')} <kbd>u</kbd>
                </button>
              </div>
              <dl className="facts">
                <div className="fact">
                  <dt>{t('moderation.foundBy')}</dt>
                  <dd>
                    <EventType type={selected.eventType} />
                  </dd>
                </div>
                <div className="fact">
                  <dt>{t('moderation.when')}</dt>
                  <dd>
                    <Time ms={selected.occurredAt} />
                  </dd>
                </div>
                <div className="fact">
                  <dt>{t('moderation.where')}</dt>
                  <dd>
                    <SubjectLinks
                      subject={{
                        ...(selected.streamId === undefined ? {} : { streamId: selected.streamId }),
                        ...(selected.roomId === undefined ? {} : { roomId: selected.roomId }),
                        ...(selected.taskId === undefined ? {} : { taskId: selected.taskId }),
                        ...(selected.userId === undefined ? {} : { userId: selected.userId }),
                      }}
                    />
                  </dd>
                </div>
                <div className="fact">
                  <dt>{t('moderation.review')}</dt>
                  <dd>
                    <LookBadge look={reviewStatusLook(selected.status)} />
                    {selected.decidedBy !== undefined && (
                      <span className="muted"> {t('moderation.by', { who: selected.decidedBy })}</span>
                    )}
                    {selected.decidedAt !== undefined && (
                      <span className="muted"> {time(selected.decidedAt)}</span>
                    )}
                  </dd>
                </div>
              </dl>
              {selected.streamId !== undefined && (
                <OperatorActions
                  key={`stream-${selected.id}`}
                  title={t('actions.streamTitle')}
                  eventId={selected.eventId}
                  actions={['DropLiveStream', 'ForbidLiveStream']}
                  actor={reviewer}
                  onActor={setReviewer}
                />
              )}
              {selected.roomId !== undefined && selected.userId !== undefined && (
                <OperatorActions
                  key={`user-${selected.id}`}
                  title={t('actions.userTitle')}
                  eventId={selected.eventId}
                  actions={[removeUserAction(selected.roomId)]}
                  actor={reviewer}
                  onActor={setReviewer}
                />
              )}
              <h3>{t('moderation.audit')}</h3>
              {detail.isPending && <p className="muted small">{t('ui.loadingMore')}</p>}
              {detail.isError && <ErrorNotice error={detail.error} />}
              {detail.data && detail.data.decisions.length === 0 && (
                <p className="muted small">{t('moderation.noDecision')}</p>
              )}
              {detail.data && detail.data.decisions.length > 0 && (
                <ol className="audit">
                  {detail.data.decisions.map((decision, position) => (
                    <li key={`${decision.at}-${position}`}>
                      <strong>
                        {decision.action === 'undo'
                          ? t('moderation.undoneBy', { who: decision.actor || t('moderation.someone') })
                          : t('moderation.decided', {
                              action: doneWords(decision.action),
                              who: decision.actor || t('moderation.someone'),
                            })}
                      </strong>{' '}
                      <span className="muted">{time(decision.at)}</span>
                      {decision.note !== '' && <div className="audit-note">{decision.note}</div>}
                    </li>
                  ))}
                </ol>
              )}
              <p className="small">
                <a href={routeHref({ page: 'event', id: selected.eventId })}>{t('moderation.openEvent')}</a>
              </p>
            </div>
          )}
        </div>
      )}
    </>
  );
}

import { useMutation, useQuery, useQueryClient, type InfiniteData } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useApi } from '../api/api-context';
import type {
  ModerationAction,
  ModerationDetail,
  ModerationItem,
  ModerationStatus,
  Page,
} from '../api/api-types';
import { EventType } from '../components/event-type';
import { SubjectLinks } from '../components/subject-links';
import { Thumbnail } from '../components/thumbnail';
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
import { navigate } from '../hooks/use-route';
import { formatScore, formatTime } from '../lib/format';
import { moveIndex, reviewCommand } from '../lib/review-keys';
import { safeUrl } from '../lib/safe-url';
import { routeHref, type Route } from '../lib/route';
import { reviewStatusLook, suggestionLook } from '../lib/tones';

type StatusFilter = ModerationStatus | 'all';
const STATUS_FILTERS: { value: StatusFilter; label: string }[] = [
  { value: 'pending', label: 'To review' },
  { value: 'escalated', label: 'Escalated' },
  { value: 'confirmed', label: 'Confirmed' },
  { value: 'dismissed', label: 'Dismissed' },
  { value: 'all', label: 'All' },
];
const ACTIONS: { action: ModerationAction; key: string; label: string; tone: string; explain: string }[] = [
  { action: 'confirm', key: 'c', label: 'Confirm', tone: 'bad', explain: 'the content breaks the rules' },
  { action: 'dismiss', key: 'd', label: 'Dismiss', tone: 'neutral', explain: 'a false alarm' },
  { action: 'escalate', key: 'e', label: 'Escalate', tone: 'accent', explain: 'needs someone senior' },
];
const PAST_TENSE: Record<ModerationAction, string> = {
  confirm: 'confirmed',
  dismiss: 'dismissed',
  escalate: 'escalated',
};
const REVIEWER_KEY = 'livehooks.reviewer';

function isStatusFilter(value: string | undefined): value is StatusFilter {
  return STATUS_FILTERS.some((filter) => filter.value === value);
}

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

function readReviewer(): string {
  try {
    return localStorage.getItem(REVIEWER_KEY) ?? '';
  } catch {
    return '';
  }
}

/** Flagged images, audio and text for people to confirm, dismiss or escalate, driven by the keyboard. */
export function ModerationPage({ route }: { route: Route }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const status: StatusFilter = isStatusFilter(route.query.status) ? route.query.status : 'pending';
  const streamId = route.query.stream_id;
  const list = useCursorList<ModerationItem>('/moderation', {
    status: status === 'all' ? undefined : status,
    stream_id: streamId,
  });
  const [index, setIndex] = useState(0);
  const [note, setNote] = useState('');
  const [reviewer, setReviewer] = useState(readReviewer);
  const [done, setDone] = useState<string | undefined>(undefined);
  const noteRef = useRef<HTMLTextAreaElement>(null);
  const rowRefs = useRef(new Map<string, HTMLLIElement>());

  const items = list.items;
  const selected: ModerationItem | undefined = items[Math.min(index, Math.max(0, items.length - 1))];

  const detail = useQuery({
    queryKey: ['moderation-item', selected?.id],
    queryFn: ({ signal }) =>
      api.get<ModerationDetail>(`/moderation/${encodeURIComponent(selected!.id)}`, {}, signal),
    enabled: selected !== undefined,
  });

  const decide = useMutation({
    mutationFn: (input: { item: ModerationItem; action: ModerationAction; note: string }) =>
      api.post<ModerationItem>(`/moderation/${encodeURIComponent(input.item.id)}/decision`, {
        action: input.action,
        ...(input.note.trim() === '' ? {} : { note: input.note.trim() }),
        ...(reviewer.trim() === '' ? {} : { actor: reviewer.trim() }),
      }),
    onSuccess: (updated, input) => {
      // The decided item stays in view with its new state until the next refresh, so the reviewer sees it took.
      queryClient.setQueriesData<InfiniteData<Page<ModerationItem>>>({ queryKey: ['/moderation'] }, (data) =>
        data === undefined
          ? data
          : {
              ...data,
              pages: data.pages.map((page) => ({
                ...page,
                items: page.items.map((item) => (item.id === updated.id ? updated : item)),
              })),
            },
      );
      void queryClient.invalidateQueries({ queryKey: ['moderation-item', updated.id] });
      void queryClient.invalidateQueries({ queryKey: ['stream'] });
      setDone(`${PAST_TENSE[input.action]} ${input.item.labels.join(', ') || 'item'}`);
      setNote('');
      setIndex((current) => moveIndex(current, 1, items.length));
    },
  });

  useEffect(() => {
    setIndex(0);
  }, [status, streamId]);

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
      else if (command.kind === 'open' && selected !== undefined)
        navigate({ page: 'event', id: selected.eventId });
      else if (command.kind === 'decide' && selected !== undefined && !decide.isPending) {
        decide.mutate({ item: selected, action: command.action, note });
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [items.length, selected, note, decide]);

  const changeReviewer = (value: string) => {
    setReviewer(value);
    try {
      localStorage.setItem(REVIEWER_KEY, value);
    } catch {
      // Not kept across visits when storage is denied; the name still applies to this visit.
    }
  };

  return (
    <>
      <PageHeader
        title="Moderation queue"
        subtitle="Content Tencent's moderation flagged. Decide what it really is."
      >
        <label className="inline-field">
          Reviewing as
          <input
            value={reviewer}
            onChange={(event) => changeReviewer(event.target.value)}
            placeholder="your name"
          />
        </label>
      </PageHeader>
      <div className="toolbar">
        <FilterTabs
          label="Review state"
          value={status}
          options={STATUS_FILTERS}
          onChange={(value) =>
            navigate({ page: 'moderation', query: { status: value, stream_id: streamId } }, { replace: true })
          }
        />
        {streamId !== undefined && (
          <span className="chip">
            stream {streamId}
            <button
              type="button"
              className="link"
              aria-label="Show every stream"
              onClick={() => navigate({ page: 'moderation', query: { status } }, { replace: true })}
            >
              ×
            </button>
          </span>
        )}
        <span className="keys muted small">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>c</kbd> confirm · <kbd>d</kbd> dismiss · <kbd>e</kbd> escalate
          · <kbd>n</kbd> note · <kbd>o</kbd> open event
        </span>
      </div>
      {list.query.isPending && <Loading />}
      {list.query.isError && <ErrorNotice error={list.query.error} />}
      {list.query.isSuccess && items.length === 0 && (
        <div className="panel">
          <EmptyState title={status === 'pending' ? 'Nothing to review' : 'No items'}>
            {status === 'pending'
              ? 'Flagged images, audio and text land here when moderation results are not a pass.'
              : 'No moderation item has this review state.'}
          </EmptyState>
        </div>
      )}
      {items.length > 0 && (
        <div className="review">
          <div className="panel review-list">
            <ul
              role="listbox"
              aria-label="Moderation items"
              aria-activedescendant={selected ? `mod-${selected.id}` : undefined}
            >
              {items.map((item, position) => (
                <li
                  key={item.id}
                  id={`mod-${item.id}`}
                  role="option"
                  aria-selected={item.id === selected?.id}
                  className={`review-row ${item.id === selected?.id ? 'selected' : ''} ${status === 'pending' && item.status !== 'pending' ? 'decided' : ''}`}
                  ref={(element) => {
                    if (element) rowRefs.current.set(item.id, element);
                    else rowRefs.current.delete(item.id);
                  }}
                  onClick={() => setIndex(position)}
                >
                  {item.mediaType === 'image' ? (
                    <Thumbnail url={item.mediaUrl} alt={item.labels.join(', ')} />
                  ) : (
                    <div className="thumb thumb-small thumb-missing">
                      <span>{item.mediaType}</span>
                    </div>
                  )}
                  <div className="review-row-body">
                    <div className="hit-line">
                      <LookBadge look={suggestionLook(item.suggestion)} />
                      <strong>{item.labels.join(', ') || 'No label'}</strong>
                      {item.score !== undefined && (
                        <span className="muted">score {formatScore(item.score)}</span>
                      )}
                    </div>
                    {item.text !== undefined && item.text !== '' && (
                      <div className="hit-text clamp">“{item.text}”</div>
                    )}
                    <div className="hit-line small muted">
                      <TimeAgo ms={item.occurredAt} />
                      {item.streamId !== undefined && <span>stream {item.streamId}</span>}
                      {item.roomId !== undefined && <span>room {item.roomId}</span>}
                    </div>
                  </div>
                  <LookBadge look={reviewStatusLook(item.status)} />
                </li>
              ))}
            </ul>
            <LoadMore
              hasMore={list.hasMore}
              loading={list.loadingMore}
              onMore={list.loadMore}
              count={items.length}
            />
          </div>
          {selected !== undefined && (
            <div className="panel review-detail" data-testid="review-detail">
              <div className="review-media">
                {selected.mediaType === 'image' && (
                  <Thumbnail url={selected.mediaUrl} alt={selected.labels.join(', ')} size="large" />
                )}
                {selected.mediaType === 'audio' &&
                  (safeUrl(selected.mediaUrl) !== undefined ? (
                    <audio controls preload="none" src={safeUrl(selected.mediaUrl)} />
                  ) : (
                    <p className="muted">No audio link in the callback.</p>
                  ))}
                {selected.text !== undefined && selected.text !== '' && (
                  <blockquote className="flagged-text">{selected.text}</blockquote>
                )}
              </div>
              <div className="hit-line">
                <LookBadge
                  look={suggestionLook(selected.suggestion)}
                  title="What Tencent's moderation suggests"
                />
                <strong className="big">{selected.labels.join(', ') || 'No label'}</strong>
                {selected.score !== undefined && <span>score {formatScore(selected.score)} / 100</span>}
              </div>
              <label htmlFor="review-note" className="small">
                Note (optional, kept in the audit trail)
              </label>
              <textarea
                id="review-note"
                ref={noteRef}
                rows={2}
                value={note}
                onChange={(event) => setNote(event.target.value)}
                placeholder="Why? Press Esc to go back to the keys."
              />
              <div className="decide">
                {ACTIONS.map((entry) => (
                  <button
                    key={entry.action}
                    type="button"
                    className={`decide-${entry.tone}`}
                    disabled={decide.isPending}
                    title={entry.explain}
                    onClick={() => decide.mutate({ item: selected, action: entry.action, note })}
                  >
                    {entry.label} <kbd>{entry.key}</kbd>
                  </button>
                ))}
              </div>
              {decide.isError && <ErrorNotice error={decide.error} />}
              {done !== undefined && !decide.isError && (
                <p className="muted small" role="status">
                  Saved: {done}.
                </p>
              )}
              <dl className="facts">
                <div className="fact">
                  <dt>Found by</dt>
                  <dd>
                    <EventType type={selected.eventType} />
                  </dd>
                </div>
                <div className="fact">
                  <dt>When</dt>
                  <dd>
                    <Time ms={selected.occurredAt} />
                  </dd>
                </div>
                <div className="fact">
                  <dt>Where</dt>
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
                  <dt>Review</dt>
                  <dd>
                    <LookBadge look={reviewStatusLook(selected.status)} />
                    {selected.decidedBy !== undefined && (
                      <span className="muted"> by {selected.decidedBy}</span>
                    )}
                    {selected.decidedAt !== undefined && (
                      <span className="muted"> {formatTime(selected.decidedAt)}</span>
                    )}
                  </dd>
                </div>
              </dl>
              <h3>Audit trail</h3>
              {detail.isPending && <p className="muted small">Loading…</p>}
              {detail.isError && <ErrorNotice error={detail.error} />}
              {detail.data && detail.data.decisions.length === 0 && (
                <p className="muted small">No decision yet.</p>
              )}
              {detail.data && detail.data.decisions.length > 0 && (
                <ol className="audit">
                  {detail.data.decisions.map((decision, position) => (
                    <li key={`${decision.at}-${position}`}>
                      <strong>{PAST_TENSE[decision.action] ?? decision.action}</strong> by{' '}
                      {decision.actor || 'someone'} <span className="muted">{formatTime(decision.at)}</span>
                      {decision.note !== '' && <div className="audit-note">{decision.note}</div>}
                    </li>
                  ))}
                </ol>
              )}
              <p className="small">
                <a href={routeHref({ page: 'event', id: selected.eventId })}>
                  Open the event this came from →
                </a>
              </p>
            </div>
          )}
        </div>
      )}
    </>
  );
}

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
import { navigate } from '../hooks/use-route';
import { Rich, useT } from '../i18n/i18n-context';
import type { PlainKey } from '../i18n/translator';
import { formatScore } from '../lib/format';
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
  const { t, labels, time } = useT();
  const queryClient = useQueryClient();
  const status: StatusFilter = isStatusFilter(route.query.status) ? route.query.status : 'pending';
  const streamId = route.query.stream_id;
  const source = route.query.source === 'css' || route.query.source === 'trtc' ? route.query.source : '';
  const list = useCursorList<ModerationItem>('/moderation', {
    status: status === 'all' ? undefined : status,
    stream_id: streamId,
    source,
  });
  const [index, setIndex] = useState(0);
  const [note, setNote] = useState('');
  const [reviewer, setReviewer] = useState(readReviewer);
  const [done, setDone] = useState<{ action: ModerationAction; labels: string[] } | undefined>(undefined);
  const [revealed, setRevealed] = useState(false);
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
      setDone({ action: input.action, labels: input.item.labels });
      setNote('');
      // In the queue the cursor lands on the next item still to review, never on one decided already.
      const after = items.map((item) => (item.id === updated.id ? updated : item));
      const position = after.findIndex((item) => item.id === updated.id);
      setIndex(status === 'pending' ? nextToReview(after, position) : moveIndex(position, 1, after.length));
    },
  });

  const left = items.filter((item) => item.status === 'pending').length;

  useEffect(() => {
    setIndex(0);
  }, [status, streamId, source]);

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
      <PageHeader title={t('moderation.title')} subtitle={t('moderation.subtitle')}>
        <label className="inline-field">
          {t('moderation.reviewer')}
          <input
            value={reviewer}
            onChange={(event) => changeReviewer(event.target.value)}
            placeholder={t('moderation.reviewerPlaceholder')}
          />
        </label>
      </PageHeader>
      <div className="toolbar">
        <FilterTabs
          label={t('moderation.state')}
          value={status}
          options={STATUS_FILTERS.map((filter) => ({ value: filter.value, label: t(filter.label) }))}
          onChange={(value) =>
            navigate(
              { page: 'moderation', query: { status: value, stream_id: streamId, source } },
              { replace: true },
            )
          }
        />
        {streamId !== undefined && (
          <span className="chip">
            {t('moderation.streamChip', { id: streamId })}
            <button
              type="button"
              className="link"
              aria-label={t('moderation.everyStream')}
              onClick={() => navigate({ page: 'moderation', query: { status, source } }, { replace: true })}
            >
              ×
            </button>
          </span>
        )}
        <FilterTabs
          label={t('moderation.source')}
          value={source}
          options={[
            { value: '', label: t('moderation.anySource') },
            { value: 'css', label: 'CSS' },
            { value: 'trtc', label: 'TRTC' },
          ]}
          onChange={(value) =>
            navigate(
              { page: 'moderation', query: { status, stream_id: streamId, source: value } },
              { replace: true },
            )
          }
        />
        {(status === 'pending' || status === 'all') && list.query.isSuccess && (
          <span className="badge badge-warn" role="status">
            {list.hasMore ? t('moderation.leftMore', { count: left }) : t('moderation.left', { count: left })}
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
              n: <kbd>n</kbd>,
              v: <kbd>v</kbd>,
              o: <kbd>o</kbd>,
            }}
          />
        </span>
      </div>
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
                  className={`review-row ${item.id === selected?.id ? 'selected' : ''} ${status === 'pending' && item.status !== 'pending' ? 'decided' : ''}`}
                  ref={(element) => {
                    if (element) rowRefs.current.set(item.id, element);
                    else rowRefs.current.delete(item.id);
                  }}
                  onClick={() => setIndex(position)}
                >
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
                    disabled={decide.isPending}
                    title={t(entry.explain)}
                    onClick={() => decide.mutate({ item: selected, action: entry.action, note })}
                  >
                    {t(entry.label)} <kbd>{entry.key}</kbd>
                  </button>
                ))}
              </div>
              {decide.isError && <ErrorNotice error={decide.error} />}
              {done !== undefined && !decide.isError && (
                <p className="muted small" role="status">
                  {t(ACTIONS.find((entry) => entry.action === done.action)!.saved, {
                    labels: labels(done.labels) || t('moderation.item'),
                  })}
                </p>
              )}
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
                        {t('moderation.decided', {
                          action: t(
                            ACTIONS.find((entry) => entry.action === decision.action)?.done ?? 'look.pending',
                          ),
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

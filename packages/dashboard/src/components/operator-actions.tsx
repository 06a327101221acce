import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useApi } from '../api/api-context';
import type { OperatorAction, Page } from '../api/api-types';
import { useT } from '../i18n/i18n-context';
import type { Tone } from '../lib/tones';
import { Badge, EmptyState, ErrorNotice, Loading } from './ui';

/** The Tencent Cloud API actions an operator takes from the dashboard. */
export type OperatorActionName =
  'DropLiveStream' | 'ForbidLiveStream' | 'RemoveUser' | 'RemoveUserByStrRoomId';

const STATUS_TONE: Record<OperatorAction['status'], Tone> = { dry_run: 'info', done: 'good', failed: 'bad' };

/**
 * The actions on a TRTC user of a room: `RemoveUser` takes a numeric room id, `RemoveUserByStrRoomId` any
 * other (https://cloud.tencent.com/document/product/647/50426).
 */
export function removeUserAction(roomId: string): OperatorActionName {
  return /^\d+$/.test(roomId) ? 'RemoveUser' : 'RemoveUserByStrRoomId';
}

/**
 * Buttons that cut off or forbid a stream, or remove a TRTC user, through `POST /api/actions`: the operator
 * says who and why, and the request is a dry run unless they switch it to a real call. The outcome is shown
 * and the action lands in the audit trail.
 */
export function OperatorActions({
  title,
  eventId,
  actions,
  actor,
  onActor,
}: {
  /** The heading, when the section has none around it. */
  title?: string;
  /** The stored event naming the stream, or the room and user. */
  eventId: string;
  actions: readonly OperatorActionName[];
  /** Who decides, remembered by the page. */
  actor: string;
  onActor: (name: string) => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const { t } = useT();
  const id = useId();
  const [chosen, setChosen] = useState<OperatorActionName | undefined>(undefined);
  const [reason, setReason] = useState('');
  const [really, setReally] = useState(false);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const act = useMutation({
    mutationFn: (input: { action: OperatorActionName; actor: string; reason: string; dryRun: boolean }) =>
      api.post<OperatorAction>('/actions', { ...input, eventId }),
    onSuccess: () => {
      setChosen(undefined);
      setReason('');
      setReally(false);
      void queryClient.invalidateQueries({ queryKey: ['actions'] });
    },
  });

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (chosen === undefined) return;
    if (actor.trim() === '') return setProblem(t('actions.needWho'));
    if (reason.trim() === '') return setProblem(t('actions.needWhy'));
    setProblem(undefined);
    act.mutate({ action: chosen, actor: actor.trim(), reason: reason.trim(), dryRun: !really });
  };

  const outcome = act.data;
  return (
    <div
      className="operator-actions"
      {...(title === undefined ? {} : { role: 'group', 'aria-labelledby': `${id}-title` })}
    >
      {title !== undefined && <h3 id={`${id}-title`}>{title}</h3>}
      <div className="action-buttons">
        {actions.map((action) => (
          <button
            key={action}
            type="button"
            className="decide-bad"
            aria-pressed={chosen === action}
            onClick={() => {
              act.reset();
              setChosen(chosen === action ? undefined : action);
            }}
          >
            {t(`actions.${action}`)}
          </button>
        ))}
      </div>
      {chosen !== undefined && (
        <form className="action-form" onSubmit={submit}>
          <p className="muted small">
            {t(`actions.explain.${chosen === 'RemoveUserByStrRoomId' ? 'RemoveUser' : chosen}`)}
          </p>
          <label>
            {t('actions.who')}
            <input value={actor} onChange={(event) => onActor(event.target.value)} maxLength={100} />
          </label>
          <label>
            {t('actions.why')}
            <textarea
              rows={2}
              value={reason}
              maxLength={500}
              placeholder={t('actions.whyPlaceholder')}
              onChange={(event) => setReason(event.target.value)}
            />
          </label>
          <label className="toggle">
            <input type="checkbox" checked={really} onChange={(event) => setReally(event.target.checked)} />
            {t('actions.really')}
          </label>
          <p className={really ? 'notice notice-warn' : 'muted small'}>
            {really ? t('actions.realNote') : t('actions.dryRunNote')}
          </p>
          <div className="action-buttons">
            <button type="submit" className={really ? 'decide-bad' : 'primary'} disabled={act.isPending}>
              {really ? t('actions.callNow') : t('actions.recordDryRun')}
            </button>
            <button type="button" onClick={() => setChosen(undefined)}>
              {t('actions.cancel')}
            </button>
          </div>
          {problem !== undefined && (
            <p className="notice notice-bad" role="alert">
              {problem}
            </p>
          )}
          {act.isError && <ErrorNotice error={act.error} />}
        </form>
      )}
      {outcome !== undefined && (
        <p
          className={`notice ${outcome.status === 'failed' ? 'notice-bad' : 'notice-ok'}`}
          role="status"
          data-testid="action-outcome"
        >
          {t(`actions.outcome.${outcome.status}`, {
            action: t(`actions.${outcome.action}`),
            error: outcome.error ?? '',
          })}
        </p>
      )}
    </div>
  );
}

/** The audit trail of the actions taken on a stream, newest first: what, who, why and how it ended. */
export function ActionTrail({ streamId }: { streamId: string }) {
  const api = useApi();
  const { t, time } = useT();
  const trail = useQuery({
    queryKey: ['actions', streamId],
    queryFn: ({ signal }) => api.get<Page<OperatorAction>>('/actions', { stream_id: streamId }, signal),
    refetchInterval: 15_000,
  });
  if (trail.isPending) return <Loading />;
  if (trail.isError) return <ErrorNotice error={trail.error} />;
  if (trail.data.items.length === 0) return <EmptyState title={t('actions.noTrail')} />;
  return (
    <ol className="audit action-trail">
      {trail.data.items.map((entry) => (
        <li key={entry.id} data-action={entry.action} data-status={entry.status}>
          <Badge tone={STATUS_TONE[entry.status]}>{t(`actions.status.${entry.status}`)}</Badge>{' '}
          <strong>
            {t('actions.entry', {
              action: t(`actions.${entry.action}`),
              who: entry.actor,
            })}
          </strong>{' '}
          <span className="muted">{time(entry.createdAt)}</span>
          <div className="audit-note">{entry.reason}</div>
          {entry.error !== null && <div className="audit-note bad-text">{entry.error}</div>}
        </li>
      ))}
    </ol>
  );
}

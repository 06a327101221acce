import type { FormEvent } from 'react';
import type { TaskState, TrtcTask } from '../api/api-types';
import { Badge, EmptyState, ErrorNotice, Loading, LoadMore, PageHeader, TimeAgo } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { useT } from '../i18n/i18n-context';
import type { PlainKey } from '../i18n/translator';
import { routeHref, type Route } from '../lib/route';
import { taskStateTone } from '../lib/tones';
import { formText } from '../lib/form-text';

const STATES: { value: TaskState | ''; label: PlainKey }[] = [
  { value: '', label: 'tasks.anyState' },
  { value: 'starting', label: 'tasks.filter.starting' },
  { value: 'running', label: 'tasks.filter.running' },
  { value: 'sending', label: 'tasks.filter.sending' },
  { value: 'stopped', label: 'tasks.filter.stopped' },
  { value: 'failed_to_start', label: 'tasks.filter.failed_to_start' },
  { value: 'errored', label: 'tasks.filter.errored' },
];

/** Result counts by Tencent's suggestion, as three small numbers. */
export function ResultCounts({ results }: { results: TrtcTask['results'] }) {
  const { t } = useT();
  return (
    <span className="results">
      <span className="result result-pass" title={t('results.passTitle')}>
        {t('results.pass', { count: results.Pass })}
      </span>
      <span className="result result-review" title={t('results.reviewTitle')}>
        {t('results.review', { count: results.Review })}
      </span>
      <span className="result result-block" title={t('results.blockTitle')}>
        {t('results.block', { count: results.Block })}
      </span>
    </span>
  );
}

/** TRTC cloud moderation tasks: what each is doing, why it stopped, and what it found. */
export function TasksPage({ route }: { route: Route }) {
  const { t, taskState, leaveCode } = useT();
  const state = route.query.state ?? '';
  const roomId = route.query.room_id ?? '';
  const list = useCursorList<TrtcTask>(
    '/trtc/tasks',
    { state, room_id: roomId },
    { refetchInterval: 15_000 },
  );

  const apply = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    navigate(
      { page: 'tasks', query: { state: formText(form, 'state'), room_id: formText(form, 'room_id') } },
      { replace: true },
    );
  };

  return (
    <>
      <PageHeader title={t('tasks.title')} subtitle={t('tasks.subtitle')} />
      <form className="filters" onSubmit={apply} key={`${state}|${roomId}`}>
        <label>
          {t('tasks.state')}
          <select
            name="state"
            defaultValue={state}
            onChange={(event) => event.currentTarget.form?.requestSubmit()}
          >
            {STATES.map((option) => (
              <option key={option.value} value={option.value}>
                {t(option.label)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('tasks.room')}
          <input name="room_id" defaultValue={roomId} placeholder={t('filter.roomId')} />
        </label>
        <button type="submit">{t('filter.apply')}</button>
      </form>
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title={t('tasks.none')}>{t('tasks.noneHint')}</EmptyState>
        )}
        {list.items.length > 0 && (
          <table className="table stack">
            <thead>
              <tr>
                <th>{t('tasks.task')}</th>
                <th>{t('tasks.room')}</th>
                <th>{t('tasks.state')}</th>
                <th>{t('tasks.why')}</th>
                <th>{t('tasks.results')}</th>
                <th>{t('tasks.started')}</th>
                <th>{t('tasks.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((task) => (
                <tr key={task.taskId}>
                  <td className="mono ellipsis stack-main" title={task.taskId}>
                    <a href={routeHref({ page: 'task', id: task.taskId })} className="id-text">
                      {task.taskId}
                    </a>
                  </td>
                  <td className="stack-inline" data-label={t('tasks.room')}>
                    {task.roomId ?? <span className="muted">—</span>}
                  </td>
                  <td className="stack-inline">
                    <Badge tone={taskStateTone(task.state)} title={taskState(task)}>
                      {t(`tasks.filter.${task.state}`)}
                    </Badge>
                  </td>
                  <td className="small" data-label={t('tasks.why')}>
                    {task.leaveCode !== undefined
                      ? leaveCode(task.leaveCode)
                      : (task.leaveReason ?? task.lastError?.message ?? <span className="muted">—</span>)}
                  </td>
                  <td className="stack-inline">
                    <ResultCounts results={task.results} />
                  </td>
                  <td className="stack-inline" data-label={t('tasks.started')}>
                    <TimeAgo ms={task.startedAt} />
                  </td>
                  <td className="stack-inline" data-label={t('tasks.updated')}>
                    <TimeAgo ms={task.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {list.items.length > 0 && <LoadMore list={list} />}
      </div>
    </>
  );
}

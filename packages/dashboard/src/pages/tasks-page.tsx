import type { FormEvent } from 'react';
import type { TaskState, TrtcTask } from '../api/api-types';
import { Badge, EmptyState, ErrorNotice, Loading, LoadMore, PageHeader, TimeAgo } from '../components/ui';
import { useCursorList } from '../hooks/use-cursor-list';
import { navigate } from '../hooks/use-route';
import { capitalize, formatCount } from '../lib/format';
import { routeHref, type Route } from '../lib/route';
import { taskStateTone } from '../lib/tones';
import { formText } from '../lib/form-text';

const STATES: { value: TaskState | ''; label: string }[] = [
  { value: '', label: 'Any state' },
  { value: 'starting', label: 'Starting' },
  { value: 'running', label: 'Running' },
  { value: 'sending', label: 'Sending results' },
  { value: 'stopped', label: 'Stopped' },
  { value: 'failed_to_start', label: 'Failed to start' },
  { value: 'errored', label: 'Errored' },
];

/** Result counts by Tencent's suggestion, as three small numbers. */
export function ResultCounts({ results }: { results: TrtcTask['results'] }) {
  return (
    <span className="results">
      <span className="result result-pass" title="Results suggesting Pass">
        {formatCount(results.Pass)} pass
      </span>
      <span className="result result-review" title="Results suggesting Review">
        {formatCount(results.Review)} review
      </span>
      <span className="result result-block" title="Results suggesting Block">
        {formatCount(results.Block)} block
      </span>
    </span>
  );
}

/** TRTC cloud moderation tasks: what each is doing, why it stopped, and what it found. */
export function TasksPage({ route }: { route: Route }) {
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
      <PageHeader
        title="TRTC moderation tasks"
        subtitle="Each task watches one real-time room for Tencent's content moderation."
      />
      <form className="filters" onSubmit={apply} key={`${state}|${roomId}`}>
        <label>
          State
          <select
            name="state"
            defaultValue={state}
            onChange={(event) => event.currentTarget.form?.requestSubmit()}
          >
            {STATES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          Room
          <input name="room_id" defaultValue={roomId} placeholder="room id" />
        </label>
        <button type="submit">Apply</button>
      </form>
      <div className="panel">
        {list.query.isPending && <Loading />}
        {list.query.isError && <ErrorNotice error={list.query.error} />}
        {list.query.isSuccess && list.items.length === 0 && (
          <EmptyState title="No moderation tasks">
            Tasks appear when TRTC sends its cloud moderation callbacks.
          </EmptyState>
        )}
        {list.items.length > 0 && (
          <table className="table stack">
            <thead>
              <tr>
                <th>Task</th>
                <th>Room</th>
                <th>State</th>
                <th>Why it stopped / last error</th>
                <th>Results</th>
                <th>Started</th>
                <th>Updated</th>
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
                  <td className="stack-inline" data-label="Room">
                    {task.roomId ?? <span className="muted">—</span>}
                  </td>
                  <td className="stack-inline">
                    <Badge tone={taskStateTone(task.state)}>{capitalize(task.stateLabel)}</Badge>
                  </td>
                  <td className="small" data-label="Why it stopped">
                    {task.leaveReason ?? task.lastError?.message ?? <span className="muted">—</span>}
                  </td>
                  <td className="stack-inline">
                    <ResultCounts results={task.results} />
                  </td>
                  <td className="stack-inline" data-label="Started">
                    <TimeAgo ms={task.startedAt} />
                  </td>
                  <td className="stack-inline" data-label="Updated">
                    <TimeAgo ms={task.updatedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
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

import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import type { TrtcTaskDetail } from '../api/api-types';
import { EventTable } from '../components/event-table';
import { Badge, EmptyState, ErrorNotice, Facts, Loading, PageHeader, Panel, Time } from '../components/ui';
import { capitalize } from '../lib/format';
import { routeHref } from '../lib/route';
import { taskStateTone } from '../lib/tones';
import { ResultCounts } from './tasks-page';

/** One TRTC moderation task: its state in words, why it stopped, its results and events. */
export function TaskPage({ id }: { id: string }) {
  const api = useApi();
  const task = useQuery({
    queryKey: ['task', id],
    queryFn: ({ signal }) => api.get<TrtcTaskDetail>(`/trtc/tasks/${encodeURIComponent(id)}`, {}, signal),
    refetchInterval: 15_000,
  });
  if (task.isPending) return <Loading what="Loading the task" />;
  if (task.isError) return <ErrorNotice error={task.error} />;
  const t = task.data;
  return (
    <>
      <PageHeader title="Moderation task" subtitle={<code>{t.taskId}</code>}>
        <Badge tone={taskStateTone(t.state)}>{capitalize(t.stateLabel)}</Badge>
      </PageHeader>
      <div className="grid-1-2">
        <Panel title="Task">
          <Facts
            rows={[
              ['State', capitalize(t.stateLabel)],
              [
                'Room',
                t.roomId === undefined ? (
                  '—'
                ) : (
                  <a key="r" href={routeHref({ page: 'events', query: { room_id: t.roomId } })}>
                    {t.roomId}
                  </a>
                ),
              ],
              ['Application', t.sdkAppId ?? '—'],
              [
                'Why it stopped',
                t.leaveReason === undefined
                  ? '—'
                  : `${t.leaveReason}${t.leaveCode === undefined ? '' : ` (code ${t.leaveCode})`}`,
              ],
              [
                'Last error',
                t.lastError === undefined ? '—' : `${t.lastError.message} (code ${t.lastError.code})`,
              ],
              ['Results', <ResultCounts key="res" results={t.results} />],
              ['Started', <Time key="s" ms={t.startedAt} />],
              ['Updated', <Time key="u" ms={t.updatedAt} />],
            ]}
          />
          <p className="small">
            <a href={routeHref({ page: 'moderation', query: { status: 'all' } })}>
              Flagged results in the moderation queue →
            </a>
          </p>
        </Panel>
        <Panel title="Events">
          {t.events.length === 0 ? (
            <EmptyState title="No events" />
          ) : (
            <EventTable events={t.events} showSubject={false} />
          )}
        </Panel>
      </div>
    </>
  );
}

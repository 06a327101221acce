import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/api-context';
import type { TrtcTaskDetail } from '../api/api-types';
import { EventTable } from '../components/event-table';
import { Badge, EmptyState, ErrorNotice, Facts, Loading, PageHeader, Panel, Time } from '../components/ui';
import { useT } from '../i18n/i18n-context';
import { routeHref } from '../lib/route';
import { taskStateTone } from '../lib/tones';
import { ResultCounts } from './tasks-page';

/** One TRTC moderation task: its state in words, why it stopped, its results and events. */
export function TaskPage({ id }: { id: string }) {
  const api = useApi();
  const { t, taskState, leaveCode } = useT();
  const task = useQuery({
    queryKey: ['task', id],
    queryFn: ({ signal }) => api.get<TrtcTaskDetail>(`/trtc/tasks/${encodeURIComponent(id)}`, {}, signal),
    refetchInterval: 15_000,
  });
  if (task.isPending) return <Loading what={t('task.loading')} />;
  if (task.isError) return <ErrorNotice error={task.error} />;
  const k = task.data;
  return (
    <>
      <PageHeader
        title={t('task.title')}
        subtitle={<code>{k.taskId}</code>}
        documentTitle={`${t('task.title')} ${k.taskId}`}
      >
        <Badge tone={taskStateTone(k.state)}>{taskState(k)}</Badge>
      </PageHeader>
      <div className="grid-1-2">
        <Panel title={t('task.panel')}>
          <Facts
            rows={[
              [t('tasks.state'), taskState(k)],
              [
                t('tasks.room'),
                k.roomId === undefined ? (
                  '—'
                ) : (
                  <a key="r" href={routeHref({ page: 'events', query: { room_id: k.roomId } })}>
                    {k.roomId}
                  </a>
                ),
              ],
              [t('task.app'), k.sdkAppId ?? '—'],
              [
                t('task.why'),
                k.leaveCode !== undefined
                  ? t('task.withCode', { text: leaveCode(k.leaveCode), code: String(k.leaveCode) })
                  : (k.leaveReason ?? '—'),
              ],
              [
                t('task.lastError'),
                k.lastError === undefined
                  ? '—'
                  : t('task.withCode', { text: k.lastError.message, code: String(k.lastError.code) }),
              ],
              [t('tasks.results'), <ResultCounts key="res" results={k.results} />],
              [t('tasks.started'), <Time key="s" ms={k.startedAt} />],
              [t('tasks.updated'), <Time key="u" ms={k.updatedAt} />],
            ]}
          />
          <p className="small">
            <a href={routeHref({ page: 'moderation', query: { status: 'all' } })}>{t('task.flagged')}</a>
          </p>
        </Panel>
        <Panel title={t('task.events')}>
          {k.events.length === 0 ? (
            <EmptyState title={t('task.noEvents')} />
          ) : (
            <EventTable events={k.events} showSubject={false} />
          )}
        </Panel>
      </div>
    </>
  );
}

import type { Subject } from '../api/api-types';
import { useT } from '../i18n/i18n-context';
import { routeHref } from '../lib/route';

/** The stream, room, task and user an event is about, linked to their pages; long ids are cut. */
export function SubjectLinks({ subject }: { subject: Subject }) {
  const { t } = useT();
  const parts = [];
  if (subject.streamId !== undefined) {
    parts.push(
      <a
        key="stream"
        href={routeHref({ page: 'stream', id: subject.streamId, query: { app_id: subject.appId } })}
        title={subject.streamId}
      >
        {t('subject.stream', { id: subject.streamId })}
      </a>,
    );
  }
  if (subject.roomId !== undefined) {
    parts.push(
      <a key="room" href={routeHref({ page: 'events', query: { room_id: subject.roomId } })}>
        {t('subject.room', { id: subject.roomId })}
      </a>,
    );
  }
  if (subject.taskId !== undefined) {
    parts.push(
      <a key="task" href={routeHref({ page: 'task', id: subject.taskId })} title={subject.taskId}>
        {t('subject.task', {
          id: subject.taskId.length > 12 ? `${subject.taskId.slice(0, 12)}…` : subject.taskId,
        })}
      </a>,
    );
  }
  if (subject.userId !== undefined) {
    parts.push(
      <span key="user" title={subject.userId}>
        {t('subject.user', { id: subject.userId })}
      </span>,
    );
  }
  if (parts.length === 0) return <span className="muted">—</span>;
  return <span className="subject">{parts}</span>;
}

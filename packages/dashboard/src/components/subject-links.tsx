import type { Subject } from '../api/api-types';
import { routeHref } from '../lib/route';

/** The stream, room, task and user an event is about, linked to their pages. */
export function SubjectLinks({ subject }: { subject: Subject }) {
  const parts = [];
  if (subject.streamId !== undefined) {
    parts.push(
      <a
        key="stream"
        href={routeHref({ page: 'stream', id: subject.streamId, query: { app_id: subject.appId } })}
      >
        stream {subject.streamId}
      </a>,
    );
  }
  if (subject.roomId !== undefined) {
    parts.push(
      <a key="room" href={routeHref({ page: 'events', query: { room_id: subject.roomId } })}>
        room {subject.roomId}
      </a>,
    );
  }
  if (subject.taskId !== undefined) {
    parts.push(
      <a key="task" href={routeHref({ page: 'task', id: subject.taskId })}>
        task {subject.taskId.length > 12 ? `${subject.taskId.slice(0, 12)}…` : subject.taskId}
      </a>,
    );
  }
  if (subject.userId !== undefined) parts.push(<span key="user">user {subject.userId}</span>);
  if (parts.length === 0) return <span className="muted">—</span>;
  return <span className="subject">{parts}</span>;
}

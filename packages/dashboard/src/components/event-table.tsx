import type { Envelope } from '../api/api-types';
import { routeHref } from '../lib/route';
import { EventType } from './event-type';
import { SubjectLinks } from './subject-links';
import { TimeAgo } from './ui';

/** Events as a table: when, what, summary, about whom; each row opens the event. */
export function EventTable({
  events,
  showSubject = true,
}: {
  events: readonly Envelope[];
  showSubject?: boolean;
}) {
  return (
    <table className="table fixed stack">
      <thead>
        <tr>
          <th className="col-time">When</th>
          <th className="col-type">Event</th>
          <th>Summary</th>
          {showSubject && <th className="col-subject">About</th>}
        </tr>
      </thead>
      <tbody>
        {events.map((event) => (
          <tr key={event.id}>
            <td className="col-time stack-inline">
              <TimeAgo ms={event.occurredAt} />
            </td>
            <td className="col-type stack-main">
              <EventType type={event.type} />
            </td>
            <td className="cell-summary">
              <a
                href={routeHref({ page: 'event', id: event.id })}
                className="summary-link"
                title={event.summary}
              >
                {event.summary || 'no summary'}
              </a>
              {event.auth.stale && <span className="badge badge-warn inline">stale</span>}
            </td>
            {showSubject && (
              <td className="col-subject">
                <SubjectLinks subject={event.subject} />
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

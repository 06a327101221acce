import type { Envelope } from '../api/api-types';
import { useT } from '../i18n/i18n-context';
import { routeHref } from '../lib/route';
import { EventType } from './event-type';
import { SubjectLinks } from './subject-links';
import { TimeAgo } from './ui';

/** Events as a table (a list on a phone): when, what, summary, about whom; each row opens the event. */
export function EventTable({
  events,
  showSubject = true,
}: {
  events: readonly Envelope[];
  showSubject?: boolean;
}) {
  const { t } = useT();
  return (
    <table className="table fixed stack">
      <thead>
        <tr>
          <th className="col-time">{t('table.when')}</th>
          <th className="col-type">{t('table.event')}</th>
          <th>{t('table.summary')}</th>
          {showSubject && <th className="col-subject">{t('table.about')}</th>}
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
                {event.summary || t('table.noSummary')}
              </a>
              {event.auth.stale && <span className="badge badge-warn inline">{t('table.stale')}</span>}
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

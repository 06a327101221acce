import { useT } from '../i18n/i18n-context';
import { NAMED_EVENT_TYPES } from '../i18n/translator';

/** An event type in words, with its stable code underneath. */
export function EventType({ type }: { type: string }) {
  const { eventType } = useT();
  return (
    <span className="event-type">
      <span>{eventType(type)}</span>
      <code>{type}</code>
    </span>
  );
}

/** Suggestions for an event type filter: the named types and the ones on screen. */
export function EventTypeOptions({ id, seen = [] }: { id: string; seen?: readonly string[] }) {
  const { eventType } = useT();
  const types = [...new Set([...NAMED_EVENT_TYPES, ...seen])].sort();
  return (
    <datalist id={id}>
      {types.map((type) => (
        <option key={type} value={type}>
          {eventType(type)}
        </option>
      ))}
    </datalist>
  );
}

import { describeEventType, NAMED_EVENT_TYPES } from '../lib/format';

/** An event type in words, with its stable code underneath. */
export function EventType({ type }: { type: string }) {
  return (
    <span className="event-type">
      <span>{describeEventType(type)}</span>
      <code>{type}</code>
    </span>
  );
}

/** Suggestions for an event type filter: the named types and the ones on screen. */
export function EventTypeOptions({ id, seen = [] }: { id: string; seen?: readonly string[] }) {
  const types = [...new Set([...NAMED_EVENT_TYPES, ...seen])].sort();
  return (
    <datalist id={id}>
      {types.map((type) => (
        <option key={type} value={type}>
          {describeEventType(type)}
        </option>
      ))}
    </datalist>
  );
}

import { describeEventType } from '../lib/format';

/** An event type in words, with its stable code underneath. */
export function EventType({ type }: { type: string }) {
  return (
    <span className="event-type">
      <span>{describeEventType(type)}</span>
      <code>{type}</code>
    </span>
  );
}

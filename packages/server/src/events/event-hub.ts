import type { EventRow, StoredEvent } from '../store/stored-event.js';
import { fromEventRow } from '../store/stored-event.js';

/** Receives newly stored events, oldest first. */
export type EventListener = (events: readonly StoredEvent[]) => void;

/**
 * Fans newly committed events out to live-tail subscribers in this process. Events are mapped to envelopes
 * only when someone listens, so an idle hub costs nothing on the ingest path.
 *
 * @example
 * ```ts
 * const hub = new EventHub();
 * const unsubscribe = hub.subscribe((events) => events.forEach((e) => console.log(e.type)));
 * ```
 */
export class EventHub {
  readonly #listeners = new Set<EventListener>();

  /** Number of subscribers. */
  get size(): number {
    return this.#listeners.size;
  }

  /** Adds a listener; returns the function that removes it. */
  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Delivers committed rows, in id order, to every listener. */
  publish(rows: readonly EventRow[]): void {
    if (this.#listeners.size === 0) return;
    const events = rows.map((row) => fromEventRow({ ...row, duplicates: 0 }));
    for (const listener of this.#listeners) listener(events);
  }
}

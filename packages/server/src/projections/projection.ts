import type { Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import type { DialectProfile } from '../store/dialect-profile.js';
import type { StoredEvent } from '../store/stored-event.js';
import type { ColumnKind } from './fit-row.js';

/**
 * One projection of the stored events (streams, the moderation queue, TRTC tasks, transcripts): the tables it
 * derives, and how it applies events to them. The {@link Projector} knows none in particular: it queues every
 * stored event and hands each to every projection exactly once, in the transaction that takes it off the
 * queue.
 *
 * @example
 * ```ts
 * const counts: Projection = {
 *   name: 'counts',
 *   tables: { type_counts: { type: 'key', n: 'bigint' } },
 *   async apply(trx, events) {
 *     for (const event of events) await countOne(trx, event.type);
 *   },
 * };
 * ```
 */
export interface Projection {
  /** What it projects, for logs. */
  readonly name: string;
  /**
   * The tables it derives from events, with the kind of each column: a rebuild empties them before replaying
   * every event (tables of human input, such as moderation reviews, are not listed).
   */
  readonly tables: Readonly<Record<string, Readonly<Record<string, ColumnKind>>>>;
  /**
   * Applies events, each exactly once, in the projector's transaction. Every rule orders by event time, so
   * applying the same events in another order or in other batches gives the same tables.
   */
  apply(trx: Transaction<Database>, events: readonly StoredEvent[], profile: DialectProfile): Promise<void>;
  /** Empties what it derives beside its tables (a search index), before a rebuild. */
  clear?(trx: Transaction<Database>, profile: DialectProfile): Promise<void>;
  /**
   * Takes out what it derived from the events retention is about to delete (ids below `beforeId`), in the
   * transaction that deletes them. Projections that keep what they derived (a stream's last state) leave it out.
   */
  forget?(trx: Transaction<Database>, beforeId: string, profile: DialectProfile): Promise<void>;
}

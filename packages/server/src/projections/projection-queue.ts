import type { CompiledQuery } from 'kysely';
import type { KyselyStore } from '../store/kysely-store.js';
import { chunk } from './upsert-rows.js';
import { projectionDb } from './projector.js';

/**
 * Ids per statement: each statement shape (1 to this many ids) is prepared once on SQLite, like the events
 * insert's.
 */
const IDS_PER_STATEMENT = 128;

/**
 * The statements that queue stored events for the projector, run by the group commit in the transaction that
 * stores them (its `followUps`): the ids are selected from `events`, so a duplicate, which the transaction did
 * not store, is not queued. A crash after the commit loses nothing: the queue is on disk with the events.
 *
 * @example
 * ```ts
 * await store.commitBatch({ events: rows, rejections: [], followUps: queueForProjection(store, ids) });
 * ```
 */
export function queueForProjection(store: KyselyStore, eventIds: readonly string[]): CompiledQuery[] {
  const db = projectionDb(store);
  return chunk(eventIds, IDS_PER_STATEMENT).map((ids) =>
    db
      .insertInto('projection_queue')
      .columns(['event_id'])
      .expression((eb) => eb.selectFrom('events').select('id').where('id', 'in', ids))
      .compile(),
  );
}

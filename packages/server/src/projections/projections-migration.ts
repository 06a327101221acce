import type { Kysely, Migration } from 'kysely';
import type { DialectProfile, QueueTrigger } from '../store/dialect-profile.js';

/** A projection's part of migration `0002_projections`: its tables and their indexes. */
export type CreateTables = (db: Kysely<unknown>, profile: DialectProfile) => Promise<void>;

/**
 * Every row `events` gains (never a duplicate: `ON CONFLICT DO NOTHING` inserts nothing and fires nothing) is
 * queued for the projector in the same transaction, whatever code path inserted it.
 */
const PROJECTION_QUEUE_TRIGGER: QueueTrigger = {
  name: 'events_projection_queue',
  table: 'events',
  key: 'id',
  queue: 'projection_queue',
  column: 'event_id',
  function: 'livehooks_queue_projection',
};

/**
 * Migration `0002_projections`: the events list filters the query API added, the projector's queue and its
 * trigger, then the tables of each projection, in the order given (docs/api.md "Projections"). Released: the
 * projections' parts must keep creating the same schema, in the same order.
 */
export function projectionsMigration(
  profile: DialectProfile,
  projections: readonly CreateTables[],
): Migration {
  return {
    async up(db: Kysely<unknown>) {
      // Events list filters added by the query API; partial like the subject indexes of 0001.
      await db.schema.createIndex('events_family_id').on('events').columns(['family', 'id']).execute();
      await db.schema
        .createIndex('events_user_id_id')
        .on('events')
        .columns(['user_id', 'id'])
        .where('user_id', 'is not', null)
        .execute();

      await db.schema
        .createTable('projection_queue')
        .addColumn('event_id', profile.types.id, (col) => col.primaryKey())
        .execute();
      await profile.createQueueTrigger(db, PROJECTION_QUEUE_TRIGGER);

      for (const createTables of projections) await createTables(db, profile);
    },
  };
}

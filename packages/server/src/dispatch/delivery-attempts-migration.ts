import type { Kysely, Migration } from 'kysely';
import type { DialectProfile } from '../store/dialect-profile.js';

/**
 * Migration `0008_delivery_attempts`: the `delivery_attempts` table, one row per finished attempt of a
 * delivery (its outcome, the sink's answer or error, when it started and how long it took), so a retry no
 * longer erases the earlier failures. Its ids are UUIDv7 of the attempt's start: retention deletes by id.
 */
export function deliveryAttemptsMigration(profile: DialectProfile): Migration {
  const { id } = profile.types;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('delivery_attempts')
        .addColumn('id', id, (col) => col.primaryKey())
        .addColumn('delivery_id', id, (col) => col.notNull())
        .addColumn('sink', 'text', (col) => col.notNull())
        .addColumn('attempt', 'integer', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('error', 'text')
        .addColumn('result', 'text')
        .addColumn('started_at', 'bigint', (col) => col.notNull())
        .addColumn('duration_ms', 'integer', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('delivery_attempts_delivery')
        .on('delivery_attempts')
        .columns(['delivery_id', 'id'])
        .execute();
      // A sink's success rate reads its attempts of a recent window.
      await db.schema
        .createIndex('delivery_attempts_sink')
        .on('delivery_attempts')
        .columns(['sink', 'id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('delivery_attempts').execute();
    },
  };
}

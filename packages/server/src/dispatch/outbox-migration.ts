import { sql, type Kysely, type Migration } from 'kysely';
import type { DialectProfile } from '../store/dialect-profile.js';

/**
 * Migration `0003_outbox`: the `deliveries` table (one row per event and matching sink, written in the
 * event's own transaction) and `sink_states` (sinks switched off by an HTTP 410).
 */
export function outboxMigration(profile: DialectProfile): Migration {
  const { id } = profile.types;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('deliveries')
        .addColumn('id', id, (col) => col.primaryKey())
        .addColumn('event_id', id, (col) => col.notNull())
        .addColumn('event_type', 'text', (col) => col.notNull())
        .addColumn('sink', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('attempts', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('next_attempt_at', 'bigint', (col) => col.notNull())
        .addColumn('locked_until', 'bigint')
        .addColumn('locked_by', 'text')
        .addColumn('last_error', 'text')
        .addColumn('result', 'text')
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addColumn('delivered_at', 'bigint')
        .execute();
      // One delivery per event and sink: a redelivery resets the row instead of adding another.
      await db.schema
        .createIndex('deliveries_event_sink')
        .on('deliveries')
        .columns(['event_id', 'sink'])
        .unique()
        .execute();
      // The dispatcher's claim walks only pending rows of one sink, in due order.
      await db.schema
        .createIndex('deliveries_due')
        .on('deliveries')
        .columns(['sink', 'next_attempt_at'])
        .where(sql.ref('status'), '=', 'pending')
        .execute();
      await db.schema
        .createIndex('deliveries_status_id')
        .on('deliveries')
        .columns(['status', 'id'])
        .execute();
      await db.schema.createIndex('deliveries_sink_id').on('deliveries').columns(['sink', 'id']).execute();

      await db.schema
        .createTable('sink_states')
        .addColumn('name', 'text', (col) => col.primaryKey())
        .addColumn('disabled_at', 'bigint', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('sink_states').execute();
      await db.schema.dropTable('deliveries').execute();
    },
  };
}

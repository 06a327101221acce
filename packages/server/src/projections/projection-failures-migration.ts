import type { Kysely, Migration } from 'kysely';
import type { DialectProfile } from '../store/dialect-profile.js';

/**
 * Migration `0004_projection_failures`: the events the projector set aside because applying them fails even
 * alone (docs/api.md "Projections"), listed newest first.
 */
export function projectionFailuresMigration(profile: DialectProfile): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('projection_failures')
        .addColumn('event_id', profile.types.id, (col) => col.primaryKey())
        .addColumn('event_type', 'text', (col) => col.notNull())
        .addColumn('error_code', 'text')
        .addColumn('error', 'text', (col) => col.notNull())
        .addColumn('attempts', 'integer', (col) => col.notNull())
        .addColumn('failed_at', 'bigint', (col) => col.notNull())
        .execute();
      await db.schema
        .createIndex('projection_failures_recent')
        .on('projection_failures')
        .columns(['failed_at', 'event_id'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('projection_failures').execute();
    },
  };
}

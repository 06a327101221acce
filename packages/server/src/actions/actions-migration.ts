import type { Kysely, Migration } from 'kysely';
import type { DialectProfile } from '../store/dialect-profile.js';

/**
 * Migration `0006_actions`: `actions`, the audit trail of the Tencent Cloud API actions an operator took (or
 * rehearsed as a dry run) from the API: who, why, on which event, what was sent and what came back.
 */
export function actionsMigration(profile: DialectProfile): Migration {
  const { id, json } = profile.types;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('actions')
        .addColumn('id', id, (col) => col.primaryKey())
        .addColumn('created_at', 'bigint', (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('event_id', id, (col) => col.notNull())
        .addColumn('stream_id', 'text')
        .addColumn('room_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('dry_run', 'integer', (col) => col.notNull())
        .addColumn('sink', 'text')
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('request', json, (col) => col.notNull())
        .addColumn('answer', json)
        .addColumn('error', 'text')
        .execute();
      for (const column of ['event_id', 'stream_id', 'room_id'] as const) {
        await db.schema.createIndex(`actions_${column}_id`).on('actions').columns([column, 'id']).execute();
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('actions').execute();
    },
  };
}

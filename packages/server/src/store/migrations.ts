import type { Kysely, Migration } from 'kysely';
import type { DialectProfile } from './dialect-profile.js';

/**
 * A store's migrations by name, applied in name order; shared by SQLite and PostgreSQL, with column types
 * from the dialect profile. Migrations are append-only: a released migration is never edited, a change is a
 * new one.
 */
export type MigrationSet = (profile: DialectProfile) => Record<string, Migration>;

/** The store's own tables: `events` and `rejections`. */
export function eventsMigration(profile: DialectProfile): Migration {
  const { id, json, bytes } = profile.types;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('events')
        .addColumn('id', id, (col) => col.primaryKey())
        .addColumn('type', 'text', (col) => col.notNull())
        .addColumn('family', 'text', (col) => col.notNull())
        .addColumn('source', 'text', (col) => col.notNull())
        .addColumn('dedupe_key', 'text', (col) => col.notNull().unique())
        .addColumn('occurred_at', 'bigint', (col) => col.notNull())
        .addColumn('received_at', 'bigint', (col) => col.notNull())
        .addColumn('app_id', 'text')
        .addColumn('sdk_app_id', 'text')
        .addColumn('stream_id', 'text')
        .addColumn('room_id', 'text')
        .addColumn('task_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('summary', 'text', (col) => col.notNull())
        .addColumn('data', json, (col) => col.notNull())
        .addColumn('payload', json, (col) => col.notNull())
        .addColumn('raw', bytes, (col) => col.notNull())
        .addColumn('headers', json, (col) => col.notNull())
        .addColumn('auth_method', 'text', (col) => col.notNull())
        .addColumn('key_id', 'text')
        .addColumn('stale', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('issues', json)
        .addColumn('duplicates', 'integer', (col) => col.notNull().defaultTo(0))
        .addColumn('last_duplicate_at', 'bigint')
        .execute();
      // Every list filter pairs with the id so "newest first" pages walk the index. Ids are UUIDv7, ordered
      // by receipt time, so time bounds are id bounds and need no index of their own. Subject columns are
      // null for the other family's events: partial indexes skip those rows.
      await db.schema.createIndex('events_type_id').on('events').columns(['type', 'id']).execute();
      for (const column of ['stream_id', 'room_id', 'task_id'] as const) {
        await db.schema
          .createIndex(`events_${column}_id`)
          .on('events')
          .columns([column, 'id'])
          .where(column, 'is not', null)
          .execute();
      }

      await db.schema
        .createTable('rejections')
        .addColumn('id', id, (col) => col.primaryKey())
        .addColumn('received_at', 'bigint', (col) => col.notNull())
        .addColumn('reason', 'text', (col) => col.notNull())
        .addColumn('status', 'integer', (col) => col.notNull())
        .addColumn('message', 'text', (col) => col.notNull())
        .addColumn('remote_address', 'text')
        .addColumn('method', 'text', (col) => col.notNull())
        .addColumn('path', 'text', (col) => col.notNull())
        .addColumn('headers', json, (col) => col.notNull())
        .addColumn('body_size', 'integer', (col) => col.notNull())
        .addColumn('body_head', bytes, (col) => col.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('rejections').execute();
      await db.schema.dropTable('events').execute();
    },
  };
}

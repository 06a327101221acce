import type { Kysely, Migration } from 'kysely';
import type { DialectProfile, QueueTrigger } from '../store/dialect-profile.js';
import { TRANSCRIPT_TEXT } from './projection-tables.js';

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
 * Migration `0002_projections`: the tables the dashboard reads (streams, moderation items and their
 * reviews, TRTC moderation tasks, transcripts with their search index), the projector's queue, and the
 * indexes of every list query (DESIGN.md "Projections").
 */
export function projectionsMigration(profile: DialectProfile): Migration {
  const { id } = profile.types;
  const index = (db: Kysely<unknown>, name: string, table: string, columns: string[]) =>
    db.schema.createIndex(name).on(table).columns(columns).execute();
  return {
    async up(db: Kysely<unknown>) {
      // Events list filters added by the query API; partial like the subject indexes of 0001.
      await index(db, 'events_family_id', 'events', ['family', 'id']);
      await db.schema
        .createIndex('events_user_id_id')
        .on('events')
        .columns(['user_id', 'id'])
        .where('user_id', 'is not', null)
        .execute();

      await db.schema
        .createTable('projection_queue')
        .addColumn('event_id', id, (col) => col.primaryKey())
        .execute();
      await profile.createQueueTrigger(db, PROJECTION_QUEUE_TRIGGER);

      await db.schema
        .createTable('streams')
        .addColumn('app_id', 'text', (col) => col.notNull())
        .addColumn('stream_id', 'text', (col) => col.notNull())
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('health', 'text', (col) => col.notNull())
        .addColumn('health_at', 'bigint')
        .addColumn('health_event', 'text')
        .addColumn('last_event_at', 'bigint', (col) => col.notNull())
        .addColumn('last_push_at', 'bigint')
        .addColumn('last_push_event', 'text')
        .addColumn('last_push_seq', 'text')
        .addColumn('last_disconnect_at', 'bigint')
        .addColumn('last_disconnect_event', 'text')
        .addColumn('last_disconnect_seq', 'text')
        .addColumn('disconnect_reason', 'text')
        .addColumn('broken_count', 'integer', (col) => col.notNull())
        .addColumn('last_broken_at', 'bigint')
        .addColumn('low_framerate_count', 'integer', (col) => col.notNull())
        .addColumn('last_low_framerate_at', 'bigint')
        .addColumn('moderation_hits', 'integer', (col) => col.notNull())
        .addColumn('screenshot_url', 'text')
        .addColumn('screenshot_at', 'bigint')
        .addColumn('screenshot_event', 'text')
        .addPrimaryKeyConstraint('streams_pk', ['app_id', 'stream_id'])
        .execute();
      // Lists are newest first by last event time, keyset-paged on (time, app, stream).
      await index(db, 'streams_recent', 'streams', ['last_event_at', 'app_id', 'stream_id']);
      await index(db, 'streams_status_recent', 'streams', ['status', 'last_event_at', 'app_id', 'stream_id']);
      await index(db, 'streams_stream_id', 'streams', ['stream_id', 'last_event_at']);

      await db.schema
        .createTable('moderation_items')
        .addColumn('id', id, (col) => col.primaryKey())
        .addColumn('event_type', 'text', (col) => col.notNull())
        .addColumn('family', 'text', (col) => col.notNull())
        .addColumn('occurred_at', 'bigint', (col) => col.notNull())
        .addColumn('app_id', 'text')
        .addColumn('stream_id', 'text')
        .addColumn('room_id', 'text')
        .addColumn('user_id', 'text')
        .addColumn('task_id', 'text')
        .addColumn('media_type', 'text', (col) => col.notNull())
        .addColumn('media_url', 'text')
        .addColumn('labels', 'text', (col) => col.notNull())
        .addColumn('score', 'double precision')
        .addColumn('suggestion', 'text')
        .addColumn('text', 'text')
        .addColumn('status', 'text', (col) => col.notNull())
        .addColumn('decided_at', 'bigint')
        .addColumn('decided_by', 'text')
        .addColumn('note', 'text')
        .execute();
      await index(db, 'moderation_recent', 'moderation_items', ['occurred_at', 'id']);
      await index(db, 'moderation_status_recent', 'moderation_items', ['status', 'occurred_at', 'id']);
      await index(db, 'moderation_stream_recent', 'moderation_items', ['stream_id', 'occurred_at', 'id']);
      await index(db, 'moderation_type_recent', 'moderation_items', ['event_type', 'occurred_at', 'id']);

      await db.schema
        .createTable('reviews')
        .addColumn('id', id, (col) => col.primaryKey())
        .addColumn('item_id', id, (col) => col.notNull())
        .addColumn('action', 'text', (col) => col.notNull())
        .addColumn('actor', 'text', (col) => col.notNull())
        .addColumn('note', 'text', (col) => col.notNull())
        .addColumn('at', 'bigint', (col) => col.notNull())
        .execute();
      await index(db, 'reviews_item', 'reviews', ['item_id', 'id']);

      await db.schema
        .createTable('trtc_tasks')
        .addColumn('task_id', 'text', (col) => col.primaryKey())
        .addColumn('sdk_app_id', 'text')
        .addColumn('room_id', 'text')
        .addColumn('state', 'text', (col) => col.notNull())
        .addColumn('state_at', 'bigint')
        .addColumn('state_rank', 'integer')
        .addColumn('state_event', 'text')
        .addColumn('stop_at', 'bigint')
        .addColumn('stop_event', 'text')
        .addColumn('leave_code', 'integer')
        .addColumn('leave_reason', 'text')
        .addColumn('error_code', 'text')
        .addColumn('error_message', 'text')
        .addColumn('error_at', 'bigint')
        .addColumn('error_event', 'text')
        .addColumn('started_at', 'bigint')
        .addColumn('updated_at', 'bigint', (col) => col.notNull())
        .addColumn('pass_count', 'integer', (col) => col.notNull())
        .addColumn('review_count', 'integer', (col) => col.notNull())
        .addColumn('block_count', 'integer', (col) => col.notNull())
        .execute();
      await index(db, 'trtc_tasks_recent', 'trtc_tasks', ['updated_at', 'task_id']);
      await index(db, 'trtc_tasks_state_recent', 'trtc_tasks', ['state', 'updated_at', 'task_id']);
      await index(db, 'trtc_tasks_room_recent', 'trtc_tasks', ['room_id', 'updated_at', 'task_id']);

      await db.schema
        .createTable('transcripts')
        .addColumn('event_id', id, (col) => col.primaryKey())
        .addColumn('app_id', 'text')
        .addColumn('stream_id', 'text')
        .addColumn('kind', 'text', (col) => col.notNull())
        .addColumn('text', 'text', (col) => col.notNull())
        .addColumn('start_ms', 'bigint')
        .addColumn('end_ms', 'bigint')
        .addColumn('occurred_at', 'bigint', (col) => col.notNull())
        .execute();
      await index(db, 'transcripts_recent', 'transcripts', ['occurred_at', 'event_id']);
      await index(db, 'transcripts_stream_recent', 'transcripts', ['stream_id', 'occurred_at', 'event_id']);
      await profile.textSearch.createIndex(db, TRANSCRIPT_TEXT);
    },
  };
}

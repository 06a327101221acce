import type { Kysely } from 'kysely';
import type { ColumnKinds } from '../projections/fit-row.js';
import type { CreateTables } from '../projections/projections-migration.js';

/** Per (app, stream): liveness, health alerts, latest screenshot and moderation hits. */
export interface StreamsTable {
  /** `''` when the events carry no app id. */
  app_id: string;
  stream_id: string;
  /** `live`, `offline` or `unknown` (derived from the push and disconnect columns). */
  status: string;
  /** `ok`, `broken` or `low_framerate`: the latest health signal by event time. */
  health: string;
  health_at: number | null;
  health_event: string | null;
  last_event_at: number;
  last_push_at: number | null;
  last_push_event: string | null;
  last_push_seq: string | null;
  last_disconnect_at: number | null;
  last_disconnect_event: string | null;
  last_disconnect_seq: string | null;
  disconnect_reason: string | null;
  /** The `errcode` of the latest disconnect (migration `0007_streams_one_row`). */
  disconnect_errcode: number | null;
  /** Its `sub_errcode`, when Tencent sent one other than 0. */
  disconnect_sub_errcode: number | null;
  broken_count: number;
  last_broken_at: number | null;
  low_framerate_count: number;
  last_low_framerate_at: number | null;
  moderation_hits: number;
  screenshot_url: string | null;
  screenshot_at: number | null;
  screenshot_event: string | null;
}

/** The tables of the streams projection. */
export type StreamDatabase = { streams: StreamsTable };

/** The kind of every `streams` column, as {@link createStreamTables} declares it. */
export const STREAM_COLUMNS: ColumnKinds<StreamsTable> = {
  app_id: 'key',
  stream_id: 'key',
  status: 'key',
  health: 'key',
  health_at: 'bigint',
  health_event: 'text',
  last_event_at: 'bigint',
  last_push_at: 'bigint',
  last_push_event: 'text',
  last_push_seq: 'text',
  last_disconnect_at: 'bigint',
  last_disconnect_event: 'text',
  last_disconnect_seq: 'text',
  disconnect_reason: 'text',
  disconnect_errcode: 'integer',
  disconnect_sub_errcode: 'integer',
  broken_count: 'integer',
  last_broken_at: 'bigint',
  low_framerate_count: 'integer',
  last_low_framerate_at: 'bigint',
  moderation_hits: 'integer',
  screenshot_url: 'text',
  screenshot_at: 'bigint',
  screenshot_event: 'text',
};

/**
 * The streams' part of migration `0002_projections`: `streams` and the indexes of its lists. Released: the
 * columns added since are added by their own migrations (`0007_streams_one_row`).
 */
export const createStreamTables: CreateTables = async (db: Kysely<unknown>) => {
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
  const index = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('streams').columns(columns).execute();
  // Lists are newest first by last event time, keyset-paged on (time, app, stream).
  await index('streams_recent', ['last_event_at', 'app_id', 'stream_id']);
  await index('streams_status_recent', ['status', 'last_event_at', 'app_id', 'stream_id']);
  await index('streams_stream_id', ['stream_id', 'last_event_at']);
};

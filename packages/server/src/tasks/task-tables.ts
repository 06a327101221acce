import type { Kysely } from 'kysely';
import type { ColumnKinds } from '../projections/fit-row.js';
import type { CreateTables } from '../projections/projections-migration.js';

/** One TRTC cloud moderation task (TRTC 1101..1106) per TaskId. */
export interface TrtcTasksTable {
  task_id: string;
  sdk_app_id: string | null;
  room_id: string | null;
  /** `starting`, `failed_to_start`, `running`, `sending`, `stopped` or `errored`. */
  state: string;
  state_at: number | null;
  /** Tie-break of two lifecycle events with the same time: the later stage wins. */
  state_rank: number | null;
  state_event: string | null;
  /** From the latest stop (TRTC 1102) by event time. */
  stop_at: number | null;
  stop_event: string | null;
  leave_code: number | null;
  leave_reason: string | null;
  error_code: string | null;
  error_message: string | null;
  error_at: number | null;
  error_event: string | null;
  started_at: number | null;
  updated_at: number;
  pass_count: number;
  review_count: number;
  block_count: number;
}

/** The tables of the TRTC tasks projection. */
export type TaskDatabase = { trtc_tasks: TrtcTasksTable };

/** The kind of every `trtc_tasks` column, as {@link createTaskTables} declares it. */
export const TASK_COLUMNS: ColumnKinds<TrtcTasksTable> = {
  task_id: 'key',
  sdk_app_id: 'text',
  room_id: 'key',
  state: 'key',
  state_at: 'bigint',
  state_rank: 'integer',
  state_event: 'text',
  stop_at: 'bigint',
  stop_event: 'text',
  leave_code: 'integer',
  leave_reason: 'text',
  error_code: 'text',
  error_message: 'text',
  error_at: 'bigint',
  error_event: 'text',
  started_at: 'bigint',
  updated_at: 'bigint',
  pass_count: 'integer',
  review_count: 'integer',
  block_count: 'integer',
};

/** The TRTC tasks' part of migration `0002_projections`: `trtc_tasks` and the indexes of its lists. */
export const createTaskTables: CreateTables = async (db: Kysely<unknown>) => {
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
  const index = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('trtc_tasks').columns(columns).execute();
  await index('trtc_tasks_recent', ['updated_at', 'task_id']);
  await index('trtc_tasks_state_recent', ['state', 'updated_at', 'task_id']);
  await index('trtc_tasks_room_recent', ['room_id', 'updated_at', 'task_id']);
};

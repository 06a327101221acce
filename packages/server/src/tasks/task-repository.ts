import type { Selectable } from 'kysely';
import type { KyselyStore } from '../store/kysely-store.js';
import { EVENT_LIST_COLUMNS, fromEventRow, type StoredEvent } from '../store/stored-event.js';
import type { TaskItem } from './task-schemas.js';
import type { TaskDatabase, TrtcTasksTable } from './task-tables.js';

/** Where a list of tasks continues: after this (update time, task id). */
export type TaskPosition = readonly [number, string];

/** A filter of {@link listTasks}. */
export interface TaskQuery {
  state?: TaskItem['state'];
  roomId?: string;
  after?: TaskPosition;
  /** At most this many. */
  limit: number;
}

/** TRTC cloud moderation task states, in words for people who never read Tencent's docs. */
export const TASK_STATE_LABELS: Record<TaskItem['state'], string> = {
  starting: 'starting: no start confirmation received yet',
  failed_to_start: 'failed to start',
  running: 'running: the moderation robot is in the room',
  sending: 'sending media for review',
  stopped: 'stopped',
  errored: 'storage error',
};

const taskDb = (store: KyselyStore) => store.db.withTables<TaskDatabase>();

/** A `trtc_tasks` row as the API's item. */
export function toTaskItem(row: Selectable<TrtcTasksTable>): TaskItem {
  const state = row.state as TaskItem['state'];
  return {
    taskId: row.task_id,
    sdkAppId: row.sdk_app_id ?? undefined,
    roomId: row.room_id ?? undefined,
    state,
    stateLabel:
      state === 'stopped' && row.leave_reason !== null
        ? `stopped: ${row.leave_reason}`
        : (TASK_STATE_LABELS[state] ?? row.state),
    leaveCode: row.leave_code === null ? undefined : Number(row.leave_code),
    leaveReason: row.leave_reason ?? undefined,
    lastError:
      row.error_code === null ? undefined : { code: row.error_code, message: row.error_message ?? '' },
    startedAt: row.started_at === null ? undefined : Number(row.started_at),
    updatedAt: Number(row.updated_at),
    results: {
      Pass: Number(row.pass_count),
      Review: Number(row.review_count),
      Block: Number(row.block_count),
    },
  };
}

/** Tasks, most recently updated first. */
export async function listTasks(store: KyselyStore, query: TaskQuery): Promise<TaskItem[]> {
  let select = taskDb(store)
    .selectFrom('trtc_tasks')
    .selectAll()
    .orderBy('updated_at', 'desc')
    .orderBy('task_id', 'desc')
    .limit(query.limit);
  const { state, roomId, after } = query;
  if (state !== undefined) select = select.where('state', '=', state);
  if (roomId !== undefined) select = select.where('room_id', '=', roomId);
  if (after !== undefined) {
    select = select.where((eb) =>
      eb(eb.refTuple('updated_at', 'task_id'), '<', eb.tuple(after[0], after[1])),
    );
  }
  return (await select.execute()).map(toTaskItem);
}

/** One task; undefined when there is none with this id. */
export async function findTask(store: KyselyStore, taskId: string): Promise<TaskItem | undefined> {
  const row = await taskDb(store)
    .selectFrom('trtc_tasks')
    .selectAll()
    .where('task_id', '=', taskId)
    .executeTakeFirst();
  return row === undefined ? undefined : toTaskItem(row);
}

/** The newest events of a task (TRTC 1101..1106), newest first by event time. */
export async function taskEvents(store: KyselyStore, taskId: string, limit: number): Promise<StoredEvent[]> {
  const rows = await store.db
    .selectFrom('events')
    .select(EVENT_LIST_COLUMNS)
    .where('task_id', '=', taskId)
    .where('type', 'like', 'trtc.moderation.%')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(fromEventRow).sort((a, b) => b.occurredAt - a.occurredAt || (a.id < b.id ? 1 : -1));
}

import { describeLeaveCode, type EventType } from '@livehooks/core';
import { fitsKey } from '../projections/fit-row.js';
import { isLater } from '../projections/is-later.js';
import { finite, nonBlank } from '../projections/event-values.js';
import type { Projection } from '../projections/projection.js';
import { chunk, ROWS_PER_INSERT, upsertRows } from '../projections/upsert-rows.js';
import type { StoredEvent } from '../store/stored-event.js';
import { TASK_COLUMNS, type TaskDatabase, type TrtcTasksTable } from './task-tables.js';

/** The types of the TRTC events of a cloud moderation task (1101..1106, https://trtc.io/document/73394). */
const TASK_TYPES = [
  'trtc.moderation.start',
  'trtc.moderation.stop',
  'trtc.moderation.send_start',
  'trtc.moderation.result',
  'trtc.moderation.send_stop',
  'trtc.moderation.error',
] as const satisfies readonly EventType[];

/** A TRTC event of a cloud moderation task. */
export type TaskEvent = StoredEvent<(typeof TASK_TYPES)[number]>;

/** True for the TRTC events of a moderation task (1101..1106) whose TaskId fits the table's key. */
export function isTaskEvent(event: StoredEvent): event is TaskEvent & { subject: { taskId: string } } {
  const { taskId } = event.subject;
  return (TASK_TYPES as readonly string[]).includes(event.type) && taskId !== undefined && fitsKey(taskId);
}

/** Lifecycle events: the state each sets, and its rank when two share a timestamp (later stage wins). */
function lifecycle(event: TaskEvent): { state: string; rank: number } | undefined {
  switch (event.type) {
    case 'trtc.moderation.start':
      return {
        state: event.data.Status === 0 ? 'running' : event.data.Status === 1 ? 'failed_to_start' : 'starting',
        rank: 1,
      };
    case 'trtc.moderation.send_start':
      return { state: 'sending', rank: 2 };
    case 'trtc.moderation.send_stop':
      return { state: 'running', rank: 3 };
    case 'trtc.moderation.error':
      return { state: 'errored', rank: 4 };
    case 'trtc.moderation.stop':
      return { state: 'stopped', rank: 5 };
    default:
      return undefined;
  }
}

/** An empty task row. */
export function newTask(taskId: string, at: number): TrtcTasksTable {
  return {
    task_id: taskId,
    sdk_app_id: null,
    room_id: null,
    state: 'starting',
    state_at: null,
    state_rank: null,
    state_event: null,
    stop_at: null,
    stop_event: null,
    leave_code: null,
    leave_reason: null,
    error_code: null,
    error_message: null,
    error_at: null,
    error_event: null,
    started_at: null,
    updated_at: at,
    pass_count: 0,
    review_count: 0,
    block_count: 0,
  };
}

/**
 * Applies one TRTC 1101..1106 event to its task's row (mutated): the state is that of the latest
 * lifecycle event by event time, so a late-delivered start does not reopen a stopped task.
 */
export function applyToTask(row: TrtcTasksTable, event: TaskEvent): void {
  const at = event.occurredAt;
  if (at > row.updated_at) row.updated_at = at;
  row.room_id ??= event.subject.roomId ?? null;
  row.sdk_app_id ??= event.subject.sdkAppId ?? null;
  const step = lifecycle(event);
  if (step !== undefined) {
    const later =
      row.state_at === null ||
      at > row.state_at ||
      (at === row.state_at &&
        (step.rank > (row.state_rank ?? 0) ||
          (step.rank === row.state_rank && event.id > (row.state_event ?? ''))));
    if (later) {
      row.state = step.state;
      row.state_at = at;
      row.state_rank = step.rank;
      row.state_event = event.id;
    }
  }
  switch (event.type) {
    case 'trtc.moderation.start':
      if (row.started_at === null || at < row.started_at) row.started_at = at;
      break;
    case 'trtc.moderation.stop':
      if (isLater(at, event.id, row.stop_at, row.stop_event)) {
        const code = finite(event.data.LeaveCode);
        row.stop_at = at;
        row.stop_event = event.id;
        row.leave_code = code ?? null;
        row.leave_reason =
          nonBlank(event.data.leaveReason) ?? (code === undefined ? null : describeLeaveCode(code));
      }
      break;
    case 'trtc.moderation.error':
      if (isLater(at, event.id, row.error_at, row.error_event)) {
        const code = finite(event.data.Code);
        row.error_code = code === undefined ? null : String(code);
        row.error_message = nonBlank(event.data.Message) ?? null;
        row.error_at = at;
        row.error_event = event.id;
      }
      break;
    case 'trtc.moderation.result':
      if (event.data.suggestion === 'Pass') row.pass_count += 1;
      else if (event.data.suggestion === 'Review') row.review_count += 1;
      else if (event.data.suggestion === 'Block') row.block_count += 1;
      break;
  }
  // A task seen only through its results is evidently sending.
  if (row.state_at === null && row.pass_count + row.review_count + row.block_count > 0) row.state = 'sending';
}

function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/** A row read back with its counts and times as numbers (PostgreSQL drivers may answer integers as strings). */
function normaliseTask(row: TrtcTasksTable): TrtcTasksTable {
  return {
    ...row,
    state_at: numberOrNull(row.state_at),
    state_rank: numberOrNull(row.state_rank),
    stop_at: numberOrNull(row.stop_at),
    leave_code: numberOrNull(row.leave_code),
    error_at: numberOrNull(row.error_at),
    started_at: numberOrNull(row.started_at),
    updated_at: Number(row.updated_at),
    pass_count: Number(row.pass_count),
    review_count: Number(row.review_count),
    block_count: Number(row.block_count),
  };
}

/**
 * The TRTC tasks projection: one `trtc_tasks` row per cloud moderation TaskId, with its lifecycle state, its
 * last stop and storage error, and how many results advised Pass, Review and Block.
 */
export const taskProjection: Projection = {
  name: 'tasks',
  tables: { trtc_tasks: TASK_COLUMNS },
  async apply(trx, events) {
    const db = trx.withTables<TaskDatabase>();
    const taskEvents = events.filter(isTaskEvent);
    const tasks = new Map<string, TrtcTasksTable>();
    const ids = [...new Set(taskEvents.map((event) => event.subject.taskId))];
    for (const part of chunk(ids, ROWS_PER_INSERT)) {
      const rows = await db.selectFrom('trtc_tasks').selectAll().where('task_id', 'in', part).execute();
      for (const row of rows) tasks.set(row.task_id, normaliseTask(row));
    }
    for (const event of taskEvents) {
      const taskId = event.subject.taskId;
      let row = tasks.get(taskId);
      if (row === undefined) {
        row = newTask(taskId, event.occurredAt);
        tasks.set(taskId, row);
      }
      applyToTask(row, event);
    }
    await upsertRows(trx, 'trtc_tasks', ['task_id'], TASK_COLUMNS, [...tasks.values()]);
  },
};

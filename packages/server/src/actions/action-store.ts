import { createEventId } from '@livehooks/core';
import type { Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { storableJson } from '../store/storable.js';
import type { TencentAction } from '../tencent/tencent-api.js';

/** One row of `actions` (migration `0006_actions`). */
export interface ActionsTable {
  id: string;
  created_at: number;
  action: string;
  event_id: string;
  stream_id: string | null;
  room_id: string | null;
  user_id: string | null;
  actor: string;
  reason: string;
  /** 1 when the request was only recorded, not sent. */
  dry_run: number;
  /** The Tencent sink whose credentials made the call. */
  sink: string | null;
  status: ActionStatus;
  request: string;
  answer: string | null;
  error: string | null;
}

/** `dry_run`: recorded, not sent; `done`: Tencent accepted it; `failed`: Tencent or the network refused it. */
export type ActionStatus = 'dry_run' | 'done' | 'failed';

/** An action of the audit trail, as the API answers it. */
export interface ActionRecord {
  id: string;
  createdAt: number;
  action: TencentAction;
  eventId: string;
  streamId: string | null;
  roomId: string | null;
  userId: string | null;
  actor: string;
  reason: string;
  dryRun: boolean;
  sink: string | null;
  status: ActionStatus;
  request: Record<string, unknown>;
  answer: unknown;
  error: string | null;
}

/** Filters of {@link ActionStore.list}. */
export interface ActionQuery {
  eventId?: string;
  streamId?: string;
  roomId?: string;
  /** Older than this action id. */
  before?: string;
  limit: number;
}

function toRecord(row: ActionsTable): ActionRecord {
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    action: row.action as TencentAction,
    eventId: row.event_id,
    streamId: row.stream_id,
    roomId: row.room_id,
    userId: row.user_id,
    actor: row.actor,
    reason: row.reason,
    dryRun: Number(row.dry_run) === 1,
    sink: row.sink,
    status: row.status,
    request: JSON.parse(row.request) as Record<string, unknown>,
    answer: row.answer === null ? null : (JSON.parse(row.answer) as unknown),
    error: row.error,
  };
}

/** The audit trail of operator actions. */
export class ActionStore {
  readonly #db: Kysely<Database & { actions: ActionsTable }>;

  constructor(store: KyselyStore) {
    this.#db = store.db.withTables<{ actions: ActionsTable }>();
  }

  /** Records an action as it ended; returns the record. */
  async record(action: Omit<ActionRecord, 'id' | 'createdAt'>, now: number): Promise<ActionRecord> {
    const row: ActionsTable = {
      id: createEventId(now),
      created_at: now,
      action: action.action,
      event_id: action.eventId,
      stream_id: action.streamId,
      room_id: action.roomId,
      user_id: action.userId,
      actor: action.actor,
      reason: action.reason,
      dry_run: action.dryRun ? 1 : 0,
      sink: action.sink,
      status: action.status,
      request: storableJson(action.request),
      answer: action.answer === null || action.answer === undefined ? null : storableJson(action.answer),
      error: action.error,
    };
    await this.#db.insertInto('actions').values(row).execute();
    return toRecord(row);
  }

  /** Actions newest first, one page and whether more follow. */
  async list(query: ActionQuery): Promise<{ items: ActionRecord[]; hasMore: boolean }> {
    let select = this.#db.selectFrom('actions').selectAll();
    if (query.eventId !== undefined) select = select.where('event_id', '=', query.eventId);
    if (query.streamId !== undefined) select = select.where('stream_id', '=', query.streamId);
    if (query.roomId !== undefined) select = select.where('room_id', '=', query.roomId);
    if (query.before !== undefined) select = select.where('id', '<', query.before);
    const rows = await select
      .orderBy('id', 'desc')
      .limit(query.limit + 1)
      .execute();
    return { items: rows.slice(0, query.limit).map(toRecord), hasMore: rows.length > query.limit };
  }
}

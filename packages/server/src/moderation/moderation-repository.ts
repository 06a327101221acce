import { createEventId } from '@livehooks/core';
import type { Selectable } from 'kysely';
import type { KyselyStore } from '../store/kysely-store.js';
import type { ModerationItem } from './moderation-schemas.js';
import {
  STATUS_OF_ACTION,
  type DecisionAction,
  type ModerationDatabase,
  type ModerationItemsTable,
} from './moderation-tables.js';

/** Where the moderation queue continues: after this (event time, item id). */
export type ModerationPosition = readonly [number, string];

/** A filter of {@link listModeration}. */
export interface ModerationQuery {
  status?: ModerationItem['status'];
  /** A family (`css`, `trtc`) or an event type. */
  source?: string;
  streamId?: string;
  /** The items of this app only, when it is not `''`. */
  appId?: string;
  after?: ModerationPosition;
  /** At most this many. */
  limit: number;
}

/** A decision to record. */
export interface Decision {
  action: DecisionAction;
  actor: string;
  note: string;
  /** When, in ms since the epoch. */
  at: number;
}

const moderationDb = (store: KyselyStore) => store.db.withTables<ModerationDatabase>();

/** A `moderation_items` row as the API's item. */
export function toModerationItem(row: Selectable<ModerationItemsTable>): ModerationItem {
  return {
    id: row.id,
    eventId: row.id,
    eventType: row.event_type,
    occurredAt: Number(row.occurred_at),
    streamId: row.stream_id ?? undefined,
    roomId: row.room_id ?? undefined,
    userId: row.user_id ?? undefined,
    taskId: row.task_id ?? undefined,
    mediaType: row.media_type as ModerationItem['mediaType'],
    mediaUrl: row.media_url ?? undefined,
    labels: JSON.parse(row.labels) as string[],
    score: row.score === null ? undefined : Number(row.score),
    suggestion: row.suggestion as ModerationItem['suggestion'],
    text: row.text ?? undefined,
    status: row.status as ModerationItem['status'],
    decidedAt: row.decided_at === null ? undefined : Number(row.decided_at),
    decidedBy: row.decided_by ?? undefined,
    note: row.note ?? undefined,
  };
}

/** Moderation items, newest first by event time. */
export async function listModeration(store: KyselyStore, query: ModerationQuery): Promise<ModerationItem[]> {
  let select = moderationDb(store)
    .selectFrom('moderation_items')
    .selectAll()
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit);
  const { status, source, streamId, appId, after } = query;
  if (status !== undefined) select = select.where('status', '=', status);
  if (source !== undefined) {
    select =
      source === 'css' || source === 'trtc'
        ? select.where('family', '=', source)
        : select.where('event_type', '=', source);
  }
  if (streamId !== undefined) select = select.where('stream_id', '=', streamId);
  if (appId !== undefined && appId !== '') select = select.where('app_id', '=', appId);
  if (after !== undefined) {
    select = select.where((eb) => eb(eb.refTuple('occurred_at', 'id'), '<', eb.tuple(after[0], after[1])));
  }
  return (await select.execute()).map(toModerationItem);
}

/** The ids of the most recent moderation items by event time: the events behind the latest hits. */
export async function recentModerationIds(store: KyselyStore, limit: number): Promise<string[]> {
  const rows = await moderationDb(store)
    .selectFrom('moderation_items')
    .select('id')
    .orderBy('occurred_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** One item with its decisions, oldest first; undefined when there is none with this id. */
export async function moderationDetail(store: KyselyStore, id: string) {
  const db = moderationDb(store);
  const row = await db.selectFrom('moderation_items').selectAll().where('id', '=', id).executeTakeFirst();
  if (row === undefined) return undefined;
  const decisions = await db
    .selectFrom('reviews')
    .select(['action', 'actor', 'note', 'at'])
    .where('item_id', '=', id)
    .orderBy('id', 'asc')
    .execute();
  return {
    ...toModerationItem(row),
    decisions: decisions.map((decision) => ({
      ...decision,
      action: decision.action as DecisionAction,
      at: Number(decision.at),
    })),
  };
}

/**
 * Records a decision on an item, in one transaction: the item's status and review columns, and a `reviews`
 * row of the audit trail. Answers the updated item; undefined when there is none with this id.
 */
export async function decide(
  store: KyselyStore,
  id: string,
  decision: Decision,
): Promise<ModerationItem | undefined> {
  const { action, actor, note, at } = decision;
  const updated = await moderationDb(store)
    .transaction()
    .execute(async (trx) => {
      const result = await trx
        .updateTable('moderation_items')
        .set({
          status: STATUS_OF_ACTION[action],
          decided_at: at,
          decided_by: actor,
          note: note === '' ? null : note,
        })
        .where('id', '=', id)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) return undefined;
      await trx
        .insertInto('reviews')
        .values({ id: createEventId(at), item_id: id, action, actor, note, at })
        .execute();
      return trx.selectFrom('moderation_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
  return updated === undefined ? undefined : toModerationItem(updated);
}

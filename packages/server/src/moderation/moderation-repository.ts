import { createEventId } from '@livehooks/core';
import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import { containsPattern } from '../store/dialect-profile.js';
import type { KyselyStore } from '../store/kysely-store.js';
import type { ModerationItem } from './moderation-schemas.js';
import {
  reviewState,
  STATUS_OF_ACTION,
  type DecisionAction,
  type ModerationDatabase,
  type ModerationItemsTable,
  type ReviewAction,
} from './moderation-tables.js';

/** Where the moderation queue continues: after this (event time, item id). */
export type ModerationPosition = readonly [number, string];

/** What narrows the moderation queue, and its counts. */
export interface ModerationFilter {
  /** A family (`css`, `trtc`) or an event type. */
  source?: string;
  streamId?: string;
  /** The items of this app or of none, when it is not `''`. */
  appId?: string;
  /** Items carrying this label (any case). */
  label?: string;
  /** Items scored at least this. */
  minScore?: number;
}

/** A filter of {@link listModeration}. */
export interface ModerationQuery extends ModerationFilter {
  status?: ModerationItem['status'];
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

/** The conditions of a {@link ModerationFilter}. */
function matching(filter: ModerationFilter) {
  return (eb: ExpressionBuilder<ModerationDatabase, 'moderation_items'>) => {
    const { source, streamId, appId, label, minScore } = filter;
    const conditions: Expression<SqlBool>[] = [];
    if (source !== undefined) {
      conditions.push(
        source === 'css' || source === 'trtc' ? eb('family', '=', source) : eb('event_type', '=', source),
      );
    }
    if (streamId !== undefined) conditions.push(eb('stream_id', '=', streamId));
    if (appId !== undefined && appId !== '')
      conditions.push(eb.or([eb('app_id', '=', appId), eb('app_id', 'is', null)]));
    if (label !== undefined) {
      // `labels` holds a JSON array of strings: the label with its quotes matches one whole label.
      const pattern = containsPattern(JSON.stringify(label).toLowerCase());
      conditions.push(sql<SqlBool>`lower(labels) like ${pattern} escape '\\'`);
    }
    if (minScore !== undefined) conditions.push(eb('score', '>=', minScore));
    return eb.and(conditions);
  };
}

/** Moderation items, newest first by event time. */
export async function listModeration(store: KyselyStore, query: ModerationQuery): Promise<ModerationItem[]> {
  let select = moderationDb(store)
    .selectFrom('moderation_items')
    .selectAll()
    .where(matching(query))
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(query.limit);
  const { status, after } = query;
  if (status !== undefined) select = select.where('status', '=', status);
  if (after !== undefined) {
    select = select.where((eb) => eb(eb.refTuple('occurred_at', 'id'), '<', eb.tuple(after[0], after[1])));
  }
  return (await select.execute()).map(toModerationItem);
}

/** How many items of the filter are in each review status. */
export async function countModeration(
  store: KyselyStore,
  filter: ModerationFilter,
): Promise<Record<ModerationItem['status'], number>> {
  const rows = await moderationDb(store)
    .selectFrom('moderation_items')
    .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
    .where(matching(filter))
    .groupBy('status')
    .execute();
  const counts = { pending: 0, confirmed: 0, dismissed: 0, escalated: 0 };
  for (const row of rows)
    if (Object.hasOwn(counts, row.status)) counts[row.status as keyof typeof counts] = Number(row.n);
  return counts;
}

/** The ids of the most recent moderation items by event time: the events behind the latest hits. */
export async function recentModerationIds(store: KyselyStore, limit: number): Promise<string[]> {
  const rows = await moderationDb(store)
    .selectFrom('moderation_items')
    .select('id')
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
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
      action: decision.action as ReviewAction,
      at: Number(decision.at),
    })),
  };
}

/**
 * Records one decision on each of the items `ids`, in one transaction: each item's status and review columns,
 * and a `reviews` row of the audit trail per item. Answers the updated items in the order asked, and the ids
 * that name no item.
 */
export async function decide(
  store: KyselyStore,
  ids: readonly string[],
  decision: Decision,
): Promise<{ items: ModerationItem[]; missing: string[] }> {
  const { action, actor, note, at } = decision;
  const rows = await moderationDb(store)
    .transaction()
    .execute(async (trx) => {
      const found = await trx.selectFrom('moderation_items').select('id').where('id', 'in', ids).execute();
      const present = found.map((row) => row.id);
      if (present.length === 0) return [];
      await trx
        .updateTable('moderation_items')
        .set({
          status: STATUS_OF_ACTION[action],
          decided_at: at,
          decided_by: actor,
          note: note === '' ? null : note,
        })
        .where('id', 'in', present)
        .execute();
      await trx
        .insertInto('reviews')
        .values(present.map((id) => ({ id: createEventId(at), item_id: id, action, actor, note, at })))
        .execute();
      return trx.selectFrom('moderation_items').selectAll().where('id', 'in', present).execute();
    });
  const byId = new Map(rows.map((row) => [row.id, toModerationItem(row)]));
  return {
    items: ids.flatMap((id) => byId.get(id) ?? []),
    missing: ids.filter((id) => !byId.has(id)),
  };
}

/**
 * Takes back the latest decision on an item still standing, in one transaction: an `undo` row of the audit
 * trail, and the review columns of the decision before it (pending when there is none). Answers the updated
 * item, `nothing` when no decision stands, undefined when there is no item with this id.
 */
export async function undoDecision(
  store: KyselyStore,
  id: string,
  undo: Omit<Decision, 'action'>,
): Promise<ModerationItem | 'nothing' | undefined> {
  const { actor, note, at } = undo;
  const updated = await moderationDb(store)
    .transaction()
    .execute(async (trx) => {
      const item = await trx
        .selectFrom('moderation_items')
        .select('id')
        .where('id', '=', id)
        .executeTakeFirst();
      if (item === undefined) return undefined;
      const trail = await trx
        .selectFrom('reviews')
        .selectAll()
        .where('item_id', '=', id)
        .orderBy('id')
        .execute();
      if (reviewState(trail).status === 'pending') return 'nothing' as const;
      const review = { id: createEventId(at), item_id: id, action: 'undo', actor, note, at };
      await trx.insertInto('reviews').values(review).execute();
      await trx
        .updateTable('moderation_items')
        .set(reviewState([...trail, review]))
        .where('id', '=', id)
        .execute();
      return trx.selectFrom('moderation_items').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    });
  return updated === undefined || updated === 'nothing' ? updated : toModerationItem(updated);
}

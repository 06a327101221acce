import type { Kysely } from 'kysely';
import type { ColumnKinds } from '../projections/fit-row.js';
import type { CreateTables } from '../projections/projections-migration.js';
import type { DialectProfile } from '../store/dialect-profile.js';

/** One flagged image, audio clip or text, with its review status (its id is the event id). */
export interface ModerationItemsTable {
  id: string;
  event_type: string;
  family: string;
  occurred_at: number;
  app_id: string | null;
  stream_id: string | null;
  room_id: string | null;
  user_id: string | null;
  task_id: string | null;
  /** `image`, `audio` or `text`. */
  media_type: string;
  media_url: string | null;
  /** JSON array of label strings. */
  labels: string;
  score: number | null;
  /** `Block`, `Review`, `Pass` or null. */
  suggestion: string | null;
  text: string | null;
  /** `pending`, `confirmed`, `dismissed` or `escalated`. */
  status: string;
  decided_at: number | null;
  decided_by: string | null;
  note: string | null;
}

/** The audit trail of human decisions on moderation items; never rebuilt, never pruned with events. */
export interface ReviewsTable {
  /** UUIDv7. */
  id: string;
  item_id: string;
  /** `confirm`, `dismiss` or `escalate`; `undo` takes back the latest decision not yet taken back. */
  action: string;
  actor: string;
  note: string;
  at: number;
}

/** What a human can decide about a moderation item. */
export const DECISION_ACTIONS = ['confirm', 'dismiss', 'escalate'] as const;

/** A decision about a moderation item. */
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

/** What the audit trail of an item records: the decisions, and their undoing. */
export const REVIEW_ACTIONS = [...DECISION_ACTIONS, 'undo'] as const;

/** An entry of the audit trail of an item. */
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** A row of the audit trail, as {@link reviewState} reads it. */
export interface ReviewEntry {
  action: string;
  actor: string;
  note: string;
  at: number | string;
}

/**
 * The review columns of an item from its audit trail, oldest first: each decision stands on the ones before,
 * each `undo` takes back the latest decision still standing; the item is `pending` when none stands.
 *
 * @example
 * ```ts
 * reviewState([{ action: 'confirm', ... }, { action: 'undo', ... }]).status; // 'pending'
 * ```
 */
export function reviewState(
  reviews: readonly ReviewEntry[],
): Pick<ModerationItemsTable, 'status' | 'decided_at' | 'decided_by' | 'note'> {
  const standing: ReviewEntry[] = [];
  for (const review of reviews) {
    if (review.action === 'undo') standing.pop();
    else if (Object.hasOwn(STATUS_OF_ACTION, review.action)) standing.push(review);
  }
  const top = standing.at(-1);
  return top === undefined
    ? { status: 'pending', decided_at: null, decided_by: null, note: null }
    : {
        status: STATUS_OF_ACTION[top.action as DecisionAction],
        decided_at: Number(top.at),
        decided_by: top.actor,
        note: top.note === '' ? null : top.note,
      };
}

/** The status an item has after each decision. */
export const STATUS_OF_ACTION = {
  confirm: 'confirmed',
  dismiss: 'dismissed',
  escalate: 'escalated',
} as const satisfies Record<DecisionAction, string>;

/** The tables of the moderation projection. */
export type ModerationDatabase = { moderation_items: ModerationItemsTable; reviews: ReviewsTable };

/** The kind of every `moderation_items` column, as {@link createModerationTables} declares it. */
export const MODERATION_ITEM_COLUMNS: ColumnKinds<ModerationItemsTable> = {
  id: 'key',
  event_type: 'key',
  family: 'text',
  occurred_at: 'bigint',
  app_id: 'text',
  stream_id: 'key',
  room_id: 'text',
  user_id: 'text',
  task_id: 'text',
  media_type: 'text',
  media_url: 'text',
  labels: 'text',
  score: 'double',
  suggestion: 'text',
  text: 'text',
  status: 'key',
  decided_at: 'bigint',
  decided_by: 'text',
  note: 'text',
};

/**
 * The moderation part of migration `0002_projections`: `moderation_items` with the indexes of the queue's
 * lists, and `reviews`, the decisions taken on them.
 */
export const createModerationTables: CreateTables = async (db: Kysely<unknown>, profile: DialectProfile) => {
  const { id } = profile.types;
  const index = (name: string, table: string, columns: string[]) =>
    db.schema.createIndex(name).on(table).columns(columns).execute();
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
  await index('moderation_recent', 'moderation_items', ['occurred_at', 'id']);
  await index('moderation_status_recent', 'moderation_items', ['status', 'occurred_at', 'id']);
  await index('moderation_stream_recent', 'moderation_items', ['stream_id', 'occurred_at', 'id']);
  await index('moderation_type_recent', 'moderation_items', ['event_type', 'occurred_at', 'id']);

  await db.schema
    .createTable('reviews')
    .addColumn('id', id, (col) => col.primaryKey())
    .addColumn('item_id', id, (col) => col.notNull())
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('note', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await index('reviews_item', 'reviews', ['item_id', 'id']);
};

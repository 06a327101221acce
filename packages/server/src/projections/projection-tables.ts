import type { Database } from '../store/database.js';
import type { TextColumn } from '../store/dialect-profile.js';
import { storableText } from '../store/storable.js';

/**
 * Ids of stored events the projector has not applied yet. A trigger on `events` fills it in the transaction
 * that stores the event, so a crash between commit and projection loses nothing.
 */
export interface ProjectionQueueTable {
  event_id: string;
}

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
  broken_count: number;
  last_broken_at: number | null;
  low_framerate_count: number;
  last_low_framerate_at: number | null;
  moderation_hits: number;
  screenshot_url: string | null;
  screenshot_at: number | null;
  screenshot_event: string | null;
}

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
  /** `confirm`, `dismiss` or `escalate`. */
  action: string;
  actor: string;
  note: string;
  at: number;
}

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

/** Recognised or subtitled text of a stream, searchable (one row per event). */
export interface TranscriptsTable {
  event_id: string;
  app_id: string | null;
  stream_id: string | null;
  /** `asr`, `ocr` or `subtitle`. */
  kind: string;
  text: string;
  start_ms: number | null;
  end_ms: number | null;
  occurred_at: number;
}

/** The searched text of `transcripts`. */
export const TRANSCRIPT_TEXT: TextColumn = { table: 'transcripts', key: 'event_id', column: 'text' };

/** An event the projector set aside: applying it fails even alone (migration `0004_projection_failures`). */
export interface ProjectionFailuresTable {
  event_id: string;
  event_type: string;
  /** The database's error code (SQLSTATE, `SQLITE_*`) or the JavaScript error name. */
  error_code: string | null;
  /** The first line of the error message, at most {@link FAILURE_MESSAGE_MAX} characters. */
  error: string;
  /** Failed attempts, counting retries asked for through the API. */
  attempts: number;
  /** When it last failed, in ms since the epoch. */
  failed_at: number;
}

/** The longest error message a projection failure keeps. */
export const FAILURE_MESSAGE_MAX = 500;

/** The gateway's tables with the projections of migrations `0002_projections` and `0004_projection_failures`. */
export interface ProjectionDatabase extends Database {
  projection_queue: ProjectionQueueTable;
  projection_failures: ProjectionFailuresTable;
  streams: StreamsTable;
  moderation_items: ModerationItemsTable;
  reviews: ReviewsTable;
  trtc_tasks: TrtcTasksTable;
  transcripts: TranscriptsTable;
}

/** The projection tables a rebuild empties (not `reviews`: human decisions are not derived from events). */
export const DERIVED_TABLES = ['streams', 'moderation_items', 'trtc_tasks', 'transcripts'] as const;

/** A derived projection table. */
export type DerivedTable = (typeof DERIVED_TABLES)[number];

/**
 * What a projection column holds, as migration `0002_projections` declares it: `integer` (32-bit), `bigint`
 * (64-bit, of which JavaScript numbers hold the safe integers), `double`, `text`, or `key`: text in a btree
 * index, whose entries PostgreSQL limits to about 2700 bytes (postgresql.org/docs/current/btree.html).
 */
export type ColumnKind = 'integer' | 'bigint' | 'double' | 'text' | 'key';

/**
 * The longest `key` value in UTF-8 bytes. The widest projection index holds two of them (app and stream,
 * room and task) beside a bigint, so both fit under PostgreSQL's limit uncompressed; real ids are far shorter
 * (a TRTC RoomId is at most 64 bytes, a UserId 32).
 */
export const KEY_MAX_BYTES = 1024;

/** The kind of every column of every derived table (a test checks them against the migrated schema). */
export const COLUMN_KINDS: { [T in DerivedTable]: Record<keyof ProjectionDatabase[T], ColumnKind> } = {
  streams: {
    app_id: 'key',
    stream_id: 'key',
    status: 'key',
    health: 'text',
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
    broken_count: 'integer',
    last_broken_at: 'bigint',
    low_framerate_count: 'integer',
    last_low_framerate_at: 'bigint',
    moderation_hits: 'integer',
    screenshot_url: 'text',
    screenshot_at: 'bigint',
    screenshot_event: 'text',
  },
  moderation_items: {
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
  },
  trtc_tasks: {
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
  },
  transcripts: {
    event_id: 'key',
    app_id: 'text',
    stream_id: 'key',
    kind: 'text',
    text: 'text',
    start_ms: 'bigint',
    end_ms: 'bigint',
    occurred_at: 'bigint',
  },
};

const INT32 = 2 ** 31;

/** True when `value` is a string that fits a `key` column. */
export function fitsKey(value: string): boolean {
  return Buffer.byteLength(storableText(value)) <= KEY_MAX_BYTES;
}

const FIT: Record<ColumnKind, (value: unknown) => unknown> = {
  integer: (value) =>
    Number.isSafeInteger(value) && (value as number) >= -INT32 && (value as number) < INT32 ? value : null,
  bigint: (value) => (Number.isSafeInteger(value) ? value : null),
  double: (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null),
  text: (value) => (typeof value === 'string' ? storableText(value) : null),
  key: (value) => (typeof value === 'string' && fitsKey(value) ? storableText(value) : null),
};

/**
 * `row` with every value its column cannot hold replaced by null: integers that are fractional, unsafe or out
 * of the column's range, numbers that are not finite, anything but a string in a text column, NUL and lone
 * surrogates in text (PostgreSQL refuses them; see {@link storableText}), and `key` text over
 * {@link KEY_MAX_BYTES}. A callback's odd value so leaves its projection empty instead of failing the insert
 * (the event keeps the value in its payload).
 *
 * @example
 * ```ts
 * fitRow('trtc_tasks', { ...task, leave_code: 1.5 }).leave_code; // null
 * ```
 */
export function fitRow<R extends object>(table: DerivedTable, row: R): R {
  const kinds = COLUMN_KINDS[table] as Record<string, ColumnKind>;
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    const kind = kinds[column];
    out[column] = kind === undefined || value === null ? value : FIT[kind](value);
  }
  return out as R;
}

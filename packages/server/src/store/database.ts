import type { Generated } from 'kysely';

/**
 * One stored callback: the envelope columns of DESIGN.md step 5, the parsed payload and the raw bytes.
 * JSON columns hold JSON text on both dialects (`jsonb` on PostgreSQL is read back as text).
 */
export interface EventsTable {
  /** UUIDv7 given on receipt: ordering by id is ordering by arrival. */
  id: string;
  type: string;
  family: string;
  source: string;
  /** Equal for a callback and its retries: the unique key that makes ingest idempotent. */
  dedupe_key: string;
  /** Milliseconds since the epoch. */
  occurred_at: number;
  /** Milliseconds since the epoch. */
  received_at: number;
  app_id: string | null;
  sdk_app_id: string | null;
  stream_id: string | null;
  room_id: string | null;
  task_id: string | null;
  user_id: string | null;
  summary: string;
  data: string;
  payload: string;
  raw: Buffer;
  headers: string;
  auth_method: string;
  key_id: string | null;
  /** 1 when a CSS callback arrived after its expiry `t`. */
  stale: number;
  issues: string | null;
  /** The catalog type a `*.unknown` event was classified as before it failed that type's schema. */
  classified_as: string | null;
  /** How many duplicate deliveries (sender retries) arrived after the first. */
  duplicates: Generated<number>;
  last_duplicate_at: number | null;
}

/** A refused callback request, kept for audit in a bounded, pruned table. */
export interface RejectionsTable {
  /** UUIDv7 given on receipt. */
  id: string;
  received_at: number;
  /** The `LH_ERR_*` code of the answer. */
  reason: string;
  status: number;
  message: string;
  remote_address: string | null;
  method: string;
  /** The request path with the ingest secret redacted. */
  path: string;
  /** JSON object of the request headers without credentials. */
  headers: string;
  body_size: number;
  /** The first 4 KiB of the body. */
  body_head: Buffer;
}

/** The Kysely database type of the gateway's tables. */
export interface Database {
  events: EventsTable;
  rejections: RejectionsTable;
}

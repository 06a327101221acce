import type { Insertable, Selectable } from 'kysely';
import type { RejectionsTable } from './database.js';
import { storableJson, storableText } from './storable.js';

/** A refused callback request, as recorded for audit. */
export interface RejectionRecord {
  /** UUIDv7 given on receipt. */
  id: string;
  /** When the request arrived, in ms since the epoch. */
  receivedAt: number;
  /** The `LH_ERR_*` code answered. */
  reason: string;
  /** The HTTP status answered. */
  status: number;
  /** The error message answered. */
  message: string;
  remoteAddress?: string;
  method: string;
  /** The request path, ingest secret redacted. */
  path: string;
  /** Request headers without credentials. */
  headers: Record<string, string>;
  /** The body size in bytes (from Content-Length when the body was refused unread). */
  bodySize: number;
  /** The first 4 KiB of the body. */
  bodyHead: Uint8Array;
}

/** Maps a rejection to its `rejections` row. */
export function toRejectionRow(record: RejectionRecord): Insertable<RejectionsTable> {
  return {
    id: record.id,
    received_at: record.receivedAt,
    reason: storableText(record.reason),
    status: record.status,
    message: storableText(record.message),
    remote_address: record.remoteAddress === undefined ? null : storableText(record.remoteAddress),
    method: storableText(record.method),
    path: storableText(record.path),
    headers: storableJson(record.headers),
    body_size: record.bodySize,
    body_head: Buffer.from(record.bodyHead.buffer, record.bodyHead.byteOffset, record.bodyHead.byteLength),
  };
}

/** Maps a `rejections` row back to its record. */
export function fromRejectionRow(row: Selectable<RejectionsTable>): RejectionRecord {
  const record: RejectionRecord = {
    id: row.id,
    receivedAt: Number(row.received_at),
    reason: row.reason,
    status: Number(row.status),
    message: row.message,
    method: row.method,
    path: row.path,
    headers: JSON.parse(row.headers) as Record<string, string>,
    bodySize: Number(row.body_size),
    bodyHead: new Uint8Array(row.body_head.buffer, row.body_head.byteOffset, row.body_head.byteLength),
  };
  if (row.remote_address !== null) record.remoteAddress = row.remote_address;
  return record;
}

import type {
  EventAuth,
  EventOf,
  EventType,
  Family,
  LivehooksEvent,
  Subject,
  ValidationIssue,
} from '@livehooks/core';
import type { Selectable } from 'kysely';
import type { EventsTable } from './database.js';
import { storableJson, storableText, storableTextOrNull, storableTime } from './storable.js';

/** What a stored event adds to the envelope: how many duplicate deliveries (sender retries) followed the first. */
interface StoredFields {
  /** Duplicate deliveries (sender retries) received after the first. */
  duplicates: number;
}

/** The envelope fields an event list item leaves out: the body as parsed, the raw bytes and the headers. */
type DetailFields = 'payload' | 'raw' | 'headers';

/**
 * A stored event as the API, the live tail, projections and sinks see it: core's envelope of its type without
 * the body, raw bytes and headers. `StoredEvent<'css.push'>` has the data of `css.push`; the default is the
 * union of every type, narrowed by `event.type`.
 */
export type StoredEvent<T extends EventType = EventType> = {
  [K in T]: Omit<EventOf<K>, DetailFields> & StoredFields;
}[T];

/** A stored event with everything kept for replay and audit: the whole envelope. */
export type StoredEventDetail<T extends EventType = EventType> = {
  [K in T]: EventOf<K> & StoredFields;
}[T];

/** An `events` row ready to insert. */
export type EventRow = Omit<Selectable<EventsTable>, 'duplicates' | 'last_duplicate_at'>;

/** The columns of a list item (no payload, raw body or headers). */
export const EVENT_LIST_COLUMNS = [
  'id',
  'type',
  'family',
  'source',
  'dedupe_key',
  'occurred_at',
  'received_at',
  'app_id',
  'sdk_app_id',
  'stream_id',
  'room_id',
  'task_id',
  'user_id',
  'summary',
  'data',
  'auth_method',
  'key_id',
  'stale',
  'issues',
  'classified_as',
  'duplicates',
] as const;

/** Maps a parsed callback to its `events` row. */
export function toEventRow(event: LivehooksEvent): EventRow {
  const { subject, auth } = event;
  return {
    id: event.id,
    type: storableText(event.type),
    family: event.family,
    source: storableText(event.source),
    dedupe_key: storableText(event.dedupeKey),
    occurred_at: storableTime(event.occurredAt, event.receivedAt),
    received_at: event.receivedAt,
    app_id: storableTextOrNull(subject.appId),
    sdk_app_id: storableTextOrNull(subject.sdkAppId),
    stream_id: storableTextOrNull(subject.streamId),
    room_id: storableTextOrNull(subject.roomId),
    task_id: storableTextOrNull(subject.taskId),
    user_id: storableTextOrNull(subject.userId),
    summary: storableText(event.summary),
    data: storableJson(event.data),
    payload: storableJson(event.payload),
    raw: Buffer.from(event.raw.buffer, event.raw.byteOffset, event.raw.byteLength),
    headers: storableJson(event.headers),
    auth_method: auth.method,
    key_id: storableTextOrNull(auth.keyId),
    stale: auth.stale ? 1 : 0,
    issues: event.issues === undefined ? null : storableJson(event.issues),
    classified_as: storableTextOrNull(event.classifiedAs),
  };
}

type ListRow = Pick<Selectable<EventsTable>, (typeof EVENT_LIST_COLUMNS)[number]>;

function subjectOf(row: ListRow): Subject {
  const subject: Subject = {};
  if (row.app_id !== null) subject.appId = row.app_id;
  if (row.sdk_app_id !== null) subject.sdkAppId = row.sdk_app_id;
  if (row.stream_id !== null) subject.streamId = row.stream_id;
  if (row.room_id !== null) subject.roomId = row.room_id;
  if (row.task_id !== null) subject.taskId = row.task_id;
  if (row.user_id !== null) subject.userId = row.user_id;
  return subject;
}

/** Maps an `events` row (list columns) to its envelope. */
export function fromEventRow(row: ListRow): StoredEvent {
  const auth: EventAuth = { method: row.auth_method as EventAuth['method'], stale: Number(row.stale) === 1 };
  if (row.key_id !== null) auth.keyId = row.key_id;
  // The row was written from an event its type's schema accepted: its data is that type's data.
  const event = {
    id: row.id,
    type: row.type as EventType,
    family: row.family as Family,
    source: row.source,
    dedupeKey: row.dedupe_key,
    occurredAt: Number(row.occurred_at),
    receivedAt: Number(row.received_at),
    subject: subjectOf(row),
    data: JSON.parse(row.data) as unknown,
    summary: row.summary,
    auth,
    duplicates: Number(row.duplicates),
  } as StoredEvent;
  if (row.issues !== null) event.issues = JSON.parse(row.issues) as ValidationIssue[];
  if (row.classified_as !== null) event.classifiedAs = row.classified_as;
  return event;
}

/** Maps a full `events` row to its detail. */
export function fromEventRowDetail(row: Selectable<EventsTable>): StoredEventDetail {
  return {
    ...fromEventRow(row),
    payload: JSON.parse(row.payload) as Record<string, unknown>,
    raw: new Uint8Array(row.raw.buffer, row.raw.byteOffset, row.raw.byteLength),
    headers: JSON.parse(row.headers) as Record<string, string>,
  };
}

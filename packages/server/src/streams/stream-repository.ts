import type { EventData } from '@livehooks/core';
import { sql, type Selectable } from 'kysely';
import { containsPattern } from '../store/dialect-profile.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { EVENT_LIST_COLUMNS, fromEventRow, type StoredEvent } from '../store/stored-event.js';
import type { StreamItem } from './stream-schemas.js';
import type { StreamDatabase, StreamsTable } from './stream-tables.js';

/** Where a list of streams continues: after this (last event time, app id, stream id). */
export type StreamPosition = readonly [number, string, string];

/** A filter of {@link listStreams}. */
export interface StreamQuery {
  status?: 'live' | 'offline' | 'unknown';
  /** Part of the stream id, any case. */
  text?: string;
  after?: StreamPosition;
  /** At most this many. */
  limit: number;
}

/** One stream of one app. */
export interface StreamKey {
  /** `''` when its events carry no app id. */
  appId: string;
  streamId: string;
}

const streamDb = (store: KyselyStore) => store.db.withTables<StreamDatabase>();

/** A `streams` row as the API's item. */
export function toStreamItem(row: Selectable<StreamsTable>): StreamItem {
  const pushAt = row.last_push_at === null ? undefined : Number(row.last_push_at);
  const disconnectAt = row.last_disconnect_at === null ? undefined : Number(row.last_disconnect_at);
  // The session of the latest of the two: a disconnect after the latest push ends that push's session.
  const sequence =
    disconnectAt !== undefined && (pushAt === undefined || disconnectAt > pushAt)
      ? row.last_disconnect_seq
      : (row.last_push_seq ?? row.last_disconnect_seq);
  return {
    appId: row.app_id,
    streamId: row.stream_id,
    status: row.status as StreamItem['status'],
    health: row.health as StreamItem['health'],
    lastEventAt: Number(row.last_event_at),
    lastPushAt: pushAt,
    lastDisconnectAt: disconnectAt,
    disconnectReason: row.disconnect_reason ?? undefined,
    sessionSequence: sequence ?? undefined,
    brokenCount: Number(row.broken_count),
    lowFramerateCount: Number(row.low_framerate_count),
    moderationHits: Number(row.moderation_hits),
    latestScreenshot:
      row.screenshot_url === null || row.screenshot_at === null
        ? undefined
        : { url: row.screenshot_url, at: Number(row.screenshot_at) },
  };
}

/** Streams, most recent activity first. */
export async function listStreams(store: KyselyStore, query: StreamQuery): Promise<StreamItem[]> {
  let select = streamDb(store)
    .selectFrom('streams')
    .selectAll()
    .orderBy('last_event_at', 'desc')
    .orderBy('app_id', 'desc')
    .orderBy('stream_id', 'desc')
    .limit(query.limit);
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.text !== undefined) {
    select = select.where(
      sql<boolean>`lower(stream_id) like ${containsPattern(query.text.toLowerCase())} escape '\\'`,
    );
  }
  const { after } = query;
  if (after !== undefined) {
    select = select.where((eb) =>
      eb(eb.refTuple('last_event_at', 'app_id', 'stream_id'), '<', eb.tuple(after[0], after[1], after[2])),
    );
  }
  return (await select.execute()).map(toStreamItem);
}

/** A stream by id, of `appId` when given, else the most recently active of that id. */
export async function findStream(
  store: KyselyStore,
  streamId: string,
  appId: string | undefined,
): Promise<StreamItem | undefined> {
  let select = streamDb(store)
    .selectFrom('streams')
    .selectAll()
    .where('stream_id', '=', streamId)
    .orderBy('last_event_at', 'desc')
    .limit(1);
  if (appId !== undefined) select = select.where('app_id', '=', appId);
  const row = await select.executeTakeFirst();
  return row === undefined ? undefined : toStreamItem(row);
}

/** The newest events of a stream (of any app when `appId` is `''`), newest first by event time. */
export async function streamTimeline(
  store: KyselyStore,
  stream: StreamKey,
  limit: number,
): Promise<StoredEvent[]> {
  let select = store.db
    .selectFrom('events')
    .select(EVENT_LIST_COLUMNS)
    .where('stream_id', '=', stream.streamId)
    .orderBy('id', 'desc')
    .limit(limit);
  if (stream.appId !== '') select = select.where('app_id', '=', stream.appId);
  const events = (await select.execute()).map(fromEventRow);
  return events.sort((a, b) => b.occurredAt - a.occurredAt || (a.id < b.id ? 1 : -1));
}

/** The newest screenshots of a stream (of any app when `appId` is `''`), newest first. */
export async function streamScreenshots(
  store: KyselyStore,
  stream: StreamKey,
  limit: number,
): Promise<{ url: string; at: number }[]> {
  let select = store.db
    .selectFrom('events')
    .select(['id', 'occurred_at', 'data'])
    .where('stream_id', '=', stream.streamId)
    .where('type', '=', 'css.screenshot')
    .orderBy('id', 'desc')
    .limit(limit);
  if (stream.appId !== '') select = select.where('app_id', '=', stream.appId);
  const shots = (await select.execute()).flatMap((shot) => {
    const data = JSON.parse(shot.data) as EventData<'css.screenshot'>;
    const url = data.pic_full_url ?? data.pic_url;
    return url === undefined ? [] : [{ url, at: Number(shot.occurred_at) }];
  });
  return shots.sort((a, b) => b.at - a.at);
}

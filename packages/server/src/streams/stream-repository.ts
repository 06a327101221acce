import { describeDisconnect, type EventData } from '@livehooks/core';
import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import { containsPattern } from '../store/dialect-profile.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { EVENT_LIST_COLUMNS, fromEventRow, type StoredEvent } from '../store/stored-event.js';
import type { StreamItem } from './stream-schemas.js';
import type { StreamDatabase, StreamsTable } from './stream-tables.js';

/** The health of a stream: its latest health signal by event time. */
export type StreamHealth = StreamItem['health'];

/** How a list of streams is ordered. */
export type StreamSort = 'recent' | 'problems';

/**
 * Where a list of streams continues: after this (last event time, app id, stream id) when it is ordered by
 * recent activity, (severity, health time, app id, stream id) when ordered by problems.
 */
export type StreamPosition = readonly [number, string, string] | readonly [number, number, string, string];

/** A filter of {@link listStreams}. */
export interface StreamQuery {
  status?: 'live' | 'offline' | 'unknown';
  /** Any of these healths. */
  health?: readonly StreamHealth[];
  /** Part of the stream id, any case. */
  text?: string;
  /** `recent` (default): most recent activity first; `problems`: broken, then low frame rate, then the rest. */
  sort?: StreamSort;
  after?: StreamPosition;
  /** At most this many. */
  limit: number;
}

/** How bad each health is: the problems wall puts the highest first. */
export const HEALTH_SEVERITY: Readonly<Record<StreamHealth, number>> = { broken: 2, low_framerate: 1, ok: 0 };

const severity = sql<number>`(case health when 'broken' then 2 when 'low_framerate' then 1 else 0 end)`;
const healthAt = sql<number>`coalesce(health_at, 0)`;

/** The position of a stream in a list of `sort`: the cursor of the page it ends. */
export function streamPosition(stream: StreamItem, sort: StreamSort): StreamPosition {
  return sort === 'problems'
    ? [HEALTH_SEVERITY[stream.health], stream.healthAt ?? 0, stream.appId, stream.streamId]
    : [stream.lastEventAt, stream.appId, stream.streamId];
}

/** One stream of one app. */
export interface StreamKey {
  /** `''` when its events carry no app id. */
  appId: string;
  streamId: string;
}

const streamDb = (store: KyselyStore) => store.db.withTables<StreamDatabase>();

/** Events of app `appId` or of none: subtitle and smart-erasing callbacks name no app. */
const ofApp = (appId: string) => (eb: ExpressionBuilder<{ events: { app_id: string | null } }, 'events'>) =>
  eb.or([eb('app_id', '=', appId), eb('app_id', 'is', null)]);

/** The codes of a stream's latest disconnect and what kind of cause they name, as the dashboard translates them. */
function disconnectCodeOf(row: Selectable<StreamsTable>): StreamItem['disconnectCode'] {
  if (row.disconnect_errcode === null) return undefined;
  const errcode = Number(row.disconnect_errcode);
  const sub = row.disconnect_sub_errcode === null ? undefined : Number(row.disconnect_sub_errcode);
  const { category, known } = describeDisconnect(errcode, sub);
  return { errcode, ...(sub === undefined ? {} : { subErrcode: sub }), category, known };
}

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
    disconnectCode: disconnectCodeOf(row),
    sessionSequence: sequence ?? undefined,
    healthAt: row.health_at === null ? undefined : Number(row.health_at),
    brokenCount: Number(row.broken_count),
    lastBrokenAt: row.last_broken_at === null ? undefined : Number(row.last_broken_at),
    lowFramerateCount: Number(row.low_framerate_count),
    lastLowFramerateAt: row.last_low_framerate_at === null ? undefined : Number(row.last_low_framerate_at),
    moderationHits: Number(row.moderation_hits),
    latestScreenshot:
      row.screenshot_url === null || row.screenshot_at === null
        ? undefined
        : { url: row.screenshot_url, at: Number(row.screenshot_at) },
  };
}

/** Streams, most recent activity first, or worst health first. */
export async function listStreams(store: KyselyStore, query: StreamQuery): Promise<StreamItem[]> {
  let select = streamDb(store).selectFrom('streams').selectAll().limit(query.limit);
  select =
    query.sort === 'problems'
      ? select.orderBy(severity, 'desc').orderBy(healthAt, 'desc')
      : select.orderBy('last_event_at', 'desc');
  select = select.orderBy('app_id', 'desc').orderBy('stream_id', 'desc');
  if (query.status !== undefined) select = select.where('status', '=', query.status);
  if (query.health !== undefined) select = select.where('health', 'in', query.health);
  if (query.text !== undefined) {
    select = select.where(
      sql<boolean>`lower(stream_id) like ${containsPattern(query.text.toLowerCase())} escape '\\'`,
    );
  }
  const { after } = query;
  if (after !== undefined) select = select.where((eb) => afterPosition(eb, after));
  return (await select.execute()).map(toStreamItem);
}

/** Rows after `position` in the order its length names (the row-value comparison both dialects have). */
function afterPosition(eb: ExpressionBuilder<StreamDatabase, 'streams'>, position: StreamPosition) {
  return position.length === 4
    ? sql<boolean>`(${severity}, ${healthAt}, app_id, stream_id) < (${position[0]}, ${position[1]}, ${position[2]}, ${position[3]})`
    : eb(
        eb.refTuple('last_event_at', 'app_id', 'stream_id'),
        '<',
        eb.tuple(position[0], position[1], position[2]),
      );
}

/**
 * How many streams are live, and how many of all are broken or drop frames now: two counts over index ranges
 * (`streams_status_recent` for the live ones, `streams_troubled` for the others), not over every stream.
 */
export async function countStreams(
  store: KyselyStore,
): Promise<{ live: number; broken: number; lowFramerate: number }> {
  const db = streamDb(store);
  const live = await db
    .selectFrom('streams')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('status', '=', 'live')
    .executeTakeFirstOrThrow();
  // The same condition as the partial index, which the database then reads alone.
  const troubled = await db
    .selectFrom('streams')
    .select(['health', (eb) => eb.fn.countAll<number>().as('n')])
    .where('health', '<>', 'ok')
    .groupBy('health')
    .execute();
  const count = (health: string) => Number(troubled.find((row) => row.health === health)?.n ?? 0);
  return { live: Number(live.n), broken: count('broken'), lowFramerate: count('low_framerate') };
}

/** A stream by id, of `appId` when given and not `''`, else the most recently active of that id. */
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
  if (appId !== undefined && appId !== '') select = select.where('app_id', '=', appId);
  const row = await select.executeTakeFirst();
  return row === undefined ? undefined : toStreamItem(row);
}

/**
 * The newest events of a stream, newest first by event time: those of its app and those that name no app
 * (of any app when `appId` is `''`).
 */
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
  if (stream.appId !== '') select = select.where(ofApp(stream.appId));
  const events = (await select.execute()).map(fromEventRow);
  return events.sort((a, b) => b.occurredAt - a.occurredAt || (a.id < b.id ? 1 : -1));
}

/** The newest screenshots of a stream (of its app or none; of any app when `appId` is `''`), newest first. */
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
  if (stream.appId !== '') select = select.where(ofApp(stream.appId));
  const shots = (await select.execute()).flatMap((shot) => {
    const data = JSON.parse(shot.data) as EventData<'css.screenshot'>;
    const url = data.pic_full_url ?? data.pic_url;
    return url === undefined ? [] : [{ url, at: Number(shot.occurred_at) }];
  });
  return shots.sort((a, b) => b.at - a.at);
}

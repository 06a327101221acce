import type { EventType } from '@livehooks/core';
import { fitsKey } from '../projections/fit-row.js';
import { isLater } from '../projections/is-later.js';
import { finite, nonBlank } from '../projections/event-values.js';
import type { Projection } from '../projections/projection.js';
import { chunk, ROWS_PER_INSERT, upsertRows } from '../projections/upsert-rows.js';
import type { StoredEvent } from '../store/stored-event.js';
import { STREAM_COLUMNS, type StreamDatabase, type StreamsTable } from './stream-tables.js';

/** A stream's liveness from its latest push and latest disconnect. */
export function streamStatus(row: StreamsTable): 'live' | 'offline' | 'unknown' {
  if (row.last_push_at === null) return row.last_disconnect_at === null ? 'unknown' : 'offline';
  if (row.last_disconnect_at === null) return 'live';
  // A disconnect ends the push session of its `sequence`
  // (https://www.tencentcloud.com/document/product/267/38081): a push of that same session,
  // even one stamped later or delivered later, does not make the stream live again.
  if (row.last_disconnect_seq !== null && row.last_disconnect_seq === row.last_push_seq) return 'offline';
  return isLater(
    row.last_push_at,
    row.last_push_event ?? '',
    row.last_disconnect_at,
    row.last_disconnect_event,
  )
    ? 'live'
    : 'offline';
}

/**
 * The stream a CSS event is about, `appId` `''` when it carries none (subtitle and smart-erasing callbacks
 * name no app: {@link createStreamProjection} puts them on the stream's row of its app); undefined for other
 * events and for ids too long for the table's key (the event stays listed under `/api/events`).
 */
export function streamKeyOf(event: StoredEvent): { appId: string; streamId: string } | undefined {
  const { appId = '', streamId } = event.subject;
  if (event.family !== 'css' || streamId === undefined) return undefined;
  return fitsKey(appId) && fitsKey(streamId) ? { appId, streamId } : undefined;
}

/** An empty stream row. */
export function newStream(appId: string, streamId: string, at: number): StreamsTable {
  return {
    app_id: appId,
    stream_id: streamId,
    status: 'unknown',
    health: 'ok',
    health_at: null,
    health_event: null,
    last_event_at: at,
    last_push_at: null,
    last_push_event: null,
    last_push_seq: null,
    last_disconnect_at: null,
    last_disconnect_event: null,
    last_disconnect_seq: null,
    disconnect_reason: null,
    disconnect_errcode: null,
    disconnect_sub_errcode: null,
    broken_count: 0,
    last_broken_at: null,
    low_framerate_count: 0,
    last_low_framerate_at: null,
    moderation_hits: 0,
    screenshot_url: null,
    screenshot_at: null,
    screenshot_event: null,
  };
}

/** The events that say how a stream is doing: the health each leaves it in. */
const HEALTH_SIGNALS: Partial<Record<EventType, 'ok' | 'broken' | 'low_framerate'>> = {
  'css.stream.push': 'ok',
  'css.stream.disconnect': 'ok',
  'css.monitor.stream_broken': 'broken',
  'css.monitor.low_framerate': 'low_framerate',
};

/**
 * Applies one event to its stream's row (mutated). Every rule is a count or a latest-by-event-time, so
 * applying the same events in any order gives the same row.
 */
export function applyToStream(row: StreamsTable, event: StoredEvent, moderationHit: boolean): void {
  const at = event.occurredAt;
  if (at > row.last_event_at) row.last_event_at = at;
  const health = HEALTH_SIGNALS[event.type];
  if (health !== undefined && isLater(at, event.id, row.health_at, row.health_event)) {
    row.health = health;
    row.health_at = at;
    row.health_event = event.id;
  }
  switch (event.type) {
    case 'css.stream.push':
      if (isLater(at, event.id, row.last_push_at, row.last_push_event)) {
        row.last_push_at = at;
        row.last_push_event = event.id;
        row.last_push_seq = nonBlank(event.data.sequence) ?? null;
      }
      break;
    case 'css.stream.disconnect':
      if (isLater(at, event.id, row.last_disconnect_at, row.last_disconnect_event)) {
        row.last_disconnect_at = at;
        row.last_disconnect_event = event.id;
        row.last_disconnect_seq = nonBlank(event.data.sequence) ?? null;
        row.disconnect_reason = nonBlank(event.data.reason) ?? null;
        row.disconnect_errcode = finite(event.data.errcode) ?? null;
        // Tencent sends sub_errcode 0 for "none" (https://www.tencentcloud.com/document/product/267/31083).
        row.disconnect_sub_errcode = finite(event.data.sub_errcode) || null;
      }
      break;
    case 'css.monitor.stream_broken':
      row.broken_count += 1;
      if (row.last_broken_at === null || at > row.last_broken_at) row.last_broken_at = at;
      break;
    case 'css.monitor.low_framerate':
      row.low_framerate_count += 1;
      if (row.last_low_framerate_at === null || at > row.last_low_framerate_at)
        row.last_low_framerate_at = at;
      break;
    case 'css.screenshot': {
      const url = nonBlank(event.data.pic_full_url) ?? nonBlank(event.data.pic_url);
      if (url !== undefined && isLater(at, event.id, row.screenshot_at, row.screenshot_event)) {
        row.screenshot_url = url;
        row.screenshot_at = at;
        row.screenshot_event = event.id;
      }
      break;
    }
  }
  if (moderationHit) row.moderation_hits += 1;
  row.status = streamStatus(row);
}

const later = (at: number | null, id: string | null, currentAt: number | null, currentId: string | null) =>
  at !== null && isLater(at, id ?? '', currentAt, currentId);

const latestOf = (a: number | null, b: number | null) => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * Folds the row of a stream's events that carried no app id (`from`) into its app's row (`into`, mutated):
 * counts add up, every latest-by-event-time column keeps the later of the two, so the row is the one the
 * same events would have built had each carried the app id.
 */
export function mergeStreams(into: StreamsTable, from: StreamsTable): void {
  into.last_event_at = Math.max(into.last_event_at, from.last_event_at);
  if (later(from.health_at, from.health_event, into.health_at, into.health_event)) {
    into.health = from.health;
    into.health_at = from.health_at;
    into.health_event = from.health_event;
  }
  if (later(from.last_push_at, from.last_push_event, into.last_push_at, into.last_push_event)) {
    into.last_push_at = from.last_push_at;
    into.last_push_event = from.last_push_event;
    into.last_push_seq = from.last_push_seq;
  }
  if (
    later(
      from.last_disconnect_at,
      from.last_disconnect_event,
      into.last_disconnect_at,
      into.last_disconnect_event,
    )
  ) {
    into.last_disconnect_at = from.last_disconnect_at;
    into.last_disconnect_event = from.last_disconnect_event;
    into.last_disconnect_seq = from.last_disconnect_seq;
    into.disconnect_reason = from.disconnect_reason;
    into.disconnect_errcode = from.disconnect_errcode;
    into.disconnect_sub_errcode = from.disconnect_sub_errcode;
  }
  into.broken_count += from.broken_count;
  into.last_broken_at = latestOf(into.last_broken_at, from.last_broken_at);
  into.low_framerate_count += from.low_framerate_count;
  into.last_low_framerate_at = latestOf(into.last_low_framerate_at, from.last_low_framerate_at);
  into.moderation_hits += from.moderation_hits;
  if (later(from.screenshot_at, from.screenshot_event, into.screenshot_at, into.screenshot_event)) {
    into.screenshot_url = from.screenshot_url;
    into.screenshot_at = from.screenshot_at;
    into.screenshot_event = from.screenshot_event;
  }
  into.status = streamStatus(into);
}

function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/** A row read back with its counts and times as numbers (PostgreSQL drivers may answer integers as strings). */
export function normaliseStream(row: StreamsTable): StreamsTable {
  return {
    ...row,
    broken_count: Number(row.broken_count),
    low_framerate_count: Number(row.low_framerate_count),
    moderation_hits: Number(row.moderation_hits),
    last_event_at: Number(row.last_event_at),
    health_at: numberOrNull(row.health_at),
    last_push_at: numberOrNull(row.last_push_at),
    last_disconnect_at: numberOrNull(row.last_disconnect_at),
    last_broken_at: numberOrNull(row.last_broken_at),
    last_low_framerate_at: numberOrNull(row.last_low_framerate_at),
    screenshot_at: numberOrNull(row.screenshot_at),
    disconnect_errcode: numberOrNull(row.disconnect_errcode),
    disconnect_sub_errcode: numberOrNull(row.disconnect_sub_errcode),
  };
}

/** What the streams projection needs to know of other projections. */
export interface StreamProjectionOptions {
  /** True when an event raises a moderation item: it counts as a moderation hit of its stream. */
  isModerationHit: (event: StoredEvent) => boolean;
}

/**
 * The streams projection: one `streams` row per (app, stream) of the CSS events, with its liveness (push and
 * disconnect by session), health (broken, low frame rate), latest screenshot and moderation hits.
 *
 * An event that names no app (subtitles, smart erasing) joins the row of its stream's app, the most recently
 * active one if several apps have a stream of that id; only a stream no event of which named an app keeps a
 * row of app `''`, and the first event naming its app folds that row into the app's ({@link mergeStreams}).
 *
 * @example
 * ```ts
 * const streams = createStreamProjection({ isModerationHit: (event) => moderationItemOf(event) !== undefined });
 * ```
 */
export function createStreamProjection(options: StreamProjectionOptions): Projection {
  return {
    name: 'streams',
    tables: { streams: STREAM_COLUMNS },
    async apply(trx, events) {
      const db = trx.withTables<StreamDatabase>();
      const streamEvents = events.flatMap((event) => {
        const key = streamKeyOf(event);
        return key === undefined ? [] : [{ event, ...key }];
      });
      /** The rows of each stream id, by app id. */
      const streams = new Map<string, Map<string, StreamsTable>>();
      const rowsOf = (streamId: string) => {
        let rows = streams.get(streamId);
        if (rows === undefined) streams.set(streamId, (rows = new Map<string, StreamsTable>()));
        return rows;
      };
      const ids = [...new Set(streamEvents.map(({ streamId }) => streamId))];
      for (const part of chunk(ids, ROWS_PER_INSERT)) {
        const rows = await db.selectFrom('streams').selectAll().where('stream_id', 'in', part).execute();
        for (const row of rows) rowsOf(row.stream_id).set(row.app_id, normaliseStream(row));
      }
      const folded = new Set<string>();
      for (const { event, appId, streamId } of streamEvents) {
        const rows = rowsOf(streamId);
        let row = appId === '' ? latestAppRow(rows) : rows.get(appId);
        if (row === undefined) {
          row = newStream(appId, streamId, event.occurredAt);
          rows.set(appId, row);
        }
        const orphan = rows.get('');
        if (appId !== '' && orphan !== undefined) {
          mergeStreams(row, orphan);
          rows.delete('');
          folded.add(streamId);
        }
        applyToStream(row, event, options.isModerationHit(event));
      }
      const changed = [...streams.values()].flatMap((rows) => [...rows.values()]);
      await upsertRows(trx, 'streams', ['app_id', 'stream_id'], STREAM_COLUMNS, changed);
      for (const part of chunk([...folded], ROWS_PER_INSERT)) {
        await db.deleteFrom('streams').where('app_id', '=', '').where('stream_id', 'in', part).execute();
      }
    },
  };
}

/** The row of a stream's most recently active app, if any row names an app. */
function latestAppRow(rows: ReadonlyMap<string, StreamsTable>): StreamsTable | undefined {
  let latest: StreamsTable | undefined;
  for (const [appId, row] of rows) {
    if (appId === '') continue;
    if (
      latest === undefined ||
      row.last_event_at > latest.last_event_at ||
      (row.last_event_at === latest.last_event_at && appId > latest.app_id)
    )
      latest = row;
  }
  return latest ?? rows.get('');
}

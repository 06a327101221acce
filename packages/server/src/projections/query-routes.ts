import { createEventId } from '@livehooks/core';
import type { FastifyInstance } from 'fastify';
import { sql, type Selectable } from 'kysely';
import { TASK_STATE_LABELS } from './project-event.js';
import type {
  ModerationItemsTable,
  StreamsTable,
  TranscriptsTable,
  TrtcTasksTable,
} from './projection-tables.js';
import { projectionDb, retryProjectionFailure, toProjectionFailure } from './projector.js';
import { TRANSCRIPT_TEXT } from './projection-tables.js';
import { idFloor, type KyselyStore } from '../store/kysely-store.js';
import { EVENT_LIST_COLUMNS, fromEventRow, type StoredEvent } from '../store/stored-event.js';
import {
  encodeKeyset,
  integerParam,
  invalidQuery,
  keysetParam,
  notFound,
  oneOf,
  pageSize,
  searchTerms,
  single,
  timeParam,
  type Query,
} from '../api/query-params.js';

/** What the projection routes need. */
export interface QueryRouteDependencies {
  store: KyselyStore;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
  /** Applies a set-aside event again; default {@link retryProjectionFailure} on `store`. */
  retryProjection?: (eventId: string) => ReturnType<typeof retryProjectionFailure>;
}

const STREAM_TIMELINE = 200;
const STREAM_SCREENSHOTS = 24;
const STREAM_MODERATION = 50;
const TASK_EVENTS = 500;
const RECENT_ALERTS = 20;
const MAX_BUCKETS = 1500;
const ALERT_TYPES = ['css.monitor.stream_broken', 'css.monitor.low_framerate'];
const ACTIONS = ['confirm', 'dismiss', 'escalate'] as const;
const STATUS_OF_ACTION = { confirm: 'confirmed', dismiss: 'dismissed', escalate: 'escalated' } as const;

type Row<T> = Selectable<T>;

function orUndefined<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

function defined<T extends Record<string, unknown>>(record: T): T {
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return record;
}

/** A `streams` row as the API item of docs/api.md. */
export function toStreamItem(row: Row<StreamsTable>) {
  const pushAt = orUndefined(row.last_push_at);
  const disconnectAt = orUndefined(row.last_disconnect_at);
  const sequence =
    disconnectAt !== undefined && (pushAt === undefined || Number(disconnectAt) > Number(pushAt))
      ? row.last_disconnect_seq
      : (row.last_push_seq ?? row.last_disconnect_seq);
  return defined({
    appId: row.app_id,
    streamId: row.stream_id,
    status: row.status as 'live' | 'offline' | 'unknown',
    health: row.health as 'ok' | 'broken' | 'low_framerate',
    lastEventAt: Number(row.last_event_at),
    lastPushAt: pushAt === undefined ? undefined : Number(pushAt),
    lastDisconnectAt: disconnectAt === undefined ? undefined : Number(disconnectAt),
    disconnectReason: orUndefined(row.disconnect_reason),
    sessionSequence: orUndefined(sequence),
    brokenCount: Number(row.broken_count),
    lowFramerateCount: Number(row.low_framerate_count),
    moderationHits: Number(row.moderation_hits),
    latestScreenshot:
      row.screenshot_url === null || row.screenshot_at === null
        ? undefined
        : { url: row.screenshot_url, at: Number(row.screenshot_at) },
  });
}

/** A `moderation_items` row as the API item. */
export function toModerationItem(row: Row<ModerationItemsTable>) {
  return defined({
    id: row.id,
    eventId: row.id,
    eventType: row.event_type,
    occurredAt: Number(row.occurred_at),
    streamId: orUndefined(row.stream_id),
    roomId: orUndefined(row.room_id),
    userId: orUndefined(row.user_id),
    taskId: orUndefined(row.task_id),
    mediaType: row.media_type as 'image' | 'audio' | 'text',
    mediaUrl: orUndefined(row.media_url),
    labels: JSON.parse(row.labels) as string[],
    score: row.score === null ? undefined : Number(row.score),
    suggestion: row.suggestion as 'Block' | 'Review' | 'Pass' | null,
    text: orUndefined(row.text),
    status: row.status as 'pending' | 'confirmed' | 'dismissed' | 'escalated',
    decidedAt: row.decided_at === null ? undefined : Number(row.decided_at),
    decidedBy: orUndefined(row.decided_by),
    note: orUndefined(row.note),
  });
}

/** A `trtc_tasks` row as the API item. */
export function toTaskItem(row: Row<TrtcTasksTable>) {
  return defined({
    taskId: row.task_id,
    sdkAppId: orUndefined(row.sdk_app_id),
    roomId: orUndefined(row.room_id),
    state: row.state,
    stateLabel:
      row.state === 'stopped' && row.leave_reason !== null
        ? `stopped: ${row.leave_reason}`
        : (TASK_STATE_LABELS[row.state] ?? row.state),
    leaveCode: row.leave_code === null ? undefined : Number(row.leave_code),
    leaveReason: orUndefined(row.leave_reason),
    lastError:
      row.error_code === null ? undefined : { code: row.error_code, message: row.error_message ?? '' },
    startedAt: row.started_at === null ? undefined : Number(row.started_at),
    updatedAt: Number(row.updated_at),
    results: {
      Pass: Number(row.pass_count),
      Review: Number(row.review_count),
      Block: Number(row.block_count),
    },
  });
}

/**
 * Where the search terms occur in `text`: sorted, merged `[start, end)` offsets in UTF-16 code units
 * (JavaScript string indexes), case-insensitive.
 */
export function highlightsOf(text: string, terms: readonly string[]): [number, number][] {
  const lower = text.toLowerCase();
  // Lower-casing can change a string's length (rare Unicode cases): then match the text as it is.
  const haystack = lower.length === text.length ? lower : text;
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const needle = haystack === lower ? term.toLowerCase() : term;
    if (needle === '') continue;
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
      ranges.push([at, at + needle.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

/** A `transcripts` row as a search hit. */
function toTranscriptHit(row: Row<TranscriptsTable>, terms: readonly string[]) {
  return defined({
    eventId: row.event_id,
    streamId: orUndefined(row.stream_id),
    kind: row.kind as 'asr' | 'ocr' | 'subtitle',
    text: row.text,
    startMs: row.start_ms === null ? undefined : Number(row.start_ms),
    endMs: row.end_ms === null ? undefined : Number(row.end_ms),
    occurredAt: Number(row.occurred_at),
    highlights: highlightsOf(row.text, terms),
  });
}

function page<T>(rows: T[], size: number, position: (last: T) => string) {
  const items = rows.slice(0, size);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > size && last !== undefined ? position(last) : null };
}

function parseJsonBody(body: unknown): Record<string, unknown> {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw invalidQuery('the request body must be a JSON object');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalidQuery('the request body must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function optionalText(body: Record<string, unknown>, name: string, max: number): string | undefined {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length > max) {
    throw invalidQuery(`${name} must be a string of at most ${max} characters`);
  }
  return value.trim();
}

/**
 * The query API over the projections (DESIGN.md "Query API and dashboard"): streams, the moderation queue
 * and its decisions, TRTC moderation tasks, transcript search, set-aside projection failures and their retry,
 * rejections and stats. Bearer auth is the
 * scope of {@link requireApiToken}; every list is newest first with an opaque keyset cursor.
 */
export function registerQueryRoutes(app: FastifyInstance, deps: QueryRouteDependencies): void {
  const { store } = deps;
  const db = projectionDb(store);
  const search = store.profile.textSearch;
  const now = deps.now ?? Date.now;
  const retryProjection =
    deps.retryProjection ?? ((eventId: string) => retryProjectionFailure(store, eventId));

  app.get('/api/streams', async (request) => {
    const query = request.query as Query;
    const status = oneOf(query, 'status', ['live', 'offline', 'unknown'] as const);
    const text = single(query, 'q');
    const size = pageSize(query);
    const after = keysetParam(query, 2);
    let select = db
      .selectFrom('streams')
      .selectAll()
      .orderBy('last_event_at', 'desc')
      .orderBy('app_id', 'desc')
      .orderBy('stream_id', 'desc')
      .limit(size + 1);
    if (status !== undefined) select = select.where('status', '=', status);
    if (text !== undefined) {
      const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      select = select.where(sql<boolean>`lower(stream_id) like ${pattern} escape '\\'`);
    }
    if (after !== undefined) {
      select = select.where((eb) =>
        eb(
          eb.refTuple('last_event_at', 'app_id', 'stream_id'),
          '<',
          eb.tuple(after[0], after[1]!, after[2]!),
        ),
      );
    }
    return page((await select.execute()).map(toStreamItem), size, (last) =>
      encodeKeyset([last.lastEventAt, last.appId, last.streamId]),
    );
  });

  app.get('/api/streams/:streamId', async (request) => {
    const { streamId } = request.params as { streamId: string };
    const appId = single(request.query as Query, 'app_id');
    let select = db
      .selectFrom('streams')
      .selectAll()
      .where('stream_id', '=', streamId)
      .orderBy('last_event_at', 'desc')
      .limit(1);
    if (appId !== undefined) select = select.where('app_id', '=', appId);
    const row = await select.executeTakeFirst();
    if (row === undefined) throw notFound('stream', streamId);
    let timeline = db
      .selectFrom('events')
      .select(EVENT_LIST_COLUMNS)
      .where('stream_id', '=', streamId)
      .orderBy('id', 'desc')
      .limit(STREAM_TIMELINE);
    let screenshots = db
      .selectFrom('events')
      .select(['id', 'occurred_at', 'data'])
      .where('stream_id', '=', streamId)
      .where('type', '=', 'css.screenshot')
      .orderBy('id', 'desc')
      .limit(STREAM_SCREENSHOTS);
    let moderation = db
      .selectFrom('moderation_items')
      .selectAll()
      .where('stream_id', '=', streamId)
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(STREAM_MODERATION);
    if (row.app_id !== '') {
      timeline = timeline.where('app_id', '=', row.app_id);
      screenshots = screenshots.where('app_id', '=', row.app_id);
      moderation = moderation.where('app_id', '=', row.app_id);
    }
    const events = (await timeline.execute()).map(fromEventRow);
    events.sort((a, b) => b.occurredAt - a.occurredAt || (a.id < b.id ? 1 : -1));
    const shots = (await screenshots.execute()).flatMap((shot) => {
      const data = JSON.parse(shot.data) as { pic_full_url?: string; pic_url?: string };
      const url = data.pic_full_url ?? data.pic_url;
      return url === undefined ? [] : [{ url, at: Number(shot.occurred_at) }];
    });
    shots.sort((a, b) => b.at - a.at);
    return {
      ...toStreamItem(row),
      timeline: events,
      screenshots: shots,
      moderation: (await moderation.execute()).map(toModerationItem),
    };
  });

  app.get('/api/moderation', async (request) => {
    const query = request.query as Query;
    const status = oneOf(query, 'status', ['pending', 'confirmed', 'dismissed', 'escalated'] as const);
    const source = single(query, 'source');
    const streamId = single(query, 'stream_id');
    const size = pageSize(query);
    const after = keysetParam(query, 1);
    let select = db
      .selectFrom('moderation_items')
      .selectAll()
      .orderBy('occurred_at', 'desc')
      .orderBy('id', 'desc')
      .limit(size + 1);
    if (status !== undefined) select = select.where('status', '=', status);
    if (source !== undefined) {
      select =
        source === 'css' || source === 'trtc'
          ? select.where('family', '=', source)
          : select.where('event_type', '=', source);
    }
    if (streamId !== undefined) select = select.where('stream_id', '=', streamId);
    if (after !== undefined) {
      select = select.where((eb) => eb(eb.refTuple('occurred_at', 'id'), '<', eb.tuple(after[0], after[1]!)));
    }
    return page((await select.execute()).map(toModerationItem), size, (last) =>
      encodeKeyset([last.occurredAt, last.id]),
    );
  });

  const moderationDetail = async (id: string) => {
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
      decisions: decisions.map((decision) => ({ ...decision, at: Number(decision.at) })),
    };
  };

  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

  app.get('/api/moderation/:id', async (request) => {
    const { id } = request.params as { id: string };
    const detail = UUID.test(id) ? await moderationDetail(id) : undefined;
    if (detail === undefined) throw notFound('moderation item', id);
    return detail;
  });

  app.post('/api/moderation/:id/decision', async (request) => {
    const { id } = request.params as { id: string };
    const body = parseJsonBody(request.body);
    const action = body.action;
    if (typeof action !== 'string' || !(ACTIONS as readonly string[]).includes(action)) {
      throw invalidQuery(`action must be one of ${ACTIONS.join(', ')}`);
    }
    const actor = optionalText(body, 'actor', 200) || 'anonymous';
    const note = optionalText(body, 'note', 2000) ?? '';
    const at = now();
    if (!UUID.test(id)) throw notFound('moderation item', id);
    const updated = await db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('moderation_items')
        .set({
          status: STATUS_OF_ACTION[action as (typeof ACTIONS)[number]],
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
    if (updated === undefined) throw notFound('moderation item', id);
    return toModerationItem(updated);
  });

  app.get('/api/trtc/tasks', async (request) => {
    const query = request.query as Query;
    const state = oneOf(query, 'state', [
      'starting',
      'failed_to_start',
      'running',
      'sending',
      'stopped',
      'errored',
    ] as const);
    const roomId = single(query, 'room_id');
    const size = pageSize(query);
    const after = keysetParam(query, 1);
    let select = db
      .selectFrom('trtc_tasks')
      .selectAll()
      .orderBy('updated_at', 'desc')
      .orderBy('task_id', 'desc')
      .limit(size + 1);
    if (state !== undefined) select = select.where('state', '=', state);
    if (roomId !== undefined) select = select.where('room_id', '=', roomId);
    if (after !== undefined) {
      select = select.where((eb) =>
        eb(eb.refTuple('updated_at', 'task_id'), '<', eb.tuple(after[0], after[1]!)),
      );
    }
    return page((await select.execute()).map(toTaskItem), size, (last) =>
      encodeKeyset([last.updatedAt, last.taskId]),
    );
  });

  app.get('/api/trtc/tasks/:taskId', async (request) => {
    const { taskId } = request.params as { taskId: string };
    const row = await db
      .selectFrom('trtc_tasks')
      .selectAll()
      .where('task_id', '=', taskId)
      .executeTakeFirst();
    if (row === undefined) throw notFound('TRTC moderation task', taskId);
    const events = (
      await db
        .selectFrom('events')
        .select(EVENT_LIST_COLUMNS)
        .where('task_id', '=', taskId)
        .where('type', 'like', 'trtc.moderation.%')
        .orderBy('id', 'desc')
        .limit(TASK_EVENTS)
        .execute()
    ).map(fromEventRow);
    events.sort((a, b) => b.occurredAt - a.occurredAt || (a.id < b.id ? 1 : -1));
    return { ...toTaskItem(row), events };
  });

  app.get('/api/transcripts', async (request) => {
    const query = request.query as Query;
    const terms = searchTerms(query, 'q');
    const kind = oneOf(query, 'kind', ['asr', 'ocr', 'subtitle'] as const);
    const streamId = single(query, 'stream_id');
    const size = pageSize(query);
    const after = keysetParam(query, 1);
    let select = db
      .selectFrom('transcripts')
      .selectAll()
      .orderBy('occurred_at', 'desc')
      .orderBy('event_id', 'desc')
      .limit(size + 1);
    if (terms.length > 0) select = select.where(search.matches(TRANSCRIPT_TEXT, terms));
    if (kind !== undefined) select = select.where('kind', '=', kind);
    if (streamId !== undefined) select = select.where('stream_id', '=', streamId);
    if (after !== undefined) {
      select = select.where((eb) =>
        eb(eb.refTuple('occurred_at', 'event_id'), '<', eb.tuple(after[0], after[1]!)),
      );
    }
    return page(
      (await select.execute()).map((row) => toTranscriptHit(row, terms)),
      size,
      (last) => encodeKeyset([last.occurredAt, last.eventId]),
    );
  });

  app.get('/api/projections/failures', async (request) => {
    const query = request.query as Query;
    const size = pageSize(query);
    const after = keysetParam(query, 1);
    let select = db
      .selectFrom('projection_failures')
      .selectAll()
      .orderBy('failed_at', 'desc')
      .orderBy('event_id', 'desc')
      .limit(size + 1);
    if (after !== undefined) {
      select = select.where((eb) =>
        eb(eb.refTuple('failed_at', 'event_id'), '<', eb.tuple(after[0], after[1]!)),
      );
    }
    return page((await select.execute()).map(toProjectionFailure), size, (last) =>
      encodeKeyset([last.failedAt, last.eventId]),
    );
  });

  app.post('/api/projections/failures/:id/retry', async (request) => {
    const { id } = request.params as { id: string };
    const outcome = UUID.test(id) ? await retryProjection(id) : undefined;
    if (outcome === undefined) throw notFound('projection failure', id);
    return outcome;
  });

  app.get('/api/rejections', async (request) => {
    const query = request.query as Query;
    const reason = single(query, 'reason');
    const size = pageSize(query);
    const after = keysetParam(query, 1);
    let select = db
      .selectFrom('rejections')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(size + 1);
    if (reason !== undefined) select = select.where('reason', '=', reason);
    if (after !== undefined) select = select.where('id', '<', after[1]!);
    const rows = (await select.execute()).map((row) => ({
      id: row.id,
      receivedAt: Number(row.received_at),
      status: Number(row.status),
      code: row.reason,
      message: row.message,
      remoteAddress: row.remote_address ?? '',
      path: row.path,
      headers: JSON.parse(row.headers) as Record<string, string>,
      bodyPrefix: Buffer.from(row.body_head).toString('utf8'),
    }));
    return page(rows, size, (last) => encodeKeyset([last.receivedAt, last.id]));
  });

  app.get('/api/stats', async (request) => {
    const query = request.query as Query;
    const bucket = integerParam(query, 'bucket', 1000, 86_400_000) ?? 60_000;
    const until = now();
    const since = timeParam(query, 'since') ?? until - 60 * 60_000;
    if ((until - since) / bucket > MAX_BUCKETS) {
      throw invalidQuery(
        `since and bucket make more than ${MAX_BUCKETS} buckets; widen bucket or move since`,
      );
    }
    const rows = await db
      .selectFrom('events')
      .select([
        'type',
        sql<number>`cast(received_at / ${sql.lit(bucket)} as bigint) * ${sql.lit(bucket)}`.as('t'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('id', '>=', idFloor(since))
      .groupBy(['type', sql`cast(received_at / ${sql.lit(bucket)} as bigint) * ${sql.lit(bucket)}`])
      .execute();
    const buckets = new Map<number, Record<string, number>>();
    for (const row of rows) {
      const t = Number(row.t);
      const counts = buckets.get(t) ?? {};
      counts[row.type] = Number(row.n);
      buckets.set(t, counts);
    }
    const byTypeRows = await db
      .selectFrom('events')
      .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('type')
      .execute();
    const byType: Record<string, number> = {};
    let events = 0;
    for (const row of byTypeRows) {
      byType[row.type] = Number(row.n);
      events += Number(row.n);
    }
    const count = async (table: 'rejections' | 'projection_failures') =>
      Number(
        (
          await db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      buckets: [...buckets].sort(([a], [b]) => a - b).map(([t, counts]) => ({ t, counts })),
      totals: {
        events,
        rejections: await count('rejections'),
        projectionFailures: await count('projection_failures'),
        byType,
      },
      recentAlerts: await recentAlerts(),
    };
  });

  const recentAlerts = async (): Promise<StoredEvent[]> => {
    const alerts = await db
      .selectFrom('events')
      .select(EVENT_LIST_COLUMNS)
      .where('type', 'in', ALERT_TYPES)
      .orderBy('id', 'desc')
      .limit(RECENT_ALERTS)
      .execute();
    const hits = await db
      .selectFrom('events')
      .select(EVENT_LIST_COLUMNS)
      .where('id', 'in', (eb) =>
        eb
          .selectFrom('moderation_items')
          .select('moderation_items.id')
          .orderBy('occurred_at', 'desc')
          .limit(RECENT_ALERTS),
      )
      .execute();
    return [...alerts, ...hits]
      .map(fromEventRow)
      .sort((a, b) => b.receivedAt - a.receivedAt || (a.id < b.id ? 1 : -1))
      .slice(0, RECENT_ALERTS);
  };
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Registry } from 'prom-client';
import type { KyselyStore } from '../store/kysely-store.js';
import { EVENT_LIST_COLUMNS, fromEventRow, type StoredEvent } from '../store/stored-event.js';
import { storableText } from '../store/storable.js';
import {
  applyToStream,
  applyToTask,
  isTaskEvent,
  moderationItemOf,
  newStream,
  newTask,
  streamKeyOf,
  transcriptOf,
  type ModerationItemRow,
} from './project-event.js';
import {
  DERIVED_TABLES,
  FAILURE_MESSAGE_MAX,
  fitRow,
  type ModerationItemsTable,
  type ProjectionDatabase,
  type ProjectionFailuresTable,
  type StreamsTable,
  type TrtcTasksTable,
} from './projection-tables.js';
import { createProjectionMetrics, type ProjectionMetrics } from './projection-metrics.js';
import { TRANSCRIPT_TEXT } from './projection-tables.js';

type Trx = Transaction<ProjectionDatabase>;

/** Events applied per transaction while following ingest. */
const LIVE_PAGE = 500;
/** Events applied per transaction during a rebuild. */
const REBUILD_PAGE = 2000;
/** Rows per multi-row INSERT (22 columns at most: well under both dialects' parameter limits). */
const ROWS_PER_INSERT = 500;
/** How often the queue is checked without a trigger: after a failure, or for rows another replica left. */
const SWEEP_INTERVAL_MS = 5000;
/**
 * How long a run waits after being scheduled, so that one projection transaction (and, on SQLite, one
 * fsync) serves the events of many group commits instead of competing with ingest after each of them.
 */
const BATCH_DELAY_MS = 50;

/**
 * One projector at a time: SQLite's `BEGIN IMMEDIATE` already serialises writers; on PostgreSQL, replicas
 * sharing a database take this transaction-scoped lock.
 */
const PROJECTOR_LOCK = 'livehooks_projector';

/** The store's query builder with the projection tables. */
export function projectionDb(store: KyselyStore): Kysely<ProjectionDatabase> {
  return store.db as unknown as Kysely<ProjectionDatabase>;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** `INSERT ... ON CONFLICT (key) DO UPDATE SET <every column> = excluded.<column>`. */
async function upsert<T extends 'streams' | 'trtc_tasks'>(
  trx: Trx,
  table: T,
  key: string[],
  rows: readonly (T extends 'streams' ? StreamsTable : TrtcTasksTable)[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!).filter((column) => !key.includes(column));
  for (const part of chunk(rows, ROWS_PER_INSERT)) {
    await trx
      .insertInto(table as 'streams')
      .values(part.map((row) => fitRow(table, row as StreamsTable)))
      .onConflict((conflict) =>
        conflict
          .columns(key as (keyof StreamsTable)[])
          .doUpdateSet(Object.fromEntries(columns.map((column) => [column, sql.ref(`excluded.${column}`)]))),
      )
      .execute();
  }
}

const STATUS_OF_ACTION: Record<string, ModerationItemsTable['status']> = {
  confirm: 'confirmed',
  dismiss: 'dismissed',
  escalate: 'escalated',
};

/** The review columns an item gets from its latest decision (reviews survive a rebuild). */
async function withReviews(trx: Trx, items: ModerationItemRow[]): Promise<ModerationItemsTable[]> {
  const latest = new Map<string, { action: string; actor: string; note: string; at: number }>();
  for (const ids of chunk(
    items.map((item) => item.id),
    ROWS_PER_INSERT,
  )) {
    const reviews = await trx
      .selectFrom('reviews')
      .selectAll()
      .where('item_id', 'in', ids)
      .orderBy('id')
      .execute();
    for (const review of reviews) latest.set(review.item_id, review);
  }
  return items.map((item) => {
    const review = latest.get(item.id);
    return {
      ...item,
      status: review === undefined ? 'pending' : (STATUS_OF_ACTION[review.action] ?? 'pending'),
      decided_at: review === undefined ? null : Number(review.at),
      decided_by: review?.actor ?? null,
      note: review === undefined || review.note === '' ? null : review.note,
    };
  });
}

/** Applies events (each exactly once) to every projection, inside the caller's transaction. */
async function applyEvents(trx: Trx, store: KyselyStore, events: readonly StoredEvent[]): Promise<void> {
  const items: ModerationItemRow[] = [];
  const hits = new Set<string>();
  const transcripts = [];
  for (const event of events) {
    const item = moderationItemOf(event);
    if (item !== undefined) {
      items.push(item);
      hits.add(event.id);
    }
    const transcript = transcriptOf(event);
    if (transcript !== undefined) transcripts.push(fitRow('transcripts', transcript));
  }
  for (const part of chunk(await withReviews(trx, items), ROWS_PER_INSERT)) {
    await trx
      .insertInto('moderation_items')
      .values(part.map((row) => fitRow('moderation_items', row)))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
  }
  const indexed = [];
  for (const part of chunk(transcripts, ROWS_PER_INSERT)) {
    const inserted = await trx
      .insertInto('transcripts')
      .values(part)
      .onConflict((conflict) => conflict.column('event_id').doNothing())
      .returning('event_id')
      .execute();
    const ids = new Set(inserted.map((row) => row.event_id));
    indexed.push(...part.filter((row) => ids.has(row.event_id)));
  }
  await store.profile.textSearch.add(
    trx,
    TRANSCRIPT_TEXT,
    indexed.map((row) => ({ key: row.event_id, text: row.text })),
  );

  const streamEvents = events.flatMap((event) => {
    const key = streamKeyOf(event);
    return key === undefined ? [] : [{ event, ...key }];
  });
  const streams = new Map<string, StreamsTable>();
  const keyOf = (appId: string, streamId: string) => JSON.stringify([appId, streamId]);
  for (const ids of chunk([...new Set(streamEvents.map(({ streamId }) => streamId))], ROWS_PER_INSERT)) {
    const rows = await trx.selectFrom('streams').selectAll().where('stream_id', 'in', ids).execute();
    for (const row of rows) streams.set(keyOf(row.app_id, row.stream_id), normaliseStream(row));
  }
  for (const { event, appId, streamId } of streamEvents) {
    const key = keyOf(appId, streamId);
    let row = streams.get(key);
    if (row === undefined) {
      row = newStream(appId, streamId, event.occurredAt);
      streams.set(key, row);
    }
    applyToStream(row, event, hits.has(event.id));
  }
  await upsert(trx, 'streams', ['app_id', 'stream_id'], [...streams.values()]);

  const taskEvents = events.filter(isTaskEvent);
  const tasks = new Map<string, TrtcTasksTable>();
  for (const ids of chunk([...new Set(taskEvents.map((event) => event.subject.taskId!))], ROWS_PER_INSERT)) {
    const rows = await trx.selectFrom('trtc_tasks').selectAll().where('task_id', 'in', ids).execute();
    for (const row of rows) tasks.set(row.task_id, normaliseTask(row));
  }
  for (const event of taskEvents) {
    const taskId = event.subject.taskId!;
    let row = tasks.get(taskId);
    if (row === undefined) {
      row = newTask(taskId, event.occurredAt);
      tasks.set(taskId, row);
    }
    applyToTask(row, event);
  }
  await upsert(trx, 'trtc_tasks', ['task_id'], [...tasks.values()]);
}

function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

/** Rows read back hold bigints as numbers on both dialects; integer columns may come back as strings on PostgreSQL drivers. */
function normaliseStream(row: StreamsTable): StreamsTable {
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
  };
}

function normaliseTask(row: TrtcTasksTable): TrtcTasksTable {
  return {
    ...row,
    state_at: numberOrNull(row.state_at),
    state_rank: numberOrNull(row.state_rank),
    stop_at: numberOrNull(row.stop_at),
    leave_code: numberOrNull(row.leave_code),
    error_at: numberOrNull(row.error_at),
    started_at: numberOrNull(row.started_at),
    updated_at: Number(row.updated_at),
    pass_count: Number(row.pass_count),
    review_count: Number(row.review_count),
    block_count: Number(row.block_count),
  };
}

/** An event the projector set aside, as `GET /api/projections/failures` lists it. */
export interface ProjectionFailure {
  eventId: string;
  eventType: string;
  /** The database's error code (SQLSTATE, `SQLITE_*`) or the JavaScript error name, when there is one. */
  code?: string;
  /** The first line of the error message, at most 500 characters. */
  error: string;
  attempts: number;
  /** When it last failed, in ms since the epoch. */
  failedAt: number;
}

/** How many events are set aside. */
export async function countProjectionFailures(store: KyselyStore): Promise<number> {
  const row = await projectionDb(store)
    .selectFrom('projection_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Options of {@link drainProjectionQueue} and {@link rebuildProjections}. */
export interface DrainOptions {
  /** Events applied per transaction. */
  pageSize?: number;
  /** Told once per event set aside (see {@link drainProjectionQueue}). */
  onSetAside?: (failure: ProjectionFailure) => void;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
}

/** A `projection_failures` row as its API item. */
export function toProjectionFailure(row: ProjectionFailuresTable): ProjectionFailure {
  const failure: ProjectionFailure = {
    eventId: row.event_id,
    eventType: row.event_type,
    error: row.error,
    attempts: Number(row.attempts),
    failedAt: Number(row.failed_at),
  };
  if (row.error_code !== null) failure.code = row.error_code;
  return failure;
}

/**
 * True when an error blames the events being applied rather than the database: a value the database refuses
 * (the dialect's data errors), or JavaScript failing on an event's data. Anything else (unreachable, locked,
 * full) leaves the events queued for the next run.
 */
function blamesEvents(store: KyselyStore, error: unknown): boolean {
  return (
    store.profile.isDataError(error) ||
    error instanceof TypeError ||
    error instanceof RangeError ||
    error instanceof SyntaxError
  );
}

/** The error's code and first message line, bounded; the database's data errors name no host or credential. */
function describeError(error: unknown): { code: string | null; message: string } {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: typeof code === 'string' ? code : error instanceof Error ? error.name : null,
    message: storableText(message.split('\n', 1)[0]!.slice(0, FAILURE_MESSAGE_MAX)),
  };
}

/**
 * Applies queued events, inside the caller's transaction: projections written, then queue rows (and the
 * failure records of retried events) removed, so each event is applied exactly once.
 */
async function applyQueued(trx: Trx, store: KyselyStore, ids: readonly string[]): Promise<void> {
  // An event pruned by retention before it was projected has nothing left to apply.
  const rows = await trx
    .selectFrom('events')
    .select(EVENT_LIST_COLUMNS)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  await applyEvents(trx, store, rows.map(fromEventRow));
  await trx.deleteFrom('projection_queue').where('event_id', 'in', ids).execute();
  await trx.deleteFrom('projection_failures').where('event_id', 'in', ids).execute();
}

/** The ids at the head of the queue. */
function queuedIds(db: Kysely<ProjectionDatabase>, size: number): Promise<{ event_id: string }[]> {
  return db.selectFrom('projection_queue').select('event_id').orderBy('event_id').limit(size).execute();
}

/**
 * Records a queued event as failed and takes it off the queue, in one transaction; undefined when another
 * projector took it meanwhile.
 */
async function setAside(
  store: KyselyStore,
  eventId: string,
  error: unknown,
  at: number,
): Promise<ProjectionFailure | undefined> {
  const { code, message } = describeError(error);
  return projectionDb(store)
    .transaction()
    .execute(async (trx) => {
      await store.profile.lockTransaction(trx, PROJECTOR_LOCK);
      const queued = await trx
        .deleteFrom('projection_queue')
        .where('event_id', '=', eventId)
        .executeTakeFirst();
      if (Number(queued.numDeletedRows) === 0) return undefined;
      const event = await trx
        .selectFrom('events')
        .select('type')
        .where('id', '=', eventId)
        .executeTakeFirst();
      const row = await trx
        .insertInto('projection_failures')
        .values({
          event_id: eventId,
          event_type: event?.type ?? 'unknown',
          error_code: code,
          error: message,
          attempts: 1,
          failed_at: at,
        })
        .onConflict((conflict) =>
          conflict.column('event_id').doUpdateSet((eb) => ({
            error_code: eb.ref('excluded.error_code'),
            error: eb.ref('excluded.error'),
            failed_at: eb.ref('excluded.failed_at'),
            attempts: eb(eb.ref('projection_failures.attempts'), '+', 1),
          })),
        )
        .returningAll()
        .executeTakeFirstOrThrow();
      return toProjectionFailure(row);
    });
}

/**
 * Applies one queued event in a transaction of its own; sets it aside when that fails because of the event.
 * Returns the failure when it was set aside.
 */
async function projectAlone(
  store: KyselyStore,
  eventId: string,
  options: DrainOptions,
): Promise<ProjectionFailure | undefined> {
  try {
    await projectionDb(store)
      .transaction()
      .execute(async (trx) => {
        await store.profile.lockTransaction(trx, PROJECTOR_LOCK);
        const queued = await trx
          .selectFrom('projection_queue')
          .select('event_id')
          .where('event_id', '=', eventId)
          .executeTakeFirst();
        if (queued !== undefined) await applyQueued(trx, store, [eventId]);
      });
    return undefined;
  } catch (error) {
    if (!blamesEvents(store, error)) throw error;
    const failure = await setAside(store, eventId, error, (options.now ?? Date.now)());
    if (failure !== undefined) options.onSetAside?.(failure);
    return failure;
  }
}

/**
 * Applies up to `size` queued events in one transaction. When that fails because of an event, applies
 * them one by one instead, setting aside each that still fails alone. Returns how many were taken from the
 * queue.
 */
async function projectPage(store: KyselyStore, size: number, options: DrainOptions): Promise<number> {
  try {
    return await projectionDb(store)
      .transaction()
      .execute(async (trx) => {
        await store.profile.lockTransaction(trx, PROJECTOR_LOCK);
        const ids = (await queuedIds(trx, size)).map((row) => row.event_id);
        if (ids.length > 0) await applyQueued(trx, store, ids);
        return ids.length;
      });
  } catch (error) {
    if (!blamesEvents(store, error)) throw error;
  }
  const ids = (await queuedIds(projectionDb(store), size)).map((row) => row.event_id);
  for (const id of ids) await projectAlone(store, id, options);
  return ids.length;
}

/**
 * Applies every queued event; returns how many were taken from the queue. An event whose projection fails
 * because of its own data (a value the database refuses) is set aside: recorded in `projection_failures`
 * with its error, taken off the queue, and reported to `onSetAside`, so it never holds back the others.
 * Failures that are not the events' (the database unreachable, locked or full) are thrown and leave the
 * queue as it was.
 */
export async function drainProjectionQueue(store: KyselyStore, options: DrainOptions = {}): Promise<number> {
  const size = options.pageSize ?? LIVE_PAGE;
  let total = 0;
  for (;;) {
    const applied = await projectPage(store, size, options);
    total += applied;
    if (applied < size) return total;
  }
}

/**
 * Applies a set-aside event again (once the cause is fixed): queued and projected alone. Answers whether it
 * was projected, or its new failure; undefined when no failure has this event id.
 *
 * @example
 * ```ts
 * const outcome = await retryProjectionFailure(store, eventId);
 * if (outcome?.projected === false) console.warn(outcome.failure.error);
 * ```
 */
export async function retryProjectionFailure(
  store: KyselyStore,
  eventId: string,
  options: Omit<DrainOptions, 'pageSize'> = {},
): Promise<{ projected: true } | { projected: false; failure: ProjectionFailure } | undefined> {
  const db = projectionDb(store);
  const found = await db.transaction().execute(async (trx) => {
    await store.profile.lockTransaction(trx, PROJECTOR_LOCK);
    const failure = await trx
      .selectFrom('projection_failures')
      .select('event_id')
      .where('event_id', '=', eventId)
      .executeTakeFirst();
    if (failure === undefined) return false;
    await trx
      .insertInto('projection_queue')
      .values({ event_id: eventId })
      .onConflict((conflict) => conflict.column('event_id').doNothing())
      .execute();
    return true;
  });
  if (!found) return undefined;
  await projectAlone(store, eventId, options);
  // A live projector may have taken the event first: its failure record tells the outcome either way.
  const failure = await db
    .selectFrom('projection_failures')
    .selectAll()
    .where('event_id', '=', eventId)
    .executeTakeFirst();
  return failure === undefined
    ? { projected: true }
    : { projected: false, failure: toProjectionFailure(failure) };
}

/**
 * Empties the derived projections and replays every stored event into them, oldest id first. Human
 * reviews are kept and re-attached to their items. The same code applies events live, and every rule
 * orders by event time, so the tables equal those built live (tested on both dialects).
 *
 * @example
 * ```ts
 * const store = await openStore(config.databaseUrl);
 * await store.migrate();
 * const { events } = await rebuildProjections(store);
 * ```
 */
export async function rebuildProjections(
  store: KyselyStore,
  options: Omit<DrainOptions, 'pageSize'> = {},
): Promise<{ events: number }> {
  await projectionDb(store)
    .transaction()
    .execute(async (trx) => {
      await store.profile.lockTransaction(trx, PROJECTOR_LOCK);
      for (const table of DERIVED_TABLES) await trx.deleteFrom(table).execute();
      await store.profile.textSearch.clear(trx, TRANSCRIPT_TEXT);
      await trx.deleteFrom('projection_queue').execute();
      // Re-queued in the transaction that emptied the tables: every event is applied exactly once more,
      // by this call or by a live projector, whichever takes the page first.
      await trx
        .insertInto('projection_queue')
        .columns(['event_id'])
        .expression((eb) => eb.selectFrom('events').select('id'))
        .execute();
    });
  return { events: await drainProjectionQueue(store, { ...options, pageSize: REBUILD_PAGE }) };
}

/** Options for {@link Projector}. */
export interface ProjectorOptions {
  /**
   * Told when a run fails for a reason other than an event (the database unreachable, locked or full); the
   * queue keeps the events and the next run retries.
   */
  onError?: (error: unknown) => void;
  /** Told once per event set aside because its projection fails even alone. */
  onSetAside?: (failure: ProjectionFailure) => void;
  /** Where to register the projector's metrics (`livehooks_projection_*`). */
  registry?: Registry;
}

/**
 * Keeps the projections up to date: each group commit {@link Projector.schedule}s a run that applies the
 * queued events shortly after the commit (at most {@link BATCH_DELAY_MS} later, batching the commits in
 * between); a periodic sweep retries after failures. Runs never overlap.
 *
 * @example
 * ```ts
 * const projector = new Projector(store);
 * committer = new GroupCommitter(store, { onStored: () => projector.schedule() });
 * await projector.idle(); // everything committed so far is projected
 * ```
 */
export class Projector {
  readonly #store: KyselyStore;
  readonly #options: ProjectorOptions;
  #running: Promise<void> | undefined;
  #pending: NodeJS.Timeout | undefined;
  #again = false;
  #closed = false;
  readonly #timer: NodeJS.Timeout;
  readonly #metrics: ProjectionMetrics | undefined;

  constructor(store: KyselyStore, options: ProjectorOptions = {}) {
    this.#store = store;
    this.#options = options;
    this.#metrics =
      options.registry === undefined
        ? undefined
        : createProjectionMetrics(options.registry, () => countProjectionFailures(store));
    this.#timer = setInterval(() => this.schedule(), SWEEP_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Asks for a run soon; calls until it starts share it, calls during a run get one more after it. */
  schedule(): void {
    if (this.#closed || this.#pending !== undefined) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#pending = setTimeout(() => {
      this.#pending = undefined;
      this.#start();
    }, BATCH_DELAY_MS);
  }

  #start(): void {
    if (this.#closed) return;
    if (this.#running !== undefined) {
      this.#again = true;
      return;
    }
    this.#running = this.#run();
  }

  async #run(): Promise<void> {
    try {
      await drainProjectionQueue(this.#store, this.#drainOptions());
    } catch (error) {
      this.#options.onError?.(error);
    }
    this.#running = undefined;
    if (this.#again) {
      this.#again = false;
      this.schedule();
    }
  }

  #drainOptions(): DrainOptions {
    return {
      onSetAside: (failure) => {
        this.#metrics?.setAside.inc();
        this.#options.onSetAside?.(failure);
      },
    };
  }

  /** {@link retryProjectionFailure}, reporting a new failure to `onSetAside`. */
  retry(eventId: string): ReturnType<typeof retryProjectionFailure> {
    return retryProjectionFailure(this.#store, eventId, this.#drainOptions());
  }

  /** Resolves once every event committed before the call has been projected (or its run failed). */
  async idle(): Promise<void> {
    this.#start();
    while (this.#running !== undefined || this.#pending !== undefined) {
      if (this.#pending !== undefined) {
        clearTimeout(this.#pending);
        this.#pending = undefined;
        this.#start();
      }
      await this.#running;
    }
  }

  /** Stops scheduling and waits for the current run. */
  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    clearTimeout(this.#pending);
    this.#pending = undefined;
    await this.#running;
  }
}

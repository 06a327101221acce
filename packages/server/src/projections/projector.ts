import { sql, type Kysely, type Transaction } from 'kysely';
import type { KyselyStore } from '../store/kysely-store.js';
import { EVENT_LIST_COLUMNS, fromEventRow, type StoredEvent } from '../store/stored-event.js';
import {
  applyToStream,
  applyToTask,
  isTaskEvent,
  moderationItemOf,
  newStream,
  newTask,
  transcriptOf,
  type ModerationItemRow,
} from './project-event.js';
import {
  DERIVED_TABLES,
  type ModerationItemsTable,
  type ProjectionDatabase,
  type StreamsTable,
  type TrtcTasksTable,
} from './projection-tables.js';
import { transcriptSearchFor } from './transcript-search.js';

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
 * sharing a database take a transaction-scoped advisory lock per schema.
 */
const LOCKS: Record<KyselyStore['dialect'], (trx: Trx) => Promise<void>> = {
  sqlite: async () => {},
  postgres: async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(current_schema() || '.livehooks_projector'))`.execute(
      trx,
    );
  },
};

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
      .values(part as StreamsTable[])
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
    if (transcript !== undefined) transcripts.push(transcript);
  }
  for (const part of chunk(await withReviews(trx, items), ROWS_PER_INSERT)) {
    await trx
      .insertInto('moderation_items')
      .values(part)
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
  await transcriptSearchFor(store.profile).index(trx, indexed);

  const streamEvents = events.filter(
    (event) => event.family === 'css' && event.subject.streamId !== undefined,
  );
  const streams = new Map<string, StreamsTable>();
  const keyOf = (appId: string, streamId: string) => JSON.stringify([appId, streamId]);
  for (const ids of chunk(
    [...new Set(streamEvents.map((event) => event.subject.streamId!))],
    ROWS_PER_INSERT,
  )) {
    const rows = await trx.selectFrom('streams').selectAll().where('stream_id', 'in', ids).execute();
    for (const row of rows) streams.set(keyOf(row.app_id, row.stream_id), normaliseStream(row));
  }
  for (const event of streamEvents) {
    const appId = event.subject.appId ?? '';
    const streamId = event.subject.streamId!;
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

/**
 * Applies up to `size` queued events in one transaction (projections written and queue rows removed
 * together, so each event is applied exactly once). Returns how many were taken from the queue.
 */
async function projectPage(store: KyselyStore, size: number): Promise<number> {
  return projectionDb(store)
    .transaction()
    .execute(async (trx) => {
      await LOCKS[store.dialect](trx);
      const queued = await trx
        .selectFrom('projection_queue')
        .select('event_id')
        .orderBy('event_id')
        .limit(size)
        .execute();
      if (queued.length === 0) return 0;
      const ids = queued.map((row) => row.event_id);
      // An event pruned by retention before it was projected has nothing left to apply.
      const rows = await trx
        .selectFrom('events')
        .select(EVENT_LIST_COLUMNS)
        .where('id', 'in', ids)
        .orderBy('id')
        .execute();
      await applyEvents(trx, store, rows.map(fromEventRow));
      await trx.deleteFrom('projection_queue').where('event_id', 'in', ids).execute();
      return ids.length;
    });
}

/** Applies every queued event; returns how many were applied. */
export async function drainProjectionQueue(
  store: KyselyStore,
  options: { pageSize?: number } = {},
): Promise<number> {
  const size = options.pageSize ?? LIVE_PAGE;
  let total = 0;
  for (;;) {
    const applied = await projectPage(store, size);
    total += applied;
    if (applied < size) return total;
  }
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
export async function rebuildProjections(store: KyselyStore): Promise<{ events: number }> {
  const search = transcriptSearchFor(store.profile);
  await projectionDb(store)
    .transaction()
    .execute(async (trx) => {
      await LOCKS[store.dialect](trx);
      for (const table of DERIVED_TABLES) await trx.deleteFrom(table).execute();
      await search.clear(trx);
      await trx.deleteFrom('projection_queue').execute();
      // Re-queued in the transaction that emptied the tables: every event is applied exactly once more,
      // by this call or by a live projector, whichever takes the page first.
      await trx
        .insertInto('projection_queue')
        .columns(['event_id'])
        .expression((eb) => eb.selectFrom('events').select('id'))
        .execute();
    });
  return { events: await drainProjectionQueue(store, { pageSize: REBUILD_PAGE }) };
}

/** Options for {@link Projector}. */
export interface ProjectorOptions {
  /** Told when a projection transaction fails; the queue keeps the events and the next run retries. */
  onError?: (error: unknown) => void;
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

  constructor(store: KyselyStore, options: ProjectorOptions = {}) {
    this.#store = store;
    this.#options = options;
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
      await drainProjectionQueue(this.#store);
    } catch (error) {
      this.#options.onError?.(error);
    }
    this.#running = undefined;
    if (this.#again) {
      this.#again = false;
      this.schedule();
    }
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

import type { Kysely, Transaction } from 'kysely';
import type { Registry } from 'prom-client';
import type { Database } from '../store/database.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { EVENT_LIST_COLUMNS, fromEventRow } from '../store/stored-event.js';
import { storableText } from '../store/storable.js';
import type { Projection } from './projection.js';
import type { ProjectionFailure, RetryOutcome } from './projection-failure-schemas.js';
import {
  FAILURE_MESSAGE_MAX,
  type ProjectionDatabase,
  type ProjectionFailuresTable,
} from './projection-tables.js';
import { createProjectionMetrics, type ProjectionMetrics } from './projection-metrics.js';

type Trx = Transaction<ProjectionDatabase>;

/** Events applied per transaction while following ingest. */
const LIVE_PAGE = 500;
/** Events applied per transaction during a rebuild. */
const REBUILD_PAGE = 2000;
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

/** The store's query builder with the projector's tables. */
export function projectionDb(store: KyselyStore): Kysely<ProjectionDatabase> {
  return store.db.withTables<Omit<ProjectionDatabase, keyof Database>>();
}

/** The store and the projections the projector keeps. */
interface Engine {
  store: KyselyStore;
  projections: readonly Projection[];
}

/** How many events are set aside. */
export async function countProjectionFailures(store: KyselyStore): Promise<number> {
  const row = await projectionDb(store)
    .selectFrom('projection_failures')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Options of {@link drainProjections} and {@link replayProjections}. */
export interface DrainOptions {
  /** Events applied per transaction. */
  pageSize?: number;
  /** Told once per event set aside (see {@link drainProjections}). */
  onSetAside?: (failure: ProjectionFailure) => void;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
  /**
   * Runs each page (and each retry): by default at once; where the projector runs beside the connection, alone
   * on it between the other work of its thread.
   */
  runPage?: <T>(page: () => Promise<T>) => Promise<T>;
}

const runAtOnce = <T>(page: () => Promise<T>): Promise<T> => page();

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
async function applyQueued(trx: Trx, { store, projections }: Engine, ids: readonly string[]): Promise<void> {
  // An event pruned by retention before it was projected has nothing left to apply.
  const rows = await trx
    .selectFrom('events')
    .select(EVENT_LIST_COLUMNS)
    .where('id', 'in', ids)
    .orderBy('id')
    .execute();
  const events = rows.map(fromEventRow);
  const writer = trx as unknown as Transaction<Database>;
  for (const projection of projections) await projection.apply(writer, events, store.profile);
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
  engine: Engine,
  eventId: string,
  options: DrainOptions,
): Promise<ProjectionFailure | undefined> {
  const { store } = engine;
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
        if (queued !== undefined) await applyQueued(trx, engine, [eventId]);
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
async function projectPage(engine: Engine, size: number, options: DrainOptions): Promise<number> {
  const { store } = engine;
  try {
    return await projectionDb(store)
      .transaction()
      .execute(async (trx) => {
        await store.profile.lockTransaction(trx, PROJECTOR_LOCK);
        const ids = (await queuedIds(trx, size)).map((row) => row.event_id);
        if (ids.length > 0) await applyQueued(trx, engine, ids);
        return ids.length;
      });
  } catch (error) {
    if (!blamesEvents(store, error)) throw error;
  }
  const ids = (await queuedIds(projectionDb(store), size)).map((row) => row.event_id);
  for (const id of ids) await projectAlone(engine, id, options);
  return ids.length;
}

/**
 * Applies every queued event to `projections`; returns how many were taken from the queue. An event whose
 * projection fails because of its own data (a value the database refuses) is set aside: recorded in
 * `projection_failures` with its error, taken off the queue, and reported to `onSetAside`, so it never holds
 * back the others. Failures that are not the events' (the database unreachable, locked or full) are thrown
 * and leave the queue as it was.
 *
 * @example
 * ```ts
 * const applied = await drainProjections(store, gatewayProjections);
 * ```
 */
export async function drainProjections(
  store: KyselyStore,
  projections: readonly Projection[],
  options: DrainOptions = {},
): Promise<number> {
  const size = options.pageSize ?? LIVE_PAGE;
  const runPage = options.runPage ?? runAtOnce;
  let total = 0;
  for (;;) {
    const applied = await runPage(() => projectPage({ store, projections }, size, options));
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
 * const outcome = await retryProjection(store, gatewayProjections, eventId);
 * if (outcome?.projected === false) console.warn(outcome.failure.error);
 * ```
 */
export async function retryProjection(
  store: KyselyStore,
  projections: readonly Projection[],
  eventId: string,
  options: Omit<DrainOptions, 'pageSize'> = {},
): Promise<RetryOutcome | undefined> {
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
  await projectAlone({ store, projections }, eventId, options);
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
 * Empties the tables `projections` derive and replays every stored event into them, oldest id first. Tables
 * of human input (moderation reviews) are kept and re-attached. The same code applies events live, and every
 * rule orders by event time, so the tables equal those built live (tested on both dialects).
 *
 * @example
 * ```ts
 * const { events } = await replayProjections(store, gatewayProjections);
 * ```
 */
export async function replayProjections(
  store: KyselyStore,
  projections: readonly Projection[],
  options: Omit<DrainOptions, 'pageSize'> = {},
): Promise<{ events: number }> {
  await projectionDb(store)
    .transaction()
    .execute(async (trx) => {
      await store.profile.lockTransaction(trx, PROJECTOR_LOCK);
      const writer = trx as unknown as Transaction<Database>;
      for (const projection of projections) {
        for (const table of Object.keys(projection.tables)) {
          await writer.withTables<Record<string, object>>().deleteFrom(table).execute();
        }
        await projection.clear?.(writer, store.profile);
      }
      await trx.deleteFrom('projection_queue').execute();
      // Re-queued in the transaction that emptied the tables: every event is applied exactly once more,
      // by this call or by a live projector, whichever takes the page first.
      await trx
        .insertInto('projection_queue')
        .columns(['event_id'])
        .expression((eb) => eb.selectFrom('events').select('id'))
        .execute();
    });
  return { events: await drainProjections(store, projections, { ...options, pageSize: REBUILD_PAGE }) };
}

/**
 * Takes the events retention deletes (ids below `beforeId`) out of what `projections` derived, in the
 * transaction that deletes them: for {@link KyselyStore.prune}'s `beforeEventsDeleted`. Holds the projector's
 * lock, so no page applies those events meanwhile.
 *
 * @example
 * ```ts
 * await store.prune({ eventRetentionDays: 30, beforeEventsDeleted: (trx, beforeId) =>
 *   forgetProjected(store, gatewayProjections, trx, beforeId) });
 * ```
 */
export async function forgetProjected(
  store: KyselyStore,
  projections: readonly Projection[],
  trx: Transaction<Database>,
  beforeId: string,
): Promise<void> {
  await store.profile.lockTransaction(trx, PROJECTOR_LOCK);
  for (const projection of projections) await projection.forget?.(trx, beforeId, store.profile);
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
  /** {@link DrainOptions.runPage}. */
  runPage?: DrainOptions['runPage'];
}

/** What the gateway asks of its projector, wherever it runs. */
export interface ProjectorHandle {
  /** Asks for a run soon (after a commit stored events). */
  schedule(): void;
  /** Applies a set-aside event again ({@link retryProjection}). */
  retry(eventId: string): Promise<RetryOutcome | undefined>;
  /** Resolves once every event committed before the call has been projected (or its run failed). */
  idle(): Promise<void>;
  /** Stops scheduling and waits for the current run. */
  close(): Promise<void>;
}

/**
 * Keeps the projections up to date: each group commit {@link Projector.schedule}s a run that applies the
 * queued events shortly after the commit (at most {@link BATCH_DELAY_MS} later, batching the commits in
 * between); a periodic sweep retries after failures. Runs never overlap.
 *
 * @example
 * ```ts
 * const projector = new Projector(store, gatewayProjections);
 * committer = new GroupCommitter(store, { onStored: () => projector.schedule() });
 * await projector.idle(); // everything committed so far is projected
 * ```
 */
export class Projector implements ProjectorHandle {
  readonly #store: KyselyStore;
  readonly #projections: readonly Projection[];
  readonly #options: ProjectorOptions;
  #running: Promise<void> | undefined;
  #pending: NodeJS.Timeout | undefined;
  #again = false;
  #closed = false;
  readonly #timer: NodeJS.Timeout;
  readonly #metrics: ProjectionMetrics | undefined;

  constructor(store: KyselyStore, projections: readonly Projection[], options: ProjectorOptions = {}) {
    this.#store = store;
    this.#projections = projections;
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
      await drainProjections(this.#store, this.#projections, this.#drainOptions());
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
      ...(this.#options.runPage === undefined ? {} : { runPage: this.#options.runPage }),
      onSetAside: (failure) => {
        this.#metrics?.setAside.inc();
        this.#options.onSetAside?.(failure);
      },
    };
  }

  /** {@link retryProjection}, reporting a new failure to `onSetAside`. */
  retry(eventId: string): Promise<RetryOutcome | undefined> {
    const runPage = this.#options.runPage ?? runAtOnce;
    return runPage(() => retryProjection(this.#store, this.#projections, eventId, this.#drainOptions()));
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

import { LivehooksError } from '@livehooks/core';
import {
  Migrator,
  sql,
  type CompiledQuery,
  type Insertable,
  type Kysely,
  type QueryResult,
  type Transaction,
} from 'kysely';
import type { Database, RejectionsTable } from './database.js';
import type { DialectProfile } from './dialect-profile.js';
import type { MigrationSet } from './migrations.js';
import { fromRejectionRow, type RejectionRecord } from './rejection.js';
import {
  EVENT_LIST_COLUMNS,
  fromEventRow,
  fromEventRowDetail,
  type EventRow,
  type StoredEvent,
  type StoredEventDetail,
} from './stored-event.js';

/** One group commit: the events and rejection records of many requests, written in one transaction. */
export interface CommitBatch {
  events: readonly EventRow[];
  rejections: readonly Insertable<RejectionsTable>[];
  /**
   * Statements run in the same transaction after the events: rows of other features that belong to the
   * batch's events (the outbox selects from `events` by id, so a duplicate's rows select nothing).
   */
  followUps?: readonly CompiledQuery[];
}

/** The outcome of a {@link KyselyStore.commitBatch}. */
export interface CommitResult {
  /** Per event of the batch, in order: true when stored, false when its dedupe key was already there. */
  inserted: boolean[];
  /** False when the duplicate counters could not be updated (the batch itself is committed). */
  duplicatesCounted: boolean;
}

/** The columns a type filter matches: the event's type, and the type a `*.unknown` event was classified as. */
type TypeColumn = 'type' | 'classified_as';

/**
 * Two ordered pages, one per {@link TypeColumn}, merged into one in id order without repeats. Two queries
 * rather than one `OR`, so each walks its own `(column, id)` index and stops at the page size.
 */
function byId<T extends { id: string }>(pages: readonly (readonly T[])[], order: 'asc' | 'desc'): T[] {
  const rows = new Map<string, T>();
  for (const page of pages) for (const row of page) rows.set(row.id, row);
  const sign = order === 'asc' ? 1 : -1;
  return [...rows.values()].sort((a, b) => (a.id < b.id ? -sign : a.id > b.id ? sign : 0));
}

/** Filters of {@link KyselyStore.listEvents}. */
export interface EventQuery {
  /** Any of these types. */
  types?: readonly string[];
  streamId?: string;
  roomId?: string;
  taskId?: string;
  userId?: string;
  family?: string;
  /** Words the summary contains (case-insensitive substring). */
  text?: string;
  /** Received at or after, ms since the epoch. */
  since?: number;
  /** Received before, ms since the epoch. */
  until?: number;
  /** Only events older than this id (the cursor). */
  before?: string;
  /** The start of the id: lowercase, its digits and dashes where a UUID has them. */
  idPrefix?: string;
  /** Page size. */
  limit: number;
}

/** The layout of an event id: `x` is a hexadecimal digit. */
export const UUID_TEMPLATE = 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';

/** Filters of a live tail. */
export interface TailFilter {
  types?: readonly string[];
  streamId?: string;
}

/** Options for {@link KyselyStore.prune}. */
export interface PruneOptions {
  /** Delete events received more than this many days ago. Default: keep every event. */
  eventRetentionDays?: number;
  /** Keep at most this many rejection records, the newest. Default 10 000. */
  rejectionMaxRows?: number;
  /** Delete rejection records older than this many days. Default 7. */
  rejectionRetentionDays?: number;
  /** The current time in ms; injectable for tests. */
  now?: number;
  /**
   * Runs in the transaction that deletes the old events, before it does: what other features derived from
   * the events with ids below `beforeId` is taken out with them.
   */
  beforeEventsDeleted?: (trx: Transaction<Database>, beforeId: string) => Promise<void>;
}

/** What {@link KyselyStore.prune} deleted. */
export interface PruneResult {
  events: number;
  rejections: number;
}

/** Counts returned by {@link KyselyStore.stats}. */
export interface StoreStats {
  dialect: 'sqlite' | 'postgres';
  /** The database, without credentials. */
  description: string;
  events: {
    total: number;
    byType: Record<string, number>;
    stale: number;
    /** Duplicate deliveries absorbed by deduplication. */
    duplicates: number;
    oldestReceivedAt: number | null;
    newestReceivedAt: number | null;
  };
  rejections: { total: number; byReason: Record<string, number> };
}

/** Default bound on the rejection records. */
export const DEFAULT_REJECTION_MAX_ROWS = 10_000;
/** Default age limit of the rejection records, in days. */
export const DEFAULT_REJECTION_RETENTION_DAYS = 7;
const DAY_MS = 86_400_000;
/** Rows per rejection INSERT statement. */
const MAX_ROWS_PER_INSERT = 500;
/**
 * Rows per event INSERT statement. Each statement shape (1 to this many rows) is compiled once and its
 * prepared statement reused; a batch up to this size is one statement.
 */
const MAX_EVENTS_PER_INSERT = 128;

interface CompiledInsert {
  query: CompiledQuery<{ id: string }>;
  /** For each parameter of the query, the row (within the chunk) and column it takes its value from. */
  slots: [number, keyof EventRow][];
}

/**
 * The smallest UUIDv7 of a millisecond: ids carry their receipt time in their first 48 bits (RFC 9562), so
 * `id >= idFloor(t)` selects what was received at or after `t`, through the primary key.
 */
export function idFloor(ms: number): string {
  const clamped = Math.min(Math.max(Math.floor(ms), 0), 2 ** 48 - 1);
  const hex = clamped.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-0000-0000-000000000000`;
}

function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function countMap(
  rows: readonly { key: string | null; count: number | string | bigint }[],
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const row of rows) out[row.key ?? ''] = Number(row.count);
  return out;
}

/**
 * The gateway's storage over Kysely, on SQLite or PostgreSQL with the same schema and migrations. Writes go
 * through {@link KyselyStore.commitBatch}, one transaction per group commit; reads serve the query API.
 *
 * @example
 * ```ts
 * const store = await openStore('./data/livehooks.db');
 * await store.migrate();
 * const { items } = await store.listEvents({ types: ['css.porn'], limit: 20 });
 * await store.close();
 * ```
 */
export class KyselyStore {
  /** The typed query builder, for features that add tables in later migrations. */
  readonly db: Kysely<Database>;
  readonly profile: DialectProfile;
  readonly #migrations: MigrationSet;
  readonly #rejectionsPerInsert: number;
  readonly #inserts = new Map<number, CompiledInsert>();

  /** `migrations`: the schema of the store and of the features that keep tables in it. */
  constructor(db: Kysely<Database>, profile: DialectProfile, migrations: MigrationSet) {
    this.db = db;
    this.profile = profile;
    this.#migrations = migrations;
    this.#rejectionsPerInsert = Math.min(MAX_ROWS_PER_INSERT, Math.floor(profile.maxParameters / 12));
  }

  /** `sqlite` or `postgres`. */
  get dialect(): 'sqlite' | 'postgres' {
    return this.profile.name;
  }

  /**
   * Brings the schema to the latest migration; safe to run concurrently from several processes (Kysely
   * takes a migration lock). Returns the names of the migrations it applied.
   */
  async migrate(): Promise<{ applied: string[] }> {
    try {
      await this.profile.prepare(this.db);
    } catch (cause) {
      throw LivehooksError.of(
        'LH_ERR_STORE_UNAVAILABLE',
        { dialect: this.dialect, action: 'prepare the database', reason: (cause as Error).message },
        { cause },
      );
    }
    const { error, results = [] } = await this.#migrator().migrateToLatest();
    if (error !== undefined) {
      const failed = results.find((result) => result.status === 'Error')?.migrationName;
      throw LivehooksError.of(
        'LH_ERR_STORE_UNAVAILABLE',
        {
          dialect: this.dialect,
          action: failed === undefined ? 'take the migration lock' : `apply database migration ${failed}`,
          reason: error instanceof Error ? error.message : 'unknown error',
        },
        { cause: error },
      );
    }
    return { applied: results.filter((result) => result.status === 'Success').map((r) => r.migrationName) };
  }

  #migrator(): Migrator {
    return new Migrator({
      db: this.db,
      provider: { getMigrations: () => Promise.resolve(this.#migrations(this.profile)) },
      ...(this.profile.schema === undefined ? {} : { migrationTableSchema: this.profile.schema }),
    });
  }

  /**
   * The migrations this store has applied and those it lacks, without changing anything: tools that only read
   * a store check it holds the schema they query.
   */
  async migrations(): Promise<{ applied: string[]; pending: string[] }> {
    const all = await this.#migrator().getMigrations();
    return {
      applied: all.filter((migration) => migration.executedAt !== undefined).map(({ name }) => name),
      pending: all.filter((migration) => migration.executedAt === undefined).map(({ name }) => name),
    };
  }

  /**
   * Writes a group commit in one transaction (one commit, one fsync): every rejection record, then every
   * event with `INSERT ... ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`. An event whose key exists (a
   * sender retry, or the same callback received by another replica) is not stored again; its first copy's
   * duplicate counter grows. Rows are inserted in dedupe-key order so concurrent transactions on PostgreSQL
   * lock keys in the same order and cannot deadlock each other.
   */
  async commitBatch(batch: CommitBatch): Promise<CommitResult> {
    const { events, rejections } = batch;
    const queries: CompiledQuery[] = chunk(rejections, this.#rejectionsPerInsert).map((rows) =>
      this.db.insertInto('rejections').values(rows).compile(),
    );
    const firstEventQuery = queries.length;
    const order = events.map((_, index) => index);
    order.sort((a, b) => {
      const ka = events[a]!.dedupe_key;
      const kb = events[b]!.dedupe_key;
      return ka < kb ? -1 : ka > kb ? 1 : a - b;
    });
    for (const indexes of chunk(order, MAX_EVENTS_PER_INSERT)) {
      queries.push(this.#insertQuery(indexes.map((index) => events[index]!)));
    }
    const eventQueriesEnd = queries.length;
    if (batch.followUps !== undefined) queries.push(...batch.followUps);
    if (queries.length === 0) return { inserted: [], duplicatesCounted: true };

    const results = await this.#executeAtomically(queries);
    const insertedIds = new Set<string>();
    for (const result of results.slice(firstEventQuery, eventQueriesEnd)) {
      for (const row of result.rows as { id: string }[]) insertedIds.add(row.id);
    }
    const inserted = events.map((event) => insertedIds.has(event.id));
    const duplicates = new Map<string, number>();
    events.forEach((event, index) => {
      if (!inserted[index]) duplicates.set(event.dedupe_key, (duplicates.get(event.dedupe_key) ?? 0) + 1);
    });
    let duplicatesCounted = true;
    if (duplicates.size > 0) {
      // The counter is a statistic, not evidence: it is updated after the commit that decided what is new,
      // and a failure here does not turn acknowledged callbacks into refusals.
      try {
        await this.#countDuplicates(duplicates);
      } catch {
        duplicatesCounted = false;
      }
    }
    return { inserted, duplicatesCounted };
  }

  /** Runs statements as one transaction with one commit, in as few database round trips as the dialect allows. */
  async #executeAtomically(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    if (this.profile.executeTransaction !== undefined) return this.profile.executeTransaction(queries);
    // A single statement outside an explicit transaction is its own transaction: one round trip, one commit.
    if (queries.length === 1) return [await this.db.executeQuery(queries[0]!)];
    return this.db.transaction().execute(async (trx) => {
      const results: QueryResult<unknown>[] = [];
      for (const query of queries) results.push(await trx.executeQuery(query));
      return results;
    });
  }

  async #countDuplicates(duplicates: Map<string, number>): Promise<void> {
    const now = Date.now();
    // In key order, like the inserts, so concurrent replicas lock rows in the same order.
    const ordered = [...duplicates].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    await this.db.transaction().execute(async (trx) => {
      for (const [dedupeKey, count] of ordered) {
        await trx
          .updateTable('events')
          .set((eb) => ({ duplicates: eb('duplicates', '+', count), last_duplicate_at: now }))
          .where('dedupe_key', '=', dedupeKey)
          .execute();
      }
    });
  }

  /** The cached `INSERT ... ON CONFLICT (dedupe_key) DO NOTHING RETURNING id` for these rows. */
  #insertQuery(rows: readonly EventRow[]): CompiledQuery<{ id: string }> {
    let compiled = this.#inserts.get(rows.length);
    if (compiled === undefined) {
      compiled = this.#compileInsert(rows.length, Object.keys(rows[0]!) as (keyof EventRow)[]);
      this.#inserts.set(rows.length, compiled);
    }
    const parameters = compiled.slots.map(([row, column]) => rows[row]![column]);
    return { ...compiled.query, parameters };
  }

  #compileInsert(size: number, columns: (keyof EventRow)[]): CompiledInsert {
    // Distinct placeholder values reveal which row and column each compiled parameter belongs to.
    const slotOf = new Map<string, [number, keyof EventRow]>();
    const rows = Array.from({ length: size }, (_, row) =>
      Object.fromEntries(
        columns.map((column) => {
          const marker = `\u0000slot:${row}:${column}`;
          slotOf.set(marker, [row, column]);
          return [column, marker];
        }),
      ),
    ) as unknown as EventRow[];
    const query = this.db
      .insertInto('events')
      .values(rows)
      .onConflict((conflict) => conflict.column('dedupe_key').doNothing())
      .returning('id')
      .compile();
    const slots = query.parameters.map((parameter) => {
      const slot = slotOf.get(parameter as string);
      if (slot === undefined) throw new Error('cannot map a compiled INSERT parameter to its row and column');
      return slot;
    });
    return { query, slots };
  }

  /**
   * Events matching `query`, newest first; `hasMore` when another page follows the last item. A type
   * filter also matches `*.unknown` events classified as one of the types before they failed its schema.
   */
  async listEvents(query: EventQuery): Promise<{ items: StoredEvent[]; hasMore: boolean }> {
    if (query.types !== undefined && query.types.length === 0) return { items: [], hasMore: false };
    const select = (typeColumn?: TypeColumn) => {
      let select = this.db
        .selectFrom('events')
        .select(EVENT_LIST_COLUMNS)
        .orderBy('id', 'desc')
        .limit(query.limit + 1);
      if (typeColumn !== undefined) select = select.where(typeColumn, 'in', query.types!);
      if (query.streamId !== undefined) select = select.where('stream_id', '=', query.streamId);
      if (query.roomId !== undefined) select = select.where('room_id', '=', query.roomId);
      if (query.taskId !== undefined) select = select.where('task_id', '=', query.taskId);
      if (query.userId !== undefined) select = select.where('user_id', '=', query.userId);
      if (query.family !== undefined) select = select.where('family', '=', query.family);
      if (query.text !== undefined) {
        const pattern = `%${query.text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
        select = select.where(sql<boolean>`lower(summary) like ${pattern} escape '\\'`);
      }
      if (query.since !== undefined) select = select.where('id', '>=', idFloor(query.since));
      if (query.until !== undefined) select = select.where('id', '<', idFloor(query.until));
      if (query.before !== undefined) select = select.where('id', '<', query.before);
      if (query.idPrefix !== undefined) {
        // The ids starting so are those between the prefix completed with the lowest and highest digits,
        // through the primary key (a PostgreSQL uuid column has no LIKE).
        const rest = UUID_TEMPLATE.slice(query.idPrefix.length);
        select = select
          .where('id', '>=', query.idPrefix + rest.replaceAll('x', '0'))
          .where('id', '<=', query.idPrefix + rest.replaceAll('x', 'f'));
      }
      return select.execute();
    };
    const rows =
      query.types === undefined
        ? await select()
        : byId(await Promise.all([select('type'), select('classified_as')]), 'desc');
    return { items: rows.slice(0, query.limit).map(fromEventRow), hasMore: rows.length > query.limit };
  }

  /**
   * Events stored after the event `afterId`, oldest first: what a live tail missed since `Last-Event-ID`.
   * Types match as in {@link listEvents}.
   */
  async listEventsAfter(afterId: string, filter: TailFilter, limit: number): Promise<StoredEvent[]> {
    if (filter.types !== undefined && filter.types.length === 0) return [];
    const select = (typeColumn?: TypeColumn) => {
      let select = this.db
        .selectFrom('events')
        .select(EVENT_LIST_COLUMNS)
        .where('id', '>', afterId)
        .orderBy('id', 'asc')
        .limit(limit);
      if (typeColumn !== undefined) select = select.where(typeColumn, 'in', filter.types!);
      if (filter.streamId !== undefined) select = select.where('stream_id', '=', filter.streamId);
      return select.execute();
    };
    const rows =
      filter.types === undefined
        ? await select()
        : byId(await Promise.all([select('type'), select('classified_as')]), 'asc');
    return rows.slice(0, limit).map(fromEventRow);
  }

  /** One event with its payload, raw bytes and headers; undefined when no event has this id. */
  async getEvent(id: string): Promise<StoredEventDetail | undefined> {
    const row = await this.db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : fromEventRowDetail(row);
  }

  /** Rejection records, newest first. */
  async listRejections(options: { limit: number; before?: string }): Promise<RejectionRecord[]> {
    let select = this.db.selectFrom('rejections').selectAll().orderBy('id', 'desc').limit(options.limit);
    if (options.before !== undefined) select = select.where('id', '<', options.before);
    return (await select.execute()).map(fromRejectionRow);
  }

  /** Throws when the database cannot answer a trivial query. */
  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  /**
   * Applies retention: rejection records beyond their bound or age, and events older than the event
   * retention when one is set. The gateway's store is pruned with `pruneGatewayStore`, which takes the deleted
   * events out of what its projections count (`beforeEventsDeleted`).
   */
  async prune(options: PruneOptions = {}): Promise<PruneResult> {
    const now = options.now ?? Date.now();
    const maxRows = options.rejectionMaxRows ?? DEFAULT_REJECTION_MAX_ROWS;
    const rejectionCutoff =
      now - (options.rejectionRetentionDays ?? DEFAULT_REJECTION_RETENTION_DAYS) * DAY_MS;
    let rejections = 0;
    const byAge = await this.db
      .deleteFrom('rejections')
      .where('id', '<', idFloor(rejectionCutoff))
      .executeTakeFirst();
    rejections += Number(byAge.numDeletedRows);
    const boundary = await this.db
      .selectFrom('rejections')
      .select('id')
      .orderBy('id', 'desc')
      .offset(maxRows)
      .limit(1)
      .executeTakeFirst();
    if (boundary !== undefined) {
      const byCount = await this.db
        .deleteFrom('rejections')
        .where('id', '<=', boundary.id)
        .executeTakeFirst();
      rejections += Number(byCount.numDeletedRows);
    }
    let events = 0;
    if (options.eventRetentionDays !== undefined) {
      const beforeId = idFloor(now - options.eventRetentionDays * DAY_MS);
      const { beforeEventsDeleted } = options;
      const result = await this.db.transaction().execute(async (trx) => {
        await beforeEventsDeleted?.(trx, beforeId);
        return trx.deleteFrom('events').where('id', '<', beforeId).executeTakeFirst();
      });
      events = Number(result.numDeletedRows);
    }
    return { events, rejections };
  }

  /** Counts of stored events and rejection records. */
  async stats(): Promise<StoreStats> {
    const totals = await this.db
      .selectFrom('events')
      .select((eb) => [
        eb.fn.countAll<number>().as('total'),
        sql<number>`cast(coalesce(sum(stale), 0) as bigint)`.as('stale'),
        sql<number>`cast(coalesce(sum(duplicates), 0) as bigint)`.as('duplicates'),
        eb.fn.min('received_at').as('oldest'),
        eb.fn.max('received_at').as('newest'),
      ])
      .executeTakeFirstOrThrow();
    const byType = await this.db
      .selectFrom('events')
      .select((eb) => [eb.ref('type').as('key'), eb.fn.countAll<number>().as('count')])
      .groupBy('type')
      .execute();
    const byReason = await this.db
      .selectFrom('rejections')
      .select((eb) => [eb.ref('reason').as('key'), eb.fn.countAll<number>().as('count')])
      .groupBy('reason')
      .execute();
    const reasons = countMap(byReason);
    return {
      dialect: this.profile.name,
      description: this.profile.description,
      events: {
        total: Number(totals.total),
        byType: countMap(byType),
        stale: Number(totals.stale),
        duplicates: Number(totals.duplicates),
        oldestReceivedAt: totals.oldest === null ? null : Number(totals.oldest),
        newestReceivedAt: totals.newest === null ? null : Number(totals.newest),
      },
      rejections: { total: Object.values(reasons).reduce((sum, n) => sum + n, 0), byReason: reasons },
    };
  }

  /** Closes the connection (SQLite) or the pool (PostgreSQL). */
  async close(): Promise<void> {
    await this.db.destroy();
  }
}

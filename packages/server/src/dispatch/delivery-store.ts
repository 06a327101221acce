import { createEventId } from '@livehooks/core';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database } from '../store/database.js';
import { idFloor, type KyselyStore } from '../store/kysely-store.js';
import { EVENT_LIST_COLUMNS, fromEventRow } from '../store/stored-event.js';
import type { Delivery, DeliveryAttempt } from './delivery-schemas.js';
import type { DeliveryStatus } from './outbox.js';
import type { DeliveryEnvelope } from './sink.js';

/** The `deliveries` table (migration `0003_outbox`). */
export interface DeliveriesTable {
  id: string;
  event_id: string;
  event_type: string;
  sink: string;
  status: DeliveryStatus;
  attempts: number;
  /** When the delivery is due, ms since the epoch. */
  next_attempt_at: number;
  /** A claimed delivery is reserved for its process until then; past it, any process may retry it. */
  locked_until: number | null;
  /** The claim token of the process attempting it. */
  locked_by: string | null;
  last_error: string | null;
  /** JSON the sink reported (e.g. the Tencent API request and answer). */
  result: string | null;
  created_at: number;
  updated_at: number;
  delivered_at: number | null;
}

/** The `sink_states` table: sinks switched off by their endpoint (HTTP 410). */
export interface SinkStatesTable {
  name: string;
  disabled_at: number;
  reason: string;
}

/** The `delivery_attempts` table (migration `0008_delivery_attempts`): one row per finished attempt. */
export interface DeliveryAttemptsTable {
  /** UUIDv7 of the attempt's start. */
  id: string;
  delivery_id: string;
  sink: string;
  /** The delivery's attempt number, from 1 (a retry by hand starts again at 1). */
  attempt: number;
  status: DeliveryAttempt['status'];
  error: string | null;
  /** JSON the sink reported on success. */
  result: string | null;
  started_at: number;
  duration_ms: number;
}

type DispatchTables = {
  deliveries: DeliveriesTable;
  sink_states: SinkStatesTable;
  delivery_attempts: DeliveryAttemptsTable;
};
type DispatchDatabase = Database & DispatchTables;
type DeliveryRow = Selectable<DeliveriesTable>;

/** A claimed delivery with its event. */
export interface ClaimedDelivery {
  id: string;
  eventId: string;
  sink: string;
  /** This attempt's number, from 1. */
  attempt: number;
  /** Undefined when the event was deleted by retention. */
  envelope: DeliveryEnvelope | undefined;
}

/** When and how long one attempt ran, and which it was. */
interface AttemptTiming {
  /** The delivery id. */
  id: string;
  sink: string;
  attempt: number;
  startedAt: number;
  durationMs: number;
}

/** The outcome of one attempt. */
export type AttemptOutcome = AttemptTiming &
  ({ ok: true; result?: unknown } | { ok: false; error: string; retryAt: number | undefined });

/** Per sink: deliveries by status, the oldest pending one and the attempts of a recent window. */
export interface SinkFigures {
  counts: Partial<Record<DeliveryStatus, number>>;
  oldestPendingAt: number | null;
  attempts: number;
  succeeded: number;
}

/** Filters of {@link DeliveryStore.list}. */
export interface DeliveryQuery {
  status?: DeliveryStatus;
  sink?: string;
  eventId?: string;
  before?: string;
  limit: number;
}

/** How long delivery attempts are kept when no event retention is configured, in days. */
export const ATTEMPT_RETENTION_DAYS = 30;
/** Longest recorded error text. */
const MAX_ERROR_LENGTH = 500;

function toAttemptRow(outcome: AttemptOutcome): Selectable<DeliveryAttemptsTable> {
  return {
    id: createEventId(outcome.startedAt),
    delivery_id: outcome.id,
    sink: outcome.sink,
    attempt: outcome.attempt,
    status: outcome.ok ? 'delivered' : 'failed',
    error: outcome.ok ? null : outcome.error.slice(0, MAX_ERROR_LENGTH),
    result: outcome.ok && outcome.result !== undefined ? JSON.stringify(outcome.result) : null,
    started_at: outcome.startedAt,
    duration_ms: outcome.durationMs,
  };
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    sink: row.sink,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: row.status === 'pending' ? Number(row.next_attempt_at) : null,
    lastError: row.last_error,
    result: row.result === null ? null : (JSON.parse(row.result) as unknown),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    deliveredAt: row.delivered_at === null ? null : Number(row.delivered_at),
  };
}

/**
 * The outbox's reads and writes beside {@link KyselyStore}: claims with a lease (`FOR UPDATE SKIP LOCKED` on
 * PostgreSQL, so replicas share the work), outcomes, and the operator's retries and releases.
 *
 * @example
 * ```ts
 * const deliveries = new DeliveryStore(store);
 * const claimed = await deliveries.claim({ sink: 'ops', limit: 10, now: Date.now(), leaseMs: 60_000, token });
 * ```
 */
export class DeliveryStore {
  readonly #db: Kysely<DispatchDatabase>;
  /** SKIP LOCKED exists on PostgreSQL; SQLite serialises writers and serves one process. */
  readonly #skipLocked: boolean;

  constructor(store: KyselyStore) {
    this.#db = store.db.withTables<DispatchTables>();
    this.#skipLocked = store.profile.skipLocked;
  }

  /** On a single-process database (SQLite), leases left by a killed process are void: release them now. */
  async releaseOrphanedLeases(): Promise<number> {
    if (this.#skipLocked) return 0;
    const result = await this.#db
      .updateTable('deliveries')
      .set({ locked_until: null, locked_by: null })
      .where('status', '=', 'pending')
      .where('locked_by', 'is not', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Reserves up to `limit` due deliveries of one sink for `leaseMs` and counts the attempt; returns them
   * with their events. A process killed mid-delivery leaves the lease to expire, and the delivery is retried.
   */
  async claim(options: {
    sink: string;
    limit: number;
    now: number;
    leaseMs: number;
    token: string;
  }): Promise<ClaimedDelivery[]> {
    const { sink, limit, now, leaseMs, token } = options;
    const lock = this.#skipLocked ? sql` for update skip locked` : sql``;
    const claimed = await sql<{ id: string; event_id: string; attempts: number }>`
      update deliveries set locked_until = ${now + leaseMs}, locked_by = ${token}, attempts = attempts + 1, updated_at = ${now}
      where id in (
        select id from deliveries
        where sink = ${sink} and status = 'pending' and next_attempt_at <= ${now}
          and (locked_until is null or locked_until <= ${now})
        order by next_attempt_at
        limit ${limit}${lock})
      returning id, event_id, attempts`.execute(this.#db);
    if (claimed.rows.length === 0) return [];
    const eventIds = [...new Set(claimed.rows.map((row) => row.event_id))];
    const events = await this.#db
      .selectFrom('events')
      .select([...EVENT_LIST_COLUMNS, 'payload'])
      .where('id', 'in', eventIds)
      .execute();
    const byId = new Map(events.map((row) => [row.id, toEnvelope(row)]));
    return claimed.rows
      .map((row) => ({
        id: row.id,
        eventId: row.event_id,
        sink,
        attempt: Number(row.attempts),
        envelope: byId.get(row.event_id),
      }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
  }

  /**
   * Records attempt outcomes in one transaction, each only if this process still holds the delivery's lease
   * (`token`): a late answer after the lease passed to another process changes nothing.
   */
  async record(outcomes: readonly AttemptOutcome[], token: string, now: number): Promise<void> {
    if (outcomes.length === 0) return;
    const delivered = outcomes
      .filter((outcome) => outcome.ok && outcome.result === undefined)
      .map((o) => o.id);
    await this.#db.transaction().execute(async (trx) => {
      const held = new Set<string>();
      if (delivered.length > 0) {
        const rows = await trx
          .updateTable('deliveries')
          .set({
            status: 'delivered',
            delivered_at: now,
            updated_at: now,
            locked_until: null,
            locked_by: null,
            last_error: null,
          })
          .where('id', 'in', delivered)
          .where('locked_by', '=', token)
          .returning('id')
          .execute();
        for (const row of rows) held.add(row.id);
      }
      for (const outcome of outcomes) {
        if (outcome.ok && outcome.result === undefined) continue;
        const set = outcome.ok
          ? {
              status: 'delivered' as const,
              delivered_at: now,
              last_error: null,
              result: JSON.stringify(outcome.result),
            }
          : {
              status: outcome.retryAt === undefined ? ('dead' as const) : ('pending' as const),
              next_attempt_at: outcome.retryAt ?? now,
              last_error: outcome.error.slice(0, MAX_ERROR_LENGTH),
            };
        const updated = await trx
          .updateTable('deliveries')
          .set({ ...set, updated_at: now, locked_until: null, locked_by: null })
          .where('id', '=', outcome.id)
          .where('locked_by', '=', token)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) > 0) held.add(outcome.id);
      }
      // Only the attempts whose outcome was recorded: a late answer after the lease passed left no trace.
      const attempts = outcomes.filter((outcome) => held.has(outcome.id)).map(toAttemptRow);
      if (attempts.length > 0) await trx.insertInto('delivery_attempts').values(attempts).execute();
    });
  }

  /** The attempts of one delivery, oldest first. */
  async attemptsOf(deliveryId: string): Promise<DeliveryAttempt[]> {
    const rows = await this.#db
      .selectFrom('delivery_attempts')
      .selectAll()
      .where('delivery_id', '=', deliveryId)
      .orderBy('id', 'asc')
      .execute();
    return rows.map((row) => ({
      attempt: Number(row.attempt),
      status: row.status,
      error: row.error,
      result: row.result === null ? null : (JSON.parse(row.result) as unknown),
      startedAt: Number(row.started_at),
      durationMs: Number(row.duration_ms),
    }));
  }

  /** Deletes the attempts that started before `before` (ms since the epoch); returns how many. */
  async pruneAttempts(before: number): Promise<number> {
    const result = await this.#db
      .deleteFrom('delivery_attempts')
      .where('id', '<', idFloor(before))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /**
   * Per sink: its deliveries by status, when its oldest pending delivery was created, and its attempts
   * (and how many succeeded) since `since`.
   */
  async sinkFigures(since: number): Promise<Map<string, SinkFigures>> {
    const figures = new Map<string, SinkFigures>();
    const of = (sink: string): SinkFigures => {
      let entry = figures.get(sink);
      if (entry === undefined) {
        entry = { counts: {}, oldestPendingAt: null, attempts: 0, succeeded: 0 };
        figures.set(sink, entry);
      }
      return entry;
    };
    const counts = await this.#db
      .selectFrom('deliveries')
      .select((eb) => ['sink', 'status', eb.fn.countAll<number>().as('count')])
      .groupBy(['sink', 'status'])
      .execute();
    for (const row of counts) of(row.sink).counts[row.status] = Number(row.count);
    for (const row of await this.backlog())
      if (row.oldestCreatedAt !== null) of(row.sink).oldestPendingAt = row.oldestCreatedAt;
    const attempts = await this.#db
      .selectFrom('delivery_attempts')
      .select((eb) => [
        'sink',
        eb.fn.countAll<number>().as('attempts'),
        eb.fn.sum<number>(eb.case().when('status', '=', 'delivered').then(1).else(0).end()).as('succeeded'),
      ])
      .where('id', '>=', idFloor(since))
      .groupBy('sink')
      .execute();
    for (const row of attempts) {
      const entry = of(row.sink);
      entry.attempts = Number(row.attempts);
      entry.succeeded = Number(row.succeeded);
    }
    return figures;
  }

  /** Switches a sink off (HTTP 410): its pending and held deliveries become `disabled`. */
  async disableSink(sink: string, reason: string, now: number): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('sink_states').where('name', '=', sink).execute();
      await trx.insertInto('sink_states').values({ name: sink, disabled_at: now, reason }).execute();
      await trx
        .updateTable('deliveries')
        .set({ status: 'disabled', updated_at: now, locked_until: null, locked_by: null, last_error: reason })
        .where('sink', '=', sink)
        .where('status', 'in', ['pending', 'held'])
        .execute();
    });
  }

  /** Sinks switched off by their endpoint. */
  async disabledSinks(): Promise<Map<string, { disabledAt: number; reason: string }>> {
    const rows = await this.#db.selectFrom('sink_states').selectAll().execute();
    return new Map(
      rows.map((row) => [row.name, { disabledAt: Number(row.disabled_at), reason: row.reason }]),
    );
  }

  /** Deliveries, newest first; `hasMore` when another page follows. */
  async list(query: DeliveryQuery): Promise<{ items: Delivery[]; hasMore: boolean }> {
    let select = this.#db
      .selectFrom('deliveries')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    if (query.sink !== undefined) select = select.where('sink', '=', query.sink);
    if (query.eventId !== undefined) select = select.where('event_id', '=', query.eventId);
    if (query.before !== undefined) select = select.where('id', '<', query.before);
    const rows = await select.execute();
    return { items: rows.slice(0, query.limit).map(toDelivery), hasMore: rows.length > query.limit };
  }

  /** The deliveries of one event, newest first like {@link list}: one per sink it was sent to. */
  async ofEvent(eventId: string): Promise<Delivery[]> {
    const rows = await this.#db
      .selectFrom('deliveries')
      .selectAll()
      .where('event_id', '=', eventId)
      .orderBy('id', 'desc')
      .execute();
    return rows.map(toDelivery);
  }

  /** One delivery, or undefined. */
  async get(id: string): Promise<Delivery | undefined> {
    const row = await this.#db.selectFrom('deliveries').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toDelivery(row);
  }

  /**
   * Makes a delivery due now with a fresh retry schedule. Retrying a `disabled` delivery switches its sink
   * back on (the operator fixed the endpoint): every disabled delivery of that sink is pending again.
   */
  async retry(id: string, now: number): Promise<Delivery | undefined> {
    const row = await this.#db
      .selectFrom('deliveries')
      .select(['sink', 'status'])
      .where('id', '=', id)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    await this.#db.transaction().execute(async (trx) => {
      if (row.status === 'disabled') {
        await trx.deleteFrom('sink_states').where('name', '=', row.sink).execute();
        await trx
          .updateTable('deliveries')
          .set(this.#pendingNow(now))
          .where('sink', '=', row.sink)
          .where('status', '=', 'disabled')
          .execute();
      }
      await trx.updateTable('deliveries').set(this.#pendingNow(now)).where('id', '=', id).execute();
    });
    return this.get(id);
  }

  /** Makes every dead delivery that died in [since, until) due now; returns how many. */
  async retryDead(options: { since?: number; until?: number; sink?: string; now: number }): Promise<number> {
    let update = this.#db
      .updateTable('deliveries')
      .set(this.#pendingNow(options.now))
      .where('status', '=', 'dead');
    if (options.since !== undefined) update = update.where('updated_at', '>=', options.since);
    if (options.until !== undefined) update = update.where('updated_at', '<', options.until);
    if (options.sink !== undefined) update = update.where('sink', '=', options.sink);
    const result = await update.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /**
   * Delivers an event to a sink again: the existing delivery is reset to pending, or a new one is made.
   * Undefined when no event has this id.
   */
  async redeliver(eventId: string, sink: string, now: number): Promise<Delivery | undefined> {
    const event = await this.#db
      .selectFrom('events')
      .select(['id', 'type'])
      .where('id', '=', eventId)
      .executeTakeFirst();
    if (event === undefined) return undefined;
    const existing = await this.#db
      .selectFrom('deliveries')
      .select('id')
      .where('event_id', '=', eventId)
      .where('sink', '=', sink)
      .executeTakeFirst();
    if (existing !== undefined) return this.retry(existing.id, now);
    const id = createEventId(now);
    await this.#db
      .insertInto('deliveries')
      .values({
        id,
        event_id: event.id,
        event_type: event.type,
        sink,
        status: 'pending',
        attempts: 0,
        next_attempt_at: now,
        locked_until: null,
        locked_by: null,
        last_error: null,
        result: null,
        created_at: now,
        updated_at: now,
        delivered_at: null,
      })
      .onConflict((conflict) => conflict.columns(['event_id', 'sink']).doUpdateSet(this.#pendingNow(now)))
      .execute();
    return (await this.get(id)) ?? (await this.#byEventSink(eventId, sink));
  }

  async #byEventSink(eventId: string, sink: string): Promise<Delivery | undefined> {
    const row = await this.#db
      .selectFrom('deliveries')
      .selectAll()
      .where('event_id', '=', eventId)
      .where('sink', '=', sink)
      .executeTakeFirst();
    return row === undefined ? undefined : toDelivery(row);
  }

  /** Releases the held deliveries of a stale event; undefined when no event has this id. */
  async release(eventId: string, now: number): Promise<number | undefined> {
    const event = await this.#db
      .selectFrom('events')
      .select('id')
      .where('id', '=', eventId)
      .executeTakeFirst();
    if (event === undefined) return undefined;
    const result = await this.#db
      .updateTable('deliveries')
      .set({ status: 'pending', next_attempt_at: now, updated_at: now })
      .where('event_id', '=', eventId)
      .where('status', '=', 'held')
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Pending deliveries per sink and the creation time of the oldest, for the queue metrics. */
  async backlog(): Promise<{ sink: string; pending: number; oldestCreatedAt: number | null }[]> {
    const rows = await this.#db
      .selectFrom('deliveries')
      .select((eb) => ['sink', eb.fn.countAll<number>().as('pending'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .groupBy('sink')
      .execute();
    return rows.map((row) => ({
      sink: row.sink,
      pending: Number(row.pending),
      oldestCreatedAt: row.oldest === null ? null : Number(row.oldest),
    }));
  }

  /** The earliest due time of a sink's pending deliveries, or undefined when it has none. */
  async nextDue(sink: string): Promise<number | undefined> {
    const row = await this.#db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.min('next_attempt_at').as('due'))
      .where('sink', '=', sink)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return row?.due === null || row?.due === undefined ? undefined : Number(row.due);
  }

  #pendingNow(now: number) {
    return {
      status: 'pending' as const,
      attempts: 0,
      next_attempt_at: now,
      updated_at: now,
      locked_until: null,
      locked_by: null,
      delivered_at: null,
    };
  }
}

type EnvelopeRow = Pick<Selectable<Database['events']>, (typeof EVENT_LIST_COLUMNS)[number] | 'payload'>;

/** The envelope a sink receives, from the event's row: the stored event with its body, as JSON. */
function toEnvelope(row: EnvelopeRow): DeliveryEnvelope {
  const { duplicates: _duplicates, classifiedAs: _classifiedAs, ...event } = fromEventRow(row);
  return { ...event, payload: JSON.parse(row.payload) as Record<string, unknown> };
}

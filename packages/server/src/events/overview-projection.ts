import { sql, type ExpressionBuilder, type Kysely, type Migration, type Transaction } from 'kysely';
import type { ColumnKinds } from '../projections/fit-row.js';
import type { Projection } from '../projections/projection.js';
import type { ProjectionDatabase } from '../projections/projection-tables.js';
import type { DialectProfile } from '../store/dialect-profile.js';
import type { Database } from '../store/database.js';

/** How many stored events of a type the projector has applied. */
export interface EventCountsTable {
  type: string;
  events: number;
}

/** A stream health alert the projector has applied, by event time. */
export interface AlertEventsTable {
  event_id: string;
  occurred_at: number;
}

/** The tables of the overview projection. */
export type OverviewDatabase = { event_counts: EventCountsTable; alert_events: AlertEventsTable };

/** The event types the overview lists as alerts (beside the moderation hits). */
export const ALERT_TYPES: readonly string[] = ['css.monitor.stream_broken', 'css.monitor.low_framerate'];

type Db = Kysely<ProjectionDatabase & OverviewDatabase>;

const overviewDb = (db: Kysely<Database> | Transaction<Database>): Db =>
  db.withTables<Omit<ProjectionDatabase, keyof Database> & OverviewDatabase>();

/** Events the projector has applied: those no longer queued for it. */
const applied = (eb: ExpressionBuilder<ProjectionDatabase, 'events'>) =>
  eb.not(
    eb.exists(eb.selectFrom('projection_queue').select('event_id').whereRef('event_id', '=', 'events.id')),
  );

/** Events still queued for the projector. */
const queued = (eb: ExpressionBuilder<ProjectionDatabase, 'events'>) =>
  // `in` rather than a join: SQLite then walks the queue and looks each event up, not the whole store.
  eb('id', 'in', eb.selectFrom('projection_queue').select('event_id'));

/** Adds `delta` to the count of each type, creating the rows it lacks. */
async function addCounts(db: Db, deltas: ReadonlyMap<string, number>): Promise<void> {
  if (deltas.size === 0) return;
  await db
    .insertInto('event_counts')
    .values([...deltas].map(([type, events]) => ({ type, events })))
    .onConflict((conflict) =>
      conflict
        .column('type')
        .doUpdateSet((eb) => ({ events: eb(eb.ref('event_counts.events'), '+', eb.ref('excluded.events')) })),
    )
    .execute();
}

/**
 * What the overview (`GET /api/stats`) reads instead of the whole store: the stored events per type
 * (`event_counts`), and the stream health alerts by event time (`alert_events`, so the latest are an index
 * range). Counts only grow as events are applied; retention takes the events it deletes back out of both
 * ({@link Projection.forget}).
 */
export const overviewProjection: Projection = {
  name: 'overview',
  tables: {
    event_counts: { type: 'key', events: 'bigint' } satisfies ColumnKinds<EventCountsTable>,
    alert_events: { event_id: 'key', occurred_at: 'bigint' } satisfies ColumnKinds<AlertEventsTable>,
  },
  async apply(trx, events) {
    const db = overviewDb(trx);
    const deltas = new Map<string, number>();
    for (const event of events) deltas.set(event.type, (deltas.get(event.type) ?? 0) + 1);
    await addCounts(db, deltas);
    const alerts = events.filter((event) => ALERT_TYPES.includes(event.type));
    if (alerts.length > 0) {
      await db
        .insertInto('alert_events')
        .values(alerts.map((event) => ({ event_id: event.id, occurred_at: event.occurredAt })))
        .onConflict((conflict) => conflict.column('event_id').doNothing())
        .execute();
    }
  },
  async forget(trx, beforeId) {
    const db = overviewDb(trx);
    // Events still queued were never counted: the projector finds them gone and counts nothing.
    const pruned = await db
      .selectFrom('events')
      .select(['type', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('id', '<', beforeId)
      .where(applied)
      .groupBy('type')
      .execute();
    await addCounts(db, new Map(pruned.map((row) => [row.type, -Number(row.n)])));
    await db.deleteFrom('alert_events').where('event_id', '<', beforeId).execute();
  },
};

/**
 * Stored events per type, exact: what the projector counted plus the events still queued for it, read in one
 * statement so that an event moving from the queue to the counts meanwhile is counted once.
 */
export async function countEventsByType(store: { db: Kysely<Database> }): Promise<Record<string, number>> {
  const db = overviewDb(store.db);
  const counted = db.selectFrom('event_counts').select(['type', 'events as n']);
  const waiting = db
    .selectFrom('events')
    .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
    .where(queued)
    .groupBy('type');
  const rows = await db
    .selectFrom(counted.unionAll(waiting).as('c'))
    .select(['c.type', sql<number | string>`sum(c.n)`.as('n')])
    .groupBy('c.type')
    .having(sql`sum(c.n)`, '>', 0)
    .execute();
  const byType: Record<string, number> = {};
  for (const row of rows) byType[row.type] = Number(row.n);
  return byType;
}

/**
 * The ids of the latest stream health alerts by event time, at most `limit`: those the projector applied and
 * those still queued for it, in one statement.
 */
export async function recentAlertIds(store: { db: Kysely<Database> }, limit: number): Promise<string[]> {
  const db = overviewDb(store.db);
  const appliedAlerts = db
    .selectFrom('alert_events')
    .select(['event_id as id', 'occurred_at'])
    .orderBy('occurred_at', 'desc')
    .orderBy('event_id', 'desc')
    .limit(limit);
  const waiting = db
    .selectFrom('events')
    .select(['id', 'occurred_at'])
    .where('type', 'in', ALERT_TYPES)
    .where(queued);
  const rows = await db
    .selectFrom(db.selectFrom(appliedAlerts.as('a')).selectAll().unionAll(waiting).as('c'))
    .select('c.id')
    .orderBy('c.occurred_at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Duplicate deliveries absorbed, summed over the events that had any (a partial index holds only those). */
export async function countDuplicates(store: { db: Kysely<Database> }): Promise<number> {
  const row = await store.db
    .selectFrom('events')
    .select(sql<number | string | null>`sum(duplicates)`.as('n'))
    .where('duplicates', '>', 0)
    .executeTakeFirstOrThrow();
  return Number(row.n ?? 0);
}

/**
 * Migration `0009_overview`: the tables of {@link overviewProjection}, filled from the events already applied
 * (those still queued are applied by the projector), and a partial index of the events that had duplicate
 * deliveries, so their sum reads only those.
 */
export function overviewMigration(profile: DialectProfile): Migration {
  return {
    async up(untyped: Kysely<unknown>) {
      await untyped.schema
        .createTable('event_counts')
        .addColumn('type', 'text', (col) => col.primaryKey())
        .addColumn('events', 'bigint', (col) => col.notNull())
        .execute();
      await untyped.schema
        .createTable('alert_events')
        .addColumn('event_id', profile.types.id, (col) => col.primaryKey())
        .addColumn('occurred_at', 'bigint', (col) => col.notNull())
        .execute();
      await untyped.schema
        .createIndex('alert_events_recent')
        .on('alert_events')
        .columns(['occurred_at', 'event_id'])
        .execute();
      await untyped.schema
        .createIndex('events_duplicated')
        .on('events')
        .column('duplicates')
        .where('duplicates', '>', 0)
        .execute();
      const db = untyped as unknown as Db;
      await db
        .insertInto('event_counts')
        .columns(['type', 'events'])
        .expression((eb) =>
          eb
            .selectFrom('events')
            .select(['type', (count) => count.fn.countAll<number>().as('events')])
            .where(applied)
            .groupBy('type'),
        )
        .execute();
      await db
        .insertInto('alert_events')
        .columns(['event_id', 'occurred_at'])
        .expression((eb) =>
          eb
            .selectFrom('events')
            .select(['id', 'occurred_at'])
            .where('type', 'in', ALERT_TYPES)
            .where(applied),
        )
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('events_duplicated').execute();
      await db.schema.dropTable('alert_events').execute();
      await db.schema.dropTable('event_counts').execute();
    },
  };
}

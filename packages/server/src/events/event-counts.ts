import { sql, type Kysely, type ExpressionBuilder, type Migration, type Transaction } from 'kysely';
import type { ColumnKinds } from '../projections/fit-row.js';
import type { Projection } from '../projections/projection.js';
import type { ProjectionDatabase } from '../projections/projection-tables.js';
import type { Database } from '../store/database.js';

/** How many stored events of a type the projector has applied. */
export interface EventCountsTable {
  type: string;
  events: number;
}

/** The tables of the event counts projection. */
export type EventCountsDatabase = { event_counts: EventCountsTable };

const EVENT_COUNT_COLUMNS: ColumnKinds<EventCountsTable> = { type: 'key', events: 'bigint' };

type Db = Kysely<ProjectionDatabase & EventCountsDatabase>;

const withCounts = (db: Kysely<Database> | Transaction<Database>): Db =>
  db.withTables<Omit<ProjectionDatabase, keyof Database> & EventCountsDatabase>();

/** Events the projector has applied: those no longer queued for it. */
const applied = (eb: ExpressionBuilder<ProjectionDatabase, 'events'>) =>
  eb.not(
    eb.exists(eb.selectFrom('projection_queue').select('event_id').whereRef('event_id', '=', 'events.id')),
  );

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
 * The stored events per type, kept by the projector so that the overview (`GET /api/stats`) reads a row per
 * type instead of counting the whole store. Counts only grow as events are applied; retention takes the
 * events it deletes back out ({@link Projection.forget}).
 */
export const eventCountsProjection: Projection = {
  name: 'event counts',
  tables: { event_counts: EVENT_COUNT_COLUMNS },
  async apply(trx, events) {
    const deltas = new Map<string, number>();
    for (const event of events) deltas.set(event.type, (deltas.get(event.type) ?? 0) + 1);
    await addCounts(withCounts(trx), deltas);
  },
  async forget(trx, beforeId) {
    const db = withCounts(trx);
    // Events still queued were never counted: the projector finds them gone and counts nothing.
    const pruned = await db
      .selectFrom('events')
      .select(['type', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('id', '<', beforeId)
      .where(applied)
      .groupBy('type')
      .execute();
    await addCounts(db, new Map(pruned.map((row) => [row.type, -Number(row.n)])));
  },
};

/**
 * Stored events per type, exact: what the projector counted plus the events still queued for it, read in one
 * statement so that an event moving from the queue to the counts meanwhile is counted once.
 */
export async function countEventsByType(store: { db: Kysely<Database> }): Promise<Record<string, number>> {
  const db = withCounts(store.db);
  const counted = db.selectFrom('event_counts').select(['type', 'events as n']);
  // `in` rather than a join: SQLite then walks the queue and looks each event up, instead of the whole store.
  const queued = db
    .selectFrom('events')
    .select(['type', (eb) => eb.fn.countAll<number>().as('n')])
    .where('id', 'in', (eb) => eb.selectFrom('projection_queue').select('event_id'))
    .groupBy('type');
  const rows = await db
    .selectFrom(counted.unionAll(queued).as('c'))
    .select(['c.type', sql<number | string>`sum(c.n)`.as('n')])
    .groupBy('c.type')
    .having(sql`sum(c.n)`, '>', 0)
    .execute();
  const byType: Record<string, number> = {};
  for (const row of rows) byType[row.type] = Number(row.n);
  return byType;
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
 * Migration `0009_event_counts`: the `event_counts` table of {@link eventCountsProjection}, filled from the
 * events already applied (those still queued are counted by the projector), and a partial index of the events
 * that had duplicate deliveries, so their sum reads only those.
 */
export function eventCountsMigration(): Migration {
  return {
    async up(untyped: Kysely<unknown>) {
      await untyped.schema
        .createTable('event_counts')
        .addColumn('type', 'text', (col) => col.primaryKey())
        .addColumn('events', 'bigint', (col) => col.notNull())
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
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('events_duplicated').execute();
      await db.schema.dropTable('event_counts').execute();
    },
  };
}

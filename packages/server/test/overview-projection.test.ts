import { createEventId, parseCallback } from '@livehooks/core';
import { Migrator } from 'kysely';
import { afterEach, expect, it } from 'vitest';
import {
  countDuplicates,
  countEventsByType,
  overviewProjection,
  recentAlertIds,
  ALERT_TYPES,
} from '../src/events/overview-projection.js';
import { monitorEvent } from './support/crafted-callbacks.js';
import { drainProjections, projectionDb } from '../src/projections/projector.js';
import {
  drainProjectionQueue,
  gatewayMigrations,
  gatewayProjections,
  openStore,
  pruneGatewayStore,
  rebuildProjections,
  type KyselyStore,
} from '../src/index.js';
import { toEventRow, type EventRow } from '../src/store/stored-event.js';
import { describeEachDialect } from './support/databases.js';
import { createCallbackFactory, TEST_PARSE_OPTIONS } from './support/unique-callbacks.js';

const factory = createCallbackFactory();
const DAY = 86_400_000;
let seq = 90_000;

/** The `events` row of a callback received at `receivedAt`. */
function rowOf(callback: { body: string; headers: Record<string, string> }, receivedAt: number): EventRow {
  return toEventRow(
    parseCallback(callback.body, callback.headers, { ...TEST_PARSE_OPTIONS, now: () => receivedAt }),
  );
}

/** A stored-event row of the fixture mix (every kind in turn), received at `receivedAt`. */
function eventRow(receivedAt = Date.now()): EventRow {
  return rowOf(factory.make(seq++), receivedAt);
}

/** A stream health alert that happened at `occurredAt` (ms), received at `receivedAt`. */
function alertRow(occurredAt: number, receivedAt = Date.now()): EventRow {
  const type = seq % 2 === 0 ? 'css.monitor.stream_broken' : 'css.monitor.low_framerate';
  return rowOf(monitorEvent(type, `alerted-${seq++}`, occurredAt), receivedAt);
}

/** The latest alerts by event time, read from the whole store: what the projection must always answer. */
async function alertsByScan(store: KyselyStore, limit: number): Promise<string[]> {
  const rows = await store.db
    .selectFrom('events')
    .select('id')
    .where('type', 'in', ALERT_TYPES)
    .orderBy('occurred_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((row) => row.id);
}

/** Stored events per type, counted over the whole table: what the counts must always equal. */
async function countedByScan(store: KyselyStore): Promise<Record<string, number>> {
  const rows = await store.db
    .selectFrom('events')
    .select(['type', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('type')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.type, Number(row.n)]));
}

async function queued(store: KyselyStore): Promise<number> {
  const row = await projectionDb(store)
    .selectFrom('projection_queue')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachDialect('overview projection', (databases) => {
  const opened: KyselyStore[] = [];
  const open = async (): Promise<KyselyStore> => {
    const store = await openStore(databases.fresh());
    opened.push(store);
    return store;
  };
  afterEach(async () => {
    for (const store of opened.splice(0)) await store.close();
  });

  it('counts queued and applied events exactly, once each, whatever the projector has done', async () => {
    const store = await open();
    await store.migrate();
    await store.commitBatch({ events: Array.from({ length: 40 }, () => eventRow()), rejections: [] });
    expect(await queued(store)).toBe(40);
    const expected = await countedByScan(store);
    expect(Object.keys(expected).length).toBeGreaterThan(5);
    // Every event still queued: counted from the queue.
    expect(await countEventsByType(store)).toEqual(expected);
    // Some applied, some queued.
    await drainProjectionQueue(store, { pageSize: 15 });
    expect(await countEventsByType(store)).toEqual(expected);
    await store.commitBatch({ events: Array.from({ length: 25 }, () => eventRow()), rejections: [] });
    expect(await queued(store)).toBe(25);
    const more = await countedByScan(store);
    expect(await countEventsByType(store)).toEqual(more);
    await drainProjectionQueue(store);
    expect(await queued(store)).toBe(0);
    expect(await countEventsByType(store)).toEqual(more);
    // A rebuild counts the same.
    await rebuildProjections(store);
    expect(await countEventsByType(store)).toEqual(more);
  });

  it('takes pruned events out of the counts, applied or still queued', async () => {
    const store = await open();
    await store.migrate();
    const now = Date.now();
    await store.commitBatch({
      events: Array.from({ length: 30 }, (_, i) => eventRow(now - 40 * DAY + i)),
      rejections: [],
    });
    await drainProjectionQueue(store);
    // Old events the projector has not applied yet, and recent ones.
    await store.commitBatch({
      events: [
        ...Array.from({ length: 12 }, (_, i) => eventRow(now - 35 * DAY + i)),
        ...Array.from({ length: 20 }, (_, i) => eventRow(now - DAY + i)),
      ],
      rejections: [],
    });
    const deleted = await pruneGatewayStore(store, { now, eventRetentionDays: 30 });
    expect(deleted.events).toBe(42);
    const kept = await countedByScan(store);
    expect(Object.values(kept).reduce((sum, n) => sum + n, 0)).toBe(20);
    expect(await countEventsByType(store)).toEqual(kept);
    await drainProjectionQueue(store);
    expect(await countEventsByType(store)).toEqual(kept);
  });

  it('lists the latest alerts by event time, applied or still queued, and forgets the pruned ones', async () => {
    const store = await open();
    await store.migrate();
    const now = Date.now();
    // Arrival order is not event order: a retried alert arrives late.
    const times = [5, 1, 9, 3, 7, 2, 8, 6, 4, 0].map((n) => now - 3 * DAY + n * 60_000);
    await store.commitBatch({ events: times.map((at) => alertRow(at)), rejections: [] });
    await store.commitBatch({ events: Array.from({ length: 20 }, () => eventRow()), rejections: [] });
    expect(await recentAlertIds(store, 4)).toEqual(await alertsByScan(store, 4));
    await drainProjectionQueue(store, { pageSize: 5 });
    expect(await recentAlertIds(store, 4)).toEqual(await alertsByScan(store, 4));
    // Alerts that happened earlier and later than those, still queued.
    await store.commitBatch({
      events: [alertRow(now - 4 * DAY), alertRow(now - 2 * DAY), alertRow(now - 40 * DAY, now - 40 * DAY)],
      rejections: [],
    });
    expect(await recentAlertIds(store, 6)).toEqual(await alertsByScan(store, 6));
    await drainProjectionQueue(store);
    expect(await recentAlertIds(store, 6)).toEqual(await alertsByScan(store, 6));
    expect(await recentAlertIds(store, 100)).toHaveLength(13);
    await pruneGatewayStore(store, { now, eventRetentionDays: 30 });
    expect(await recentAlertIds(store, 100)).toEqual(await alertsByScan(store, 100));
    expect(await recentAlertIds(store, 100)).toHaveLength(12);
    await rebuildProjections(store);
    expect(await recentAlertIds(store, 100)).toEqual(await alertsByScan(store, 100));
  });

  it('sums the duplicate deliveries absorbed', async () => {
    const store = await open();
    await store.migrate();
    const [a, b] = [eventRow(), eventRow()];
    await store.commitBatch({ events: [a, b], rejections: [] });
    expect(await countDuplicates(store)).toBe(0);
    await store.commitBatch({ events: [{ ...a, id: createEventId() }], rejections: [] });
    await store.commitBatch({
      events: [
        { ...a, id: createEventId() },
        { ...b, id: createEventId() },
      ],
      rejections: [],
    });
    expect(await countDuplicates(store)).toBe(3);
  });

  it('fills the counts of a store migrated from before them with the events already applied', async () => {
    const store = await open();
    const migrator = new Migrator({
      db: store.db,
      provider: { getMigrations: () => Promise.resolve(gatewayMigrations(store.profile)) },
      ...(store.profile.schema === undefined ? {} : { migrationTableSchema: store.profile.schema }),
    });
    await store.profile.prepare(store.db);
    const before = await migrator.migrateTo('0008_delivery_attempts');
    expect(before.error).toBeUndefined();
    const alerts = Array.from({ length: 4 }, (_, i) => alertRow(Date.now() - i * 60_000));
    await store.commitBatch({
      events: [...alerts, ...Array.from({ length: 30 }, () => eventRow())],
      rejections: [],
    });
    // The projections of a gateway from before the counts.
    const earlier = gatewayProjections.filter((projection) => projection !== overviewProjection);
    await drainProjections(store, earlier);
    await store.commitBatch({
      events: [alertRow(Date.now() - 30_000), ...Array.from({ length: 4 }, () => eventRow())],
      rejections: [],
    });
    expect(await queued(store)).toBe(5);
    const { applied } = await store.migrate();
    expect(applied).toEqual(Object.keys(gatewayMigrations(store.profile)).filter((name) => name >= '0009'));
    expect(await countEventsByType(store)).toEqual(await countedByScan(store));
    expect(await recentAlertIds(store, 100)).toEqual(await alertsByScan(store, 100));
    await drainProjectionQueue(store);
    expect(await countEventsByType(store)).toEqual(await countedByScan(store));
    expect(await recentAlertIds(store, 100)).toEqual(await alertsByScan(store, 100));
  });
});

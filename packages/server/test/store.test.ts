import { parseCallback } from '@livehooks/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createEventId } from '@livehooks/core';
import { idFloor } from '../src/store/kysely-store.js';
import { toRejectionRow, type RejectionRecord } from '../src/store/rejection.js';
import { toEventRow } from '../src/store/stored-event.js';
import { openStore, type KyselyStore } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { createCallbackFactory, TEST_PARSE_OPTIONS } from './support/unique-callbacks.js';
import { gatewayMigrations } from '../src/index.js';

const factory = createCallbackFactory();
const DAY = 86_400_000;

function eventRow(seq: number, receivedAt?: number) {
  const callback = factory.make(seq);
  const event = parseCallback(callback.body, callback.headers, {
    ...TEST_PARSE_OPTIONS,
    ...(receivedAt === undefined ? {} : { now: () => receivedAt }),
  });
  return toEventRow(event);
}

function rejection(receivedAt: number): RejectionRecord {
  return {
    id: createEventId(receivedAt),
    receivedAt,
    reason: 'LH_ERR_SIGNATURE_MISMATCH',
    status: 401,
    message: 'sign mismatch',
    method: 'POST',
    path: '/callbacks',
    headers: { 'content-type': 'application/json' },
    bodySize: 2,
    bodyHead: Buffer.from('{}'),
  };
}

describeEachDialect('store', (databases) => {
  let store: KyselyStore;
  beforeAll(async () => {
    store = await openStore(databases.fresh());
    await store.migrate();
  });
  afterAll(() => store.close());

  it('migrates a fresh database, concurrently from two connections, and then has nothing left to apply', async () => {
    const url = databases.fresh();
    const [one, two] = await Promise.all([openStore(url), openStore(url)]);
    try {
      const [a, b] = await Promise.all([one.migrate(), two.migrate()]);
      // Every migration is applied once, by one of the two connections.
      expect([...a.applied, ...b.applied].sort()).toEqual(Object.keys(gatewayMigrations(one.profile)).sort());
      expect(await one.migrate()).toEqual({ applied: [] });
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('stores a batch once, absorbing duplicates within it and across batches', async () => {
    const [a, b] = [eventRow(70_001), eventRow(70_002)];
    const copyOfA = { ...eventRow(70_001), id: createEventId() };
    const first = await store.commitBatch({ events: [a, b, copyOfA], rejections: [] });
    expect(first.inserted).toEqual([true, true, false]);
    const second = await store.commitBatch({ events: [{ ...a, id: createEventId() }], rejections: [] });
    expect(second.inserted).toEqual([false]);
    const stored = await store.getEvent(a.id);
    expect(stored?.duplicates).toBe(2);
    expect(await store.getEvent(copyOfA.id)).toBeUndefined();
  });

  it('commits batches larger than one INSERT statement', async () => {
    const rows = Array.from({ length: 300 }, (_, seq) => eventRow(71_000 + seq));
    const result = await store.commitBatch({
      events: rows,
      rejections: [toRejectionRow(rejection(Date.now()))],
    });
    expect(result.inserted.every(Boolean)).toBe(true);
    const stats = await store.stats();
    expect(stats.events.total).toBeGreaterThanOrEqual(300);
  });

  it('reads events back with their envelope, payload, raw bytes and headers', async () => {
    const row = eventRow(72_001);
    await store.commitBatch({ events: [row], rejections: [] });
    const detail = await store.getEvent(row.id);
    expect(detail).toMatchObject({
      id: row.id,
      type: row.type,
      family: row.family,
      dedupeKey: row.dedupe_key,
    });
    expect(Buffer.from(detail!.raw).equals(row.raw)).toBe(true);
    expect(detail!.payload).toEqual(JSON.parse(row.payload));
    expect(detail!.headers).toEqual(JSON.parse(row.headers));
  });

  it('prunes rejection records beyond their bound and age, and events past their retention', async () => {
    const url = databases.fresh();
    const fresh = await openStore(url);
    try {
      await fresh.migrate();
      const now = Date.now();
      const old = [rejection(now - 10 * DAY), rejection(now - 9 * DAY)];
      const recent = Array.from({ length: 150 }, (_, i) => rejection(now - 150 + i));
      await fresh.commitBatch({
        events: [eventRow(73_001, now - 40 * DAY), eventRow(73_002, now - DAY)],
        rejections: [...old, ...recent].map(toRejectionRow),
      });
      const result = await fresh.prune({
        now,
        rejectionMaxRows: 100,
        rejectionRetentionDays: 7,
        eventRetentionDays: 30,
      });
      expect(result).toEqual({ events: 1, rejections: 52 });
      const kept = await fresh.listRejections({ limit: 500 });
      expect(kept).toHaveLength(100);
      expect(kept[0]!.receivedAt).toBe(now - 1);
      const stats = await fresh.stats();
      expect(stats.events.total).toBe(1);
      expect(stats.rejections).toEqual({ total: 100, byReason: { LH_ERR_SIGNATURE_MISMATCH: 100 } });
    } finally {
      await fresh.close();
    }
  });

  it('counts events by type, stale and duplicates in its stats', async () => {
    const url = databases.fresh();
    const fresh = await openStore(url);
    try {
      await fresh.migrate();
      const rows = [eventRow(74_001), eventRow(74_002), { ...eventRow(74_003), stale: 1 }];
      await fresh.commitBatch({ events: [...rows, { ...rows[0]!, id: createEventId() }], rejections: [] });
      const stats = await fresh.stats();
      expect(stats.dialect).toBe(databases.dialect);
      expect(stats.events.total).toBe(3);
      expect(stats.events.stale).toBe(1);
      expect(stats.events.duplicates).toBe(1);
      expect(Object.values(stats.events.byType).reduce((a, b) => a + b, 0)).toBe(3);
      expect(stats.events.oldestReceivedAt).toBeLessThanOrEqual(stats.events.newestReceivedAt!);
    } finally {
      await fresh.close();
    }
  });

  it('answers a ping', async () => {
    await expect(store.ping()).resolves.toBeUndefined();
  });
});

it('bounds time by id: idFloor sorts before every id of its millisecond and after every earlier one', () => {
  const t = 1_763_000_000_123;
  for (let i = 0; i < 100; i++) {
    expect(createEventId(t) >= idFloor(t)).toBe(true);
    expect(createEventId(t - 1) < idFloor(t)).toBe(true);
  }
});

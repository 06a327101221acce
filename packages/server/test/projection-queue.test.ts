import { createEventId, parseCallback } from '@livehooks/core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore, type KyselyStore } from '../src/index.js';
import { queueForProjection } from '../src/projections/projection-queue.js';
import { projectionDb } from '../src/projections/projector.js';
import { toEventRow, type EventRow } from '../src/store/stored-event.js';
import { describeEachDialect } from './support/databases.js';
import { createCallbackFactory, TEST_PARSE_OPTIONS } from './support/unique-callbacks.js';

const factory = createCallbackFactory();
let seq = 95_000;

function eventRow(): EventRow {
  const callback = factory.make(seq++);
  return toEventRow(parseCallback(callback.body, callback.headers, TEST_PARSE_OPTIONS));
}

describeEachDialect('projection queue', (databases) => {
  let store: KyselyStore;
  const queued = async (): Promise<string[]> =>
    (
      await projectionDb(store)
        .selectFrom('projection_queue')
        .select('event_id')
        .orderBy('event_id')
        .execute()
    ).map((row) => row.event_id);

  beforeAll(async () => {
    store = await openStore(databases.fresh());
    await store.migrate();
  });
  afterAll(() => store.close());

  it('queues the events a commit stores, in its transaction, and no duplicate', async () => {
    const [a, b] = [eventRow(), eventRow()];
    const copyOfA = { ...a, id: createEventId() };
    const events = [a, copyOfA, b];
    const followUps = queueForProjection(
      store,
      events.map(({ id }) => id),
    );
    const { inserted } = await store.commitBatch({ events, rejections: [], followUps });
    expect(inserted).toEqual([true, false, true]);
    expect(await queued()).toEqual([a.id, b.id].sort());
    // A later retry of a stored event queues nothing either.
    const retry = { ...b, id: createEventId() };
    await store.commitBatch({
      events: [retry],
      rejections: [],
      followUps: queueForProjection(store, [retry.id]),
    });
    expect(await queued()).toEqual([a.id, b.id].sort());
  });

  it('queues more events than one statement holds', async () => {
    await projectionDb(store).deleteFrom('projection_queue').execute();
    const events = Array.from({ length: 300 }, eventRow);
    const followUps = queueForProjection(
      store,
      events.map(({ id }) => id),
    );
    expect(followUps.length).toBeGreaterThan(1);
    await store.commitBatch({ events, rejections: [], followUps });
    expect(await queued()).toEqual(events.map(({ id }) => id).sort());
  });

  it('queues nothing on its own any more: the trigger of 0002_projections is gone', async () => {
    await projectionDb(store).deleteFrom('projection_queue').execute();
    await store.commitBatch({ events: [eventRow()], rejections: [] });
    expect(await queued()).toEqual([]);
  });
});

import { isLivehooksError, parseCallback } from '@livehooks/core';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { GroupCommitter, openStore, type KyselyStore, type LivehooksServer } from '../src/index.js';
import { describeEachDialect, PG_URL } from './support/databases.js';
import { createTestServer, TEST_INGEST_SECRET } from './support/test-server.js';
import {
  createCallbackFactory,
  TEST_PARSE_OPTIONS,
  type UniqueCallback,
} from './support/unique-callbacks.js';

const factory = createCallbackFactory();

describeEachDialect('group commit', (databases) => {
  let server: LivehooksServer;
  let databaseUrl: string;
  let observer: KyselyStore;

  beforeAll(async () => {
    databaseUrl = databases.fresh();
    server = await createTestServer(databases, { databaseUrl });
    observer = await openStore(databaseUrl);
  });
  afterAll(async () => {
    await server.close();
    await observer.close();
  });

  const send = (callback: UniqueCallback) =>
    server.app.inject({
      method: 'POST',
      url: callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks',
      payload: callback.body,
      headers: callback.headers,
    });

  it('commits concurrent callbacks in shared transactions', async () => {
    const callbacks = Array.from({ length: 200 }, (_, seq) => factory.make(seq + 10_000));
    const answers = await Promise.all(callbacks.map(send));
    expect(answers.every((answer) => answer.statusCode === 200)).toBe(true);
    const { values } = await server.metrics.commitBatchSize.get();
    const count = values.find((value) => value.metricName === 'livehooks_commit_batch_size_count')!.value;
    const sum = values.find((value) => value.metricName === 'livehooks_commit_batch_size_sum')!.value;
    expect(sum).toBe(200);
    expect(count).toBeLessThan(200 / 4);
    expect((await observer.stats()).events.total).toBe(200);
  });

  it('answers each callback only once it is visible to another connection', async () => {
    const callbacks = Array.from({ length: 30 }, (_, seq) => factory.make(seq + 20_000));
    const seen = await Promise.all(
      callbacks.map(async (callback) => {
        const answer = await send(callback);
        expect(answer.statusCode).toBe(200);
        const event = parseCallback(callback.body, callback.headers, TEST_PARSE_OPTIONS);
        const stored = await observer.db
          .selectFrom('events')
          .select('id')
          .where('dedupe_key', '=', event.dedupeKey)
          .executeTakeFirst();
        return stored !== undefined;
      }),
    );
    expect(seen.every(Boolean)).toBe(true);
  });

  it('stores the other rows of a batch when the database refuses one of them', async () => {
    const committer = new GroupCommitter(observer);
    const [first, second, third] = [30_001, 30_002, 30_003].map((seq) => {
      const callback = factory.make(seq);
      return parseCallback(callback.body, callback.headers, TEST_PARSE_OPTIONS);
    });
    expect(await committer.submit(first!)).toBe('stored');
    // Same primary key as a stored event, different dedupe key: a conflict ON CONFLICT (dedupe_key) does not absorb.
    const clash = { ...second!, id: first!.id };
    const outcomes = await Promise.allSettled([committer.submit(clash), committer.submit(third!)]);
    expect(outcomes[0].status).toBe('rejected');
    expect(isLivehooksError((outcomes[0] as PromiseRejectedResult).reason, 'LH_ERR_STORE_UNAVAILABLE')).toBe(
      true,
    );
    expect(outcomes[1]).toEqual({ status: 'fulfilled', value: 'stored' });
  });

  it('refuses at once when the commit queue is full', async () => {
    const committer = new GroupCommitter(observer, { maxQueue: 1 });
    const [a, b] = [40_001, 40_002].map((seq) => {
      const callback = factory.make(seq);
      return parseCallback(callback.body, callback.headers, TEST_PARSE_OPTIONS);
    });
    const outcomes = await Promise.allSettled([committer.submit(a!), committer.submit(b!)]);
    expect(outcomes[0]).toEqual({ status: 'fulfilled', value: 'stored' });
    expect(outcomes[1].status).toBe('rejected');
  });

  if (databases.dialect === 'postgres') {
    it('holds every answer until its transaction commits', async () => {
      const schema = new URL(databaseUrl).searchParams.get('schema')!;
      const locker = new pg.Client({ connectionString: PG_URL });
      await locker.connect();
      try {
        await locker.query('begin');
        await locker.query(`lock table "${schema}".events in access exclusive mode`);
        let answered = 0;
        const pending = Array.from({ length: 10 }, (_, seq) => factory.make(seq + 60_000)).map((callback) =>
          send(callback).then((answer) => {
            answered++;
            return answer;
          }),
        );
        await new Promise((resolve) => setTimeout(resolve, 500));
        expect(answered).toBe(0);
        await locker.query('commit');
        const answers = await Promise.all(pending);
        expect(answers.map((answer) => answer.statusCode)).toEqual(answers.map(() => 200));
      } finally {
        await locker.end();
      }
    });
  }
});

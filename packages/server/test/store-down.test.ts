import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { parseDatabaseUrl, type LivehooksServer } from '../src/index.js';
import { describeEachDialect, PG_URL } from './support/databases.js';
import { createTcpProxy, type TcpProxy } from './support/tcp-proxy.js';
import { createTestServer, TEST_INGEST_SECRET } from './support/test-server.js';
import { createCallbackFactory, type UniqueCallback } from './support/unique-callbacks.js';

const factory = createCallbackFactory();

/** Makes the store unavailable for real and brings it back. */
interface Outage {
  begin(): Promise<void>;
  end(): Promise<void>;
}

describeEachDialect('store down', (databases) => {
  let server: LivehooksServer;
  let outage: Outage;
  let proxy: TcpProxy | undefined;

  beforeAll(async () => {
    if (databases.dialect === 'postgres') {
      // The gateway reaches PostgreSQL through a proxy the test cuts: the database becomes unreachable.
      const target = new URL(PG_URL);
      proxy = await createTcpProxy(target.hostname, Number(target.port || 5432));
      const viaProxy = new URL(databases.fresh());
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      server = await createTestServer(databases, {
        databaseUrl: viaProxy.toString(),
        commit: { timeoutMs: 3000 },
      });
      outage = { begin: () => proxy!.cut(), end: () => proxy!.restore() };
    } else {
      // Another process holding SQLite's write lock (a backup, a stray `sqlite3` shell) blocks every commit.
      const databaseUrl = databases.fresh();
      server = await createTestServer(databases, { databaseUrl });
      const location = parseDatabaseUrl(databaseUrl);
      const path = location.dialect === 'sqlite' ? location.path : '';
      let holder: BetterSqlite3.Database | undefined;
      outage = {
        begin: () => {
          holder = new BetterSqlite3(path);
          holder.exec('BEGIN IMMEDIATE');
          return Promise.resolve();
        },
        end: () => {
          holder?.exec('ROLLBACK');
          holder?.close();
          return Promise.resolve();
        },
      };
    }
  });
  afterAll(async () => {
    await server?.close();
    await proxy?.close();
  });

  const send = (callback: UniqueCallback) =>
    server.app.inject({
      method: 'POST',
      url: callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks',
      payload: callback.body,
      headers: callback.headers,
    });

  it('answers 503 to every callback while the store is unavailable, and stores them when the sender retries', async () => {
    const callbacks = Array.from({ length: 20 }, (_, seq) => factory.make(seq + 50_000));
    await outage.begin();
    let answers;
    try {
      answers = await Promise.all(callbacks.map(send));
      if (databases.dialect === 'postgres') {
        const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
        expect(ready.statusCode).toBe(503);
      }
    } finally {
      await outage.end();
    }
    expect(answers.map((answer) => answer.statusCode)).toEqual(callbacks.map(() => 503));
    expect(
      answers.every((answer) => answer.json<{ code: string }>().code === 'LH_ERR_STORE_UNAVAILABLE'),
    ).toBe(true);
    expect(answers.some((answer) => answer.body.includes(String(proxy?.port ?? 'no-port')))).toBe(false);

    // Tencent retries a non-200 answer; once the database is back, the retries are stored, each once.
    const retries = await Promise.all(callbacks.map(send));
    expect(retries.map((answer) => answer.statusCode)).toEqual(callbacks.map(() => 200));
    const stats = await server.store.stats();
    expect(stats.events.total).toBe(callbacks.length);
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    const metrics = await server.metrics.registry.getSingleMetricAsString('livehooks_ingest_requests_total');
    expect(metrics).toContain(`outcome="unavailable"} ${callbacks.length}`);
  });
});

import { parseCallback } from '@livehooks/core';
import { afterAll, expect, it } from 'vitest';
import { openStore } from '../src/index.js';
import { projectionDb } from '../src/projections/projector.js';
import { describeEachDialect } from './support/databases.js';
import { serverEnv, spawnServer, type ServerProcess } from './support/spawn-server.js';
import { TEST_KEYS } from '@livehooks/fixtures';
import { AUTH, TEST_API_TOKEN, TEST_INGEST_SECRET } from './support/test-server.js';
import {
  createCallbackFactory,
  TEST_PARSE_OPTIONS,
  type UniqueCallback,
} from './support/unique-callbacks.js';

const factory = createCallbackFactory();
const running = new Set<ServerProcess>();

afterAll(() => {
  for (const server of running) server.child.kill('SIGKILL');
});

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(env);
  running.add(server);
  void server.exited.then(() => running.delete(server));
  return server;
}

function post(baseUrl: string, callback: UniqueCallback): Promise<Response> {
  const path = callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks';
  return fetch(`${baseUrl}${path}`, { method: 'POST', body: callback.body, headers: callback.headers });
}

interface LoadResult {
  acknowledged: UniqueCallback[];
  /** Callbacks answered 200 after `mark` was set. */
  acknowledgedAfterMark: number;
  statuses: Map<number | string, number>;
}

/**
 * Sends unique callbacks from `workers` concurrent senders until the server stops answering or `stop()`
 * says so; a sender stops at its first connection error.
 */
function load(baseUrl: string, options: { workers: number; offset: number }) {
  let seq = 0;
  let stopped = false;
  let mark = false;
  const result: LoadResult = { acknowledged: [], acknowledgedAfterMark: 0, statuses: new Map() };
  const count = (key: number | string) => result.statuses.set(key, (result.statuses.get(key) ?? 0) + 1);
  const worker = async (): Promise<void> => {
    while (!stopped) {
      const callback = factory.make(options.offset + seq++);
      try {
        const response = await post(baseUrl, callback);
        await response.arrayBuffer();
        count(response.status);
        if (response.status === 200) {
          result.acknowledged.push(callback);
          if (mark) result.acknowledgedAfterMark++;
        }
      } catch {
        count('connection error');
        return;
      }
    }
  };
  const done = Promise.all(Array.from({ length: options.workers }, worker)).then(() => result);
  return {
    done,
    sent: () => seq,
    setMark: () => (mark = true),
    stop: () => (stopped = true),
  };
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describeEachDialect('gateway processes', (databases) => {
  it('keeps every acknowledged callback exactly once across a kill -9 and a restart', async () => {
    const env = serverEnv(databases.fresh(), databases.tempDir());
    const first = await start(env);
    const traffic = load(first.url, { workers: 32, offset: 100_000 });
    await waitFor(() => traffic.sent() >= 600, 20_000);
    first.child.kill('SIGKILL');
    const { signal } = await first.exited;
    expect(signal).toBe('SIGKILL');
    const { acknowledged } = await traffic.done;
    expect(acknowledged.length).toBeGreaterThan(100);

    // The restarted gateway recovers the database and serves what was acknowledged before the crash.
    const second = await start(env);
    const store = await openStore(env.LIVEHOOKS_DATABASE_URL!);
    try {
      const stored = await store.db.selectFrom('events').select(['dedupe_key']).execute();
      const keys = new Set(stored.map((row) => row.dedupe_key));
      expect(keys.size).toBe(stored.length);
      const missing = acknowledged.filter(
        (callback) => !keys.has(parseCallback(callback.body, callback.headers, TEST_PARSE_OPTIONS).dedupeKey),
      );
      expect(missing).toEqual([]);
      expect(stored.length).toBeLessThanOrEqual(traffic.sent());

      // Tencent retries what it did not see acknowledged, and may repeat what it did: nothing is stored twice.
      const retried = await Promise.all(
        acknowledged.slice(0, 200).map((callback) => post(second.url, callback)),
      );
      expect(retried.every((response) => response.status === 200)).toBe(true);
      expect((await store.stats()).events.total).toBe(stored.length);
      const api = await fetch(`${second.url}/api/events?limit=1`, { headers: AUTH });
      expect(api.status).toBe(200);

      // Each stored event was queued for the projector in the transaction that stored it: the restarted
      // gateway's projector applies every one of them, none lost to the crash.
      const counted = async () => {
        const queue = await projectionDb(store)
          .selectFrom('projection_queue')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        const totals = await store.db
          .withTables<{ event_counts: { type: string; events: number } }>()
          .selectFrom('event_counts')
          .select((eb) => eb.fn.sum<number>('events').as('n'))
          .executeTakeFirstOrThrow();
        return { queued: Number(queue.n), counted: Number(totals.n ?? 0) };
      };
      await waitFor(async () => (await counted()).queued === 0, 20_000);
      expect(await counted()).toEqual({ queued: 0, counted: stored.length });
    } finally {
      await store.close();
      second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  it('finishes in-flight callbacks on SIGTERM, answers them, logs without secrets, and exits 0', async () => {
    const env: Record<string, string> = {
      ...serverEnv(databases.fresh(), databases.tempDir()),
      LIVEHOOKS_LOG_LEVEL: 'info',
    };
    const server = await start(env);
    const traffic = load(server.url, { workers: 16, offset: 200_000 });
    await waitFor(() => traffic.sent() >= 300, 20_000);
    traffic.setMark();
    server.child.kill('SIGTERM');
    const exit = await server.exited;
    traffic.stop();
    const result = await traffic.done;
    expect(exit, server.output()).toEqual({ code: 0, signal: null });
    expect(result.acknowledgedAfterMark).toBeGreaterThan(0);
    const lines = server
      .output()
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { msg: string; outcome?: string });
    expect(
      lines.filter((line) => line.msg === 'request' && line.outcome === 'stored').length,
    ).toBeGreaterThan(0);
    expect(lines.at(-1)?.msg).toBe('shut down');
    for (const secret of [TEST_INGEST_SECRET, TEST_API_TOKEN, TEST_KEYS.css, TEST_KEYS.trtc.key]) {
      expect(server.output()).not.toContain(secret);
    }
    const store = await openStore(env.LIVEHOOKS_DATABASE_URL!);
    try {
      const stored = await store.db.selectFrom('events').select('dedupe_key').execute();
      const keys = new Set(stored.map((row) => row.dedupe_key));
      const missing = result.acknowledged.filter(
        (callback) => !keys.has(parseCallback(callback.body, callback.headers, TEST_PARSE_OPTIONS).dedupeKey),
      );
      expect(missing).toEqual([]);
    } finally {
      await store.close();
    }
  });

  if (databases.dialect === 'postgres') {
    it('stores a callback sent to two replicas at once only once', async () => {
      const env = serverEnv(databases.fresh(), databases.tempDir());
      const [a, b] = await Promise.all([
        start(env),
        start({ ...env, LIVEHOOKS_DATA_DIR: databases.tempDir() }),
      ]);
      const callbacks = Array.from({ length: 300 }, (_, seq) => factory.make(300_000 + seq));
      const answers: number[] = [];
      for (let i = 0; i < callbacks.length; i += 25) {
        const slice = callbacks.slice(i, i + 25);
        const responses = await Promise.all(
          slice.flatMap((callback) => [post(a.url, callback), post(b.url, callback)]),
        );
        answers.push(...responses.map((response) => response.status));
      }
      expect(answers.every((status) => status === 200)).toBe(true);
      const store = await openStore(env.LIVEHOOKS_DATABASE_URL!);
      try {
        const stats = await store.stats();
        expect(stats.events.total).toBe(callbacks.length);
        expect(stats.events.duplicates).toBe(callbacks.length);
      } finally {
        await store.close();
        a.child.kill('SIGTERM');
        b.child.kill('SIGTERM');
        await Promise.all([a.exited, b.exited]);
      }
    });
  }
});

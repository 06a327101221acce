import { Writable } from 'node:stream';
import { signCss } from '@livehooks/core';
import { TEST_KEYS } from '@livehooks/fixtures';
import { sql } from 'kysely';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, type LivehooksServer } from '../src/index.js';
import { describeEachDialect, PG_URL } from './support/databases.js';
import { createTcpProxy } from './support/tcp-proxy.js';
import { AUTH, testConfig } from './support/test-server.js';

type LogLine = Record<string, unknown> & { level: number; msg: string };

/** A pino logger whose JSON lines are kept for assertions. */
function capturedLogger() {
  const lines: LogLine[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as LogLine);
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

let seq = 0;
/** A signed CSS callback padded past a database page, so storing it always needs new pages. */
function paddedCallback() {
  const t = Math.floor(Date.now() / 1000) + 600;
  return JSON.stringify({
    event_type: 200,
    stream_id: `store-failing-${++seq}`,
    pic_url: `/failing-${seq}.jpg`,
    pad: 'x'.repeat(20_000),
    t,
    sign: signCss(TEST_KEYS.css, t),
  });
}

/** Makes every commit fail for real while reads keep working (a full disk), and ends that. */
interface WriteFailure {
  begin(): Promise<void>;
  end(): Promise<void>;
}

describeEachDialect('store failing to commit', (databases) => {
  let server: LivehooksServer;
  let failure: WriteFailure;
  const captured = capturedLogger();

  beforeAll(async () => {
    server = await createServer({ config: testConfig(databases), logger: captured.logger });
    const { db, profile } = server.store;
    if (databases.dialect === 'sqlite') {
      // SQLite answers SQLITE_FULL once the file may not grow: what a full disk does to a commit.
      failure = {
        begin: async () => {
          const { rows } = await sql<{ page_count: number }>`pragma page_count`.execute(db);
          await sql.raw(`pragma max_page_count = ${rows[0]!.page_count}`).execute(db);
        },
        end: async () => {
          await sql`pragma max_page_count = 1073741823`.execute(db);
        },
      };
    } else {
      // PostgreSQL raises disk_full (SQLSTATE 53100) when it cannot extend a table's file.
      const schema = sql.id(profile.schema!);
      failure = {
        begin: async () => {
          await sql`create function ${schema}.lh_disk_full() returns trigger language plpgsql as $$
            begin raise exception 'could not extend file: No space left on device' using errcode = 'disk_full'; end $$`.execute(
            db,
          );
          await sql`create trigger lh_disk_full before insert on ${schema}.events
            for each statement execute function ${schema}.lh_disk_full()`.execute(db);
        },
        end: async () => {
          await sql`drop trigger lh_disk_full on ${schema}.events`.execute(db);
        },
      };
    }
  });
  afterAll(() => server?.close());

  const send = () =>
    server.app.inject({
      method: 'POST',
      url: '/callbacks',
      payload: paddedCallback(),
      headers: { 'content-type': 'application/json' },
    });

  it('is not ready while commits fail, logs the failures at a bounded rate, and is ready again after a commit succeeds', async () => {
    expect((await send()).statusCode).toBe(200);
    expect((await server.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);

    await failure.begin();
    captured.lines.length = 0;
    const statuses: number[] = [];
    try {
      for (let wave = 0; wave < 10; wave++) {
        const answers = await Promise.all(Array.from({ length: 10 }, send));
        statuses.push(...answers.map((answer) => answer.statusCode));
      }
      const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json<{ code: string; error: string }>()).toMatchObject({
        code: 'LH_ERR_STORE_UNAVAILABLE',
        error: expect.stringMatching(
          /^the (sqlite|postgres) store cannot commit: \d+ failed commits since /,
        ) as string,
      });
    } finally {
      await failure.end();
    }
    expect(statuses).toEqual(statuses.map(() => 503));

    // A hundred failed callbacks: the first failure in full, with its stack, and nothing more within the interval.
    const errors = captured.lines.filter((line) => line.level >= 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      kind: 'commit',
      msg: expect.stringContaining('group commit failed') as string,
    });
    expect((errors[0]!.err as { stack?: string }).stack).toBeTruthy();

    expect((await send()).statusCode).toBe(200);
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    const recovered = captured.lines.find((line) => line.kind === 'commit' && line.level === 40);
    const failures = recovered?.failures as number;
    expect(failures).toBeGreaterThanOrEqual(10);
    expect(recovered).toMatchObject({ suppressed: failures - 1 });
    expect(recovered?.msg).toContain(`after ${failures} failures`);
  });

  it.skipIf(databases.dialect !== 'postgres')(
    'logs an outage of PostgreSQL at a bounded rate, counting the failures not logged',
    async () => {
      const target = new URL(PG_URL);
      const proxy = await createTcpProxy(target.hostname, Number(target.port || 5432));
      const viaProxy = new URL(databases.fresh());
      viaProxy.host = `127.0.0.1:${proxy.port}`;
      const { logger, lines } = capturedLogger();
      const gateway = await createServer({
        config: testConfig(databases, { databaseUrl: viaProxy.toString(), commit: { timeoutMs: 3000 } }),
        logger,
      });
      const post = () =>
        gateway.app.inject({
          method: 'POST',
          url: '/callbacks',
          payload: paddedCallback(),
          headers: { 'content-type': 'application/json' },
        });
      try {
        expect((await post()).statusCode).toBe(200);
        await proxy.cut();
        lines.length = 0;
        const statuses: number[] = [];
        for (let wave = 0; wave < 10; wave++) {
          const answers = await Promise.all([
            ...Array.from({ length: 10 }, post),
            gateway.app.inject({ method: 'GET', url: '/api/events', headers: AUTH }),
          ]);
          statuses.push(...answers.map((answer) => answer.statusCode));
        }
        expect(statuses).toEqual(statuses.map(() => 503));
        await proxy.restore();
        expect((await post()).statusCode).toBe(200);

        // One line per kind of failure (commits, API queries, ...), not one per failed request.
        const failures = lines.filter((line) => line.level >= 50);
        const kinds = new Set(failures.map((line) => line.kind));
        expect(failures.length).toBe(kinds.size);
        expect(kinds).toContain('commit');
        const recovered = lines.find((line) => line.kind === 'commit' && line.level === 40);
        expect(recovered?.failures as number).toBeGreaterThanOrEqual(10);
      } finally {
        await gateway.close();
        await proxy.close();
      }
    },
  );
});

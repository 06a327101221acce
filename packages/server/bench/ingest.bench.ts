/**
 * Ingest benchmark (`npm run bench -w @livehooks/server`): autocannon drives the same load of unique,
 * signed callbacks (a mix of every fixture event type) against a bare node:http server answering
 * {"code":0}, the gateway on SQLite and the gateway on PostgreSQL, each in its own process on this
 * machine. Prints throughput and p50/p99 latency, the ratios to the bare server, and checks that every
 * callback answered 200 is in the store. Runs on the built packages (`npm run build` first).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStore } from '@livehooks/server';
import { serverEnv } from '../test/support/spawn-server.js';
import { createCallbackFactory } from '../test/support/unique-callbacks.js';
import {
  CONNECTIONS,
  describeMachine,
  drive,
  DURATION_S,
  here,
  PG_URL,
  postgresReachable,
  spawn,
  WARMUP_S,
  type Run,
  type Target,
} from './bench-support.js';

/**
 * Unique bodies; one set serves every target (each gateway has a fresh store and must not run out). The
 * bare server, which ignores what it receives, cycles through them: same bytes, same mix.
 */
const BODIES = Number(process.env.BENCH_BODIES ?? 150_000);
async function verify(databaseUrl: string, acknowledged: string[]): Promise<string> {
  const store = await openStore(databaseUrl);
  try {
    const rows = await store.db.selectFrom('events').select('raw').execute();
    const stored = new Set(rows.map((row) => row.raw.toString('utf8')));
    const missing = acknowledged.filter((body) => !stored.has(body)).length;
    return `${acknowledged.length} acknowledged, ${rows.length} stored, ${missing} acknowledged but missing`;
  } finally {
    await store.close();
  }
}

async function main(): Promise<void> {
  const factory = createCallbackFactory();
  console.log(
    `ingest benchmark: ${CONNECTIONS} connections, ${DURATION_S} s per target after ${WARMUP_S} s warm-up; ${describeMachine()}`,
  );
  console.log(`mix: ${factory.types.length} event types; excluded samples: ${factory.excluded.length}`);
  const started = Date.now();
  const bodies = Array.from({ length: BODIES }, (_, seq) => factory.make(seq));
  console.log(`${BODIES} unique signed bodies prepared in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const dir = mkdtempSync(join(tmpdir(), 'livehooks-bench-'));
  const schema = `lh_bench_${process.pid}`;
  const pgDatabaseUrl = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
  const targets: (() => Promise<Target>)[] = [
    async () => ({ name: 'bare node:http', ...(await spawn(here('./bare-server.js'), {})) }),
    async () => {
      const databaseUrl = join(dir, 'sqlite', 'livehooks.db');
      const env = { ...serverEnv(databaseUrl, join(dir, 'sqlite')), LIVEHOOKS_LOG_LEVEL: 'info' };
      return {
        name: 'gateway, SQLite',
        databaseUrl,
        ...(await spawn(here('../test/support/server-process.js'), env)),
      };
    },
  ];
  if (await postgresReachable()) {
    targets.push(async () => {
      const env = { ...serverEnv(pgDatabaseUrl, join(dir, 'pg')), LIVEHOOKS_LOG_LEVEL: 'info' };
      return {
        name: 'gateway, PostgreSQL',
        databaseUrl: pgDatabaseUrl,
        ...(await spawn(here('../test/support/server-process.js'), env)),
      };
    });
  } else {
    console.log(`PostgreSQL at ${PG_URL} is unreachable: its run is skipped`);
  }

  const runs: Run[] = [];
  try {
    for (const makeTarget of targets) {
      const target = await makeTarget();
      try {
        const cycle = target.databaseUrl === undefined;
        const warmup = await drive(target, bodies, 0, WARMUP_S, { cycle });
        const run = await drive(target, bodies, warmup.sent, DURATION_S, { cycle });
        runs.push(run);
        const check =
          target.databaseUrl === undefined
            ? ''
            : `; durability: ${await verify(target.databaseUrl, [...warmup.acknowledged, ...run.acknowledged])}`;
        console.log(
          `${run.name.padEnd(20)} ${run.rps.toFixed(0).padStart(7)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms  ` +
            `non-2xx ${run.non2xx}  errors ${run.errors}${check}`,
        );
      } finally {
        target.stop();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (runs.some((run) => run.name.includes('PostgreSQL'))) {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    }
  }
  const bare = runs[0]!;
  for (const run of runs.slice(1)) {
    console.log(
      `${run.name}: ${(run.rps / bare.rps).toFixed(2)} of bare throughput (aim >= 0.6), p99 ${run.p99} ms (aim < 25 ms)`,
    );
  }
}

await main();

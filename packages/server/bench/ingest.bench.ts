/**
 * Ingest benchmark (`npm run bench -w @livehooks/server`): autocannon drives the same load of unique,
 * signed callbacks (a mix of every fixture event type) against a bare node:http server answering
 * {"code":0}, the gateway on SQLite and the gateway on PostgreSQL, each in its own process on this
 * machine. Prints throughput and p50/p99 latency, the ratios to the bare server, and checks that every
 * callback answered 200 is in the store. Runs on the built packages (`npm run build` first).
 */
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { openStore } from '@livehooks/server';
import { serverEnv } from '../test/support/spawn-server.js';
import { TEST_INGEST_SECRET } from '../test/support/test-secrets.js';
import { createCallbackFactory, type UniqueCallback } from '../test/support/unique-callbacks.js';

const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const WARMUP_S = 2;
/**
 * Unique bodies; one set serves every target (each gateway has a fresh store and must not run out). The
 * bare server, which ignores what it receives, cycles through them: same bytes, same mix.
 */
const BODIES = Number(process.env.BENCH_BODIES ?? 150_000);
const PG_URL =
  process.env.LIVEHOOKS_BENCH_PG_URL ??
  process.env.LIVEHOOKS_TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

interface Target {
  name: string;
  url: string;
  stop(): void;
  databaseUrl?: string;
}

async function spawn(script: string, env: Record<string, string>): Promise<{ url: string; stop(): void }> {
  const child = fork(script, [], {
    execArgv: [],
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    // The gateway logs one line per request at info: produced for real, discarded here.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

interface Run {
  name: string;
  /** Index of the next unused body. */
  sent: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  acknowledged: string[];
}

function pathOf(callback: UniqueCallback): string {
  return callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks';
}

async function drive(
  target: Target,
  bodies: UniqueCallback[],
  start: number,
  seconds: number,
  options: { cycle: boolean },
): Promise<Run> {
  let next = start;
  const acknowledged: string[] = [];
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context: { current?: UniqueCallback }) => {
          const callback = bodies[next++ % bodies.length]!;
          context.current = callback;
          return { ...request, path: pathOf(callback), body: callback.body, headers: callback.headers };
        },
        onResponse: (status, _body, context: { current?: UniqueCallback }) => {
          if (status === 200 && context.current !== undefined) acknowledged.push(context.current.body);
        },
      },
    ],
  });
  if (!options.cycle && next > bodies.length) throw new Error('ran out of unique bodies: raise BENCH_BODIES');
  return {
    name: target.name,
    sent: next,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    acknowledged,
  };
}

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

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function main(): Promise<void> {
  const factory = createCallbackFactory();
  console.log(
    `ingest benchmark: ${CONNECTIONS} connections, ${DURATION_S} s per target after ${WARMUP_S} s warm-up; ` +
      `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
        .map((n) => n.toFixed(1))
        .join(' ')}`,
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

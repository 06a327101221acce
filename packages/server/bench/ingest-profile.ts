/**
 * Profiles `livehooks serve` under the ingest benchmark's load (`npx tsx packages/server/bench/ingest-profile.ts`,
 * on the built packages): for each database and body kind, the gateway runs with `node --cpu-prof` (every
 * thread: the main thread and the SQLite worker), autocannon drives the same unique signed callbacks as
 * ingest.bench.ts, and the samples of the measured run are summarised per thread by profile-summary.ts, in
 * µs per request. The .cpuprofile files are kept (`BENCH_PROFILE_DIR`) for Chrome DevTools.
 *
 * Environment: BENCH_PROFILE_DATABASES (sqlite,postgres), BENCH_BODY_KINDS (css,trtc), BENCH_DURATION_S,
 * BENCH_WARMUP_S, BENCH_CONNECTIONS, BENCH_PROFILE_DIR (a new directory under the system's temporary one).
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { serverEnv } from '../test/support/spawn-server.js';
import { createCallbackFactory } from '../test/support/unique-callbacks.js';
import {
  BODY_KINDS,
  CONNECTIONS,
  cpuSeconds,
  describeMachine,
  drive,
  DURATION_S,
  PG_URL,
  postgresReachable,
  selected,
  spawnServe,
  threadTimes,
  WARMUP_S,
  type ThreadTimes,
} from './bench-support.js';
import { formatSummary, summariseProfile, type CpuProfile } from './profile-summary.js';

const DATABASES = [{ key: 'sqlite' }, { key: 'postgres' }];

/** The monotonic clock of V8's profiles, in µs. */
const now = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Each thread's CPU over the run, labelled: the main thread; on SQLite, the store's worker (the busiest other
 * thread: every insert and commit runs on it); other threads (V8's platform
 * threads for concurrent and parallel GC and compilation, the profiler's own thread, libuv's pool), which
 * Node.js does not name.
 */
function labelThreads(
  pid: number,
  before: ThreadTimes[],
  after: ThreadTimes[],
  options: { sqliteWorker: boolean },
): (ThreadTimes & { label: string })[] {
  const delta = after.map((t) => ({ ...t, cpu: t.cpu - (before.find((b) => b.tid === t.tid)?.cpu ?? 0) }));
  const others = delta.filter((t) => t.tid !== pid).sort((a, b) => b.cpu - a.cpu);
  const worker = options.sqliteWorker ? others[0] : undefined;
  const label = (t: ThreadTimes) => {
    if (t.tid === pid) return 'main thread';
    if (t === worker) return 'SQLite worker thread';
    return `thread ${t.tid} (V8 platform: GC, compiler; profiler; libuv pool)`;
  };
  return delta.map((t) => ({ ...t, label: label(t) })).sort((a, b) => b.cpu - a.cpu);
}

async function main(): Promise<void> {
  const databases = selected(DATABASES, 'BENCH_PROFILE_DATABASES');
  const kinds = selected(BODY_KINDS, 'BENCH_BODY_KINDS').filter(
    (kind) => process.env.BENCH_BODY_KINDS || kind.key !== 'mix',
  );
  const out = process.env.BENCH_PROFILE_DIR ?? mkdtempSync(join(tmpdir(), 'livehooks-profiles-'));
  console.log(
    `ingest profile: ${CONNECTIONS} connections, ${DURATION_S} s measured after ${WARMUP_S} s warm-up; ${describeMachine()}`,
  );
  console.log(`profiles in ${out}`);
  const withPostgres = databases.some((db) => db.key === 'postgres') && (await postgresReachable());
  for (const database of databases) {
    if (database.key === 'postgres' && !withPostgres) {
      console.log(`PostgreSQL at ${PG_URL} is unreachable: skipped`);
      continue;
    }
    for (const kind of kinds) {
      const factory = createCallbackFactory(kind.samples());
      const name = `${database.key}-${kind.key}`;
      const profiles = join(out, name);
      const data = join(out, `${name}-data`);
      mkdirSync(profiles, { recursive: true });
      mkdirSync(data, { recursive: true });
      const schema = `lh_profile_${process.pid}_${kind.key}`;
      const databaseUrl =
        database.key === 'sqlite'
          ? join(data, 'livehooks.db')
          : `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
      const env = { ...serverEnv(databaseUrl, data), LIVEHOOKS_LOG_LEVEL: 'info' };
      const bodies = Array.from({ length: 20_000 }, (_, seq) => factory.make(seq));
      const make = (seq: number) => factory.make(seq);
      const target = { name, ...(await spawnServe(env, ['--cpu-prof', `--cpu-prof-dir=${profiles}`])) };
      let from = 0;
      let to = 0;
      let requests = 0;
      let cpu = 0;
      let threads: (ThreadTimes & { label: string })[] = [];
      try {
        const warmup = await drive(target, bodies, 0, WARMUP_S, { make });
        const cpuBefore = cpuSeconds(target.pid);
        const before = threadTimes(target.pid);
        from = now();
        const run = await drive(target, bodies, warmup.sent, DURATION_S, { make });
        to = now();
        cpu = cpuSeconds(target.pid) - cpuBefore;
        threads = labelThreads(target.pid, before, threadTimes(target.pid), {
          sqliteWorker: database.key === 'sqlite',
        });
        requests = run.requests;
        console.log(
          `\n=== ${kind.name}, livehooks serve on ${database.key}: ${run.rps.toFixed(0)} req/s, p99 ${run.p99} ms, ` +
            `${((cpu * 1e6) / requests).toFixed(0)} µs CPU/request (every thread, under the profiler)`,
        );
        for (const thread of threads.filter((t) => t.cpu > 0))
          console.log(
            `    ${((thread.cpu * 1e6) / requests).toFixed(1).padStart(6)} µs/req  ${thread.label}`,
          );
      } finally {
        await target.stop();
        if (database.key === 'postgres') {
          const client = new pg.Client({ connectionString: PG_URL });
          await client.connect();
          await client.query(`drop schema if exists "${schema}" cascade`);
          await client.end();
        }
        rmSync(data, { recursive: true, force: true });
      }
      // CPU.<date>.<time>.<pid>.<thread id>.<seq>.cpuprofile: thread 0 is the main thread.
      for (const file of readdirSync(profiles)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort()) {
        const main = file.split('.')[4] === '0';
        const thread = threads.find((t) => t.label === (main ? 'main thread' : 'SQLite worker thread'));
        const profile = JSON.parse(readFileSync(join(profiles, file), 'utf8')) as CpuProfile;
        console.log(`\n--- ${main ? 'main thread' : 'worker thread'} (${join(name, file)})`);
        const cpuPerRequest = thread === undefined ? undefined : (thread.cpu * 1e6) / requests;
        console.log(
          formatSummary(summariseProfile(profile, { from, to }), {
            requests,
            ...(cpuPerRequest === undefined ? {} : { cpuPerRequest }),
          }),
        );
      }
    }
  }
}

await main();

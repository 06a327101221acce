/**
 * Dispatch benchmark (`npm run bench:dispatch -w @livehooks/server`): the same load of unique signed
 * callbacks against two gateways on SQLite, each in its own process: one without sinks (the baseline), one
 * with a webhook sink to a node:http receiver in a process of its own and a Redis Stream sink. Prints ingest p99 of
 * both (the latency dispatch adds), and how fast each sink delivered the events of the loaded run (events/s
 * from the first to the last delivery) with the backlog left when the load stopped. Runs on the built
 * packages (`npm run build` first); about a minute.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { openStore } from '@livehooks/server';
import { serverEnv } from '../test/support/spawn-server.js';
import { createCallbackFactory } from '../test/support/unique-callbacks.js';
import {
  CONNECTIONS,
  describeMachine,
  drive,
  DURATION_S,
  here,
  REDIS_URL,
  spawn,
  startWebhookReceiver,
  WARMUP_S,
  type Run,
} from './bench-support.js';

const BODIES = Number(process.env.BENCH_BODIES ?? 80_000);
/** Longest wait for the sinks to catch up after the load. */
const DRAIN_LIMIT_MS = 30_000;

async function redisReachable(redis: Redis): Promise<boolean> {
  try {
    return (await redis.ping()) === 'PONG';
  } catch {
    return false;
  }
}

function rate(count: number, fromMs: number, toMs: number): string {
  return toMs > fromMs ? ((count * 1000) / (toMs - fromMs)).toFixed(0) : '-';
}

async function main(): Promise<void> {
  console.log(
    `dispatch benchmark: ${CONNECTIONS} connections, ${DURATION_S} s per gateway after ${WARMUP_S} s warm-up; ${describeMachine()}`,
  );
  const factory = createCallbackFactory();
  const bodies = Array.from({ length: BODIES }, (_, seq) => factory.make(seq));
  const receiver = await startWebhookReceiver();
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const withRedis = await redisReachable(redis);
  if (!withRedis) console.log(`Redis at ${REDIS_URL} is unreachable: the Redis sink is left out`);
  const stream = `lh_bench_${process.pid}`;
  const dir = mkdtempSync(join(tmpdir(), 'livehooks-dispatch-bench-'));
  const sinks = [
    { name: 'hook', type: 'webhook', url: receiver.url },
    ...(withRedis ? [{ name: 'stream', type: 'redis', url: REDIS_URL, stream }] : []),
  ];
  const configFile = join(dir, 'livehooks.config.json');
  writeFileSync(configFile, JSON.stringify({ sinks }));
  console.log(`sinks: ${sinks.map((sink) => `${sink.type} (default concurrency)`).join(', ')}`);

  const gateway = (name: string, config?: string) => {
    const env = {
      ...serverEnv(join(dir, name, 'livehooks.db'), join(dir, name)),
      LIVEHOOKS_LOG_LEVEL: 'info',
      ...(config === undefined ? {} : { LIVEHOOKS_CONFIG: config }),
    };
    return spawn(here('../test/support/server-process.js'), env);
  };

  const report = (run: Run): void =>
    console.log(
      `${run.name.padEnd(26)} ${run.rps.toFixed(0).padStart(7)} req/s  p50 ${run.p50} ms  p99 ${run.p99} ms  ` +
        `non-2xx ${run.non2xx}  errors ${run.errors}`,
    );
  let offset = 0;
  const load = async (name: string, url: string): Promise<Run> => {
    const target = { name, url };
    const warmup = await drive(target, bodies, offset, WARMUP_S, { make: (seq) => factory.make(seq) });
    const run = await drive(target, bodies, warmup.sent, DURATION_S, { make: (seq) => factory.make(seq) });
    offset = run.sent;
    report(run);
    return run;
  };
  /** Events the gateway stored: answers still in flight when autocannon stopped count too. */
  const storedEvents = async (databaseUrl: string): Promise<number> => {
    const store = await openStore(databaseUrl);
    try {
      let count = -1;
      for (;;) {
        const row = await store.db
          .selectFrom('events')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow();
        if (Number(row.n) === count) return count;
        count = Number(row.n);
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    } finally {
      await store.close();
    }
  };

  try {
    const bare = await gateway('baseline');
    let baseline: Run;
    try {
      baseline = await load('gateway, no sinks', bare.url);
    } finally {
      await bare.stop();
    }

    const fanned = await gateway('sinks', configFile);
    try {
      const loadStart = Date.now();
      const run = await load('gateway, webhook + redis', fanned.url);
      const loadEnd = Date.now();
      const streamLength = async () => (withRedis ? await redis.xlen(stream) : 0);
      const delivered = { webhook: (await receiver.arrivals()).size, redis: await streamLength() };
      const acknowledged = await storedEvents(join(dir, 'sinks', 'livehooks.db'));
      const backlog = { webhook: acknowledged - delivered.webhook, redis: acknowledged - delivered.redis };
      let redisDone = 0;
      const deadline = loadEnd + DRAIN_LIMIT_MS;
      while (Date.now() < deadline) {
        const length = await streamLength();
        if (withRedis && redisDone === 0 && length >= acknowledged) redisDone = Date.now();
        if ((await receiver.arrivals()).size >= acknowledged && (!withRedis || redisDone > 0)) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const arrivals = [...(await receiver.arrivals()).values()];
      const last = Math.max(loadStart, ...arrivals);
      console.log(
        `webhook: ${arrivals.length}/${acknowledged} events delivered, ` +
          `${rate(arrivals.length, loadStart, last)} events/s from the load's start to the last delivery; ` +
          `backlog when the load stopped: ${backlog.webhook}`,
      );
      if (withRedis) {
        const length = await streamLength();
        console.log(
          `redis:   ${length}/${acknowledged} events delivered, ` +
            `${rate(length, loadStart, redisDone || Date.now())} events/s from the load's start to the last delivery; ` +
            `backlog when the load stopped: ${backlog.redis}`,
        );
      }
      console.log(
        `ingest with sinks: ${(run.rps / baseline.rps).toFixed(2)} of the no-sink throughput, ` +
          `p99 ${run.p99} ms vs ${baseline.p99} ms (${(run.p99 / baseline.p99).toFixed(2)}x)`,
      );
    } finally {
      await fanned.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    if (withRedis) await redis.del(stream);
    redis.disconnect();
    await receiver.stop();
  }
}

await main();

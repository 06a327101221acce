/**
 * Ingest benchmark (`npm run bench -w @livehooks/server`, on the built packages). For each body kind (a CSS
 * 200 screenshot, a TRTC 1104 moderation result, the mix of every fixture type), each callback unique and
 * signed with the test keys, autocannon drives the same load against each target in turn, each in its own
 * process: a bare node:http server answering {"code":0}; the lean durable receiver (lean-receiver.js); an
 * Express receiver (express-receiver.js); `livehooks serve` on SQLite and on PostgreSQL, then both again with
 * a webhook sink (a receiver in a process of its own) and a Redis Stream sink.
 *
 * It prints throughput, the ratios to the bare server and to the lean receiver, p50/p99 latency, the server's
 * CPU time per request (every thread, from /proc/<pid>/stat), and how many acknowledged callbacks are missing
 * from the store (must be 0). For the gateways it measures, at the sustained rate, the projection lag
 * (acknowledgement until the callback shows in /api/streams or /api/trtc/tasks, sampled) and, with sinks,
 * the delivery lag (acknowledgement until arrival at the webhook receiver and in the Redis stream, every
 * callback), and samples both backlogs each second to show whether they grow.
 *
 * Environment: BENCH_DURATION_S (10), BENCH_WARMUP_S (2), BENCH_CONNECTIONS (64), BENCH_BODY_KINDS
 * (css,trtc,mix), BENCH_TARGETS (bare,lean,express,sqlite,postgres,sqlite+sinks,postgres+sinks),
 * BENCH_DRAIN_S (longest wait for projections and sinks to catch up after the load, 60).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { Redis } from 'ioredis';
import pg from 'pg';
import { parseCallback } from '@livehooks/core';
import { serverEnv } from '../test/support/spawn-server.js';
import { TEST_API_TOKEN, TEST_INGEST_SECRET } from '../test/support/test-secrets.js';
import {
  createCallbackFactory,
  TEST_PARSE_OPTIONS,
  type CallbackFactory,
  type UniqueCallback,
} from '../test/support/unique-callbacks.js';
import {
  BODY_KINDS,
  CONNECTIONS,
  cpuSeconds,
  describeMachine,
  drive,
  DURATION_S,
  here,
  PG_URL,
  postgresReachable,
  quantile,
  REDIS_URL,
  selected,
  spawn,
  spawnServe,
  startWebhookReceiver,
  WARMUP_S,
  type BodyKind,
  type Run,
  type Target,
} from './bench-support.js';

const DRAIN_S = Number(process.env.BENCH_DRAIN_S ?? 60);
/** One projection probe per this many ms of acknowledgements. */
const PROBE_INTERVAL_MS = 100;
/** Backlog samples during the load. */
const BACKLOG_INTERVAL_MS = 1000;

type GatewayDatabase = 'sqlite' | 'postgres';

interface TargetSpec {
  key: string;
  name: string;
  /** The gateway's database, or the hand-written receivers' SQLite file (undefined: stores nothing). */
  store?: 'hand-written' | GatewayDatabase;
  sinks?: boolean;
}

const TARGETS: TargetSpec[] = [
  { key: 'bare', name: 'bare node:http' },
  { key: 'lean', name: 'lean durable receiver', store: 'hand-written' },
  { key: 'express', name: 'Express + one insert per request', store: 'hand-written' },
  { key: 'sqlite', name: 'livehooks serve, SQLite', store: 'sqlite' },
  { key: 'postgres', name: 'livehooks serve, PostgreSQL', store: 'postgres' },
  {
    key: 'sqlite+sinks',
    name: 'livehooks serve, SQLite, webhook + Redis sinks',
    store: 'sqlite',
    sinks: true,
  },
  {
    key: 'postgres+sinks',
    name: 'livehooks serve, PostgreSQL, webhook + Redis sinks',
    store: 'postgres',
    sinks: true,
  },
];

/** Read access to a target's store, outside the server process. */
interface StoreReader {
  rawBodies(): Promise<Set<string>>;
  /** Rows of the projection queue and pending deliveries by sink, for the gateways. */
  backlog(): Promise<{ projections: number; deliveries: Record<string, number> }>;
  close(): Promise<void>;
}

function sqliteReader(path: string): StoreReader {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
  return {
    rawBodies: () =>
      Promise.resolve(
        new Set(
          (db.prepare('select raw from events').all() as { raw: Buffer }[]).map((row) => row.raw.toString()),
        ),
      ),
    backlog: () =>
      Promise.resolve({
        projections: count('select count(*) as n from projection_queue'),
        deliveries: Object.fromEntries(
          (
            db
              .prepare(`select sink, count(*) as n from deliveries where status = 'pending' group by sink`)
              .all() as { sink: string; n: number }[]
          ).map((row) => [row.sink, row.n]),
        ),
      }),
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}

async function postgresReader(schema: string): Promise<StoreReader> {
  const client = new pg.Client({ connectionString: PG_URL, options: `-c search_path=${schema}` });
  await client.connect();
  return {
    rawBodies: async () =>
      new Set(
        (await client.query<{ raw: Buffer }>('select raw from events')).rows.map((row) => row.raw.toString()),
      ),
    backlog: async () => {
      const projections = await client.query<{ n: string }>('select count(*) as n from projection_queue');
      const deliveries = await client.query<{ sink: string; n: string }>(
        `select sink, count(*) as n from deliveries where status = 'pending' group by sink`,
      );
      return {
        projections: Number(projections.rows[0]?.n ?? 0),
        deliveries: Object.fromEntries(deliveries.rows.map((row) => [row.sink, Number(row.n)])),
      };
    },
    close: () => client.end(),
  };
}

/** The API path that shows a callback once projected, for the callbacks that have one. */
function projectedPathOf(callback: UniqueCallback): string | undefined {
  if (callback.type === 'css.screenshot') {
    const { stream_id: streamId } = JSON.parse(callback.body) as { stream_id?: string };
    return streamId === undefined ? undefined : `/api/streams/${encodeURIComponent(streamId)}`;
  }
  if (callback.type === 'trtc.moderation.result') {
    const { EventInfo: info } = JSON.parse(callback.body) as { EventInfo?: { TaskId?: string } };
    return info?.TaskId === undefined ? undefined : `/api/trtc/tasks/${encodeURIComponent(info.TaskId)}`;
  }
  return undefined;
}

/**
 * Samples one acknowledged callback per {@link PROBE_INTERVAL_MS} and polls the query API, oldest first (the
 * projector applies events in commit order), until it shows; the lag is from the acknowledgement to then.
 */
class ProjectionProbe {
  readonly lags: number[] = [];
  readonly #url: string;
  readonly #pending: { path: string; at: number }[] = [];
  #lastProbe = 0;
  #loadEnded = Infinity;
  #drainedAt: number | undefined;
  readonly #done: Promise<void>;

  constructor(url: string) {
    this.#url = url;
    this.#done = this.#poll();
  }

  offer(callback: UniqueCallback, at: number): void {
    if (at - this.#lastProbe < PROBE_INTERVAL_MS) return;
    const path = projectedPathOf(callback);
    if (path === undefined) return;
    this.#lastProbe = at;
    this.#pending.push({ path, at });
  }

  /** Stops sampling and resolves once every probe showed, or after {@link DRAIN_S}. */
  async finish(loadEnded: number): Promise<{ unresolved: number; drainMs: number | undefined }> {
    this.#loadEnded = loadEnded;
    await this.#done;
    return {
      unresolved: this.#pending.length,
      drainMs: this.#drainedAt === undefined ? undefined : Math.max(0, this.#drainedAt - loadEnded),
    };
  }

  async #poll(): Promise<void> {
    const headers = { authorization: `Bearer ${TEST_API_TOKEN}` };
    for (;;) {
      const now = Date.now();
      if (now > this.#loadEnded + DRAIN_S * 1000) return;
      const oldest = this.#pending[0];
      if (oldest === undefined) {
        if (now >= this.#loadEnded) {
          this.#drainedAt = now;
          return;
        }
        await sleep(10);
        continue;
      }
      const response = await fetch(this.#url + oldest.path, { headers });
      await response.body?.cancel();
      if (response.status === 200) {
        this.lags.push(Date.now() - oldest.at);
        this.#pending.shift();
      } else if (response.status === 404) {
        await sleep(10);
      } else {
        throw new Error(`GET ${oldest.path}: ${response.status}`);
      }
    }
  }
}

/** Arrival time of each event in a Redis stream, by dedupe key: the ms part of the `*` entry id XADD gave. */
async function redisArrivals(redis: Redis, stream: string): Promise<Map<string, number>> {
  const arrivals = new Map<string, number>();
  let start = '-';
  for (;;) {
    const entries = await redis.xrange(stream, start, '+', 'COUNT', 5000);
    for (const [id, fields] of entries) {
      const envelope = fields[fields.indexOf('envelope') + 1]!;
      const { dedupeKey } = JSON.parse(envelope) as { dedupeKey: string };
      if (!arrivals.has(dedupeKey)) arrivals.set(dedupeKey, Number(id.split('-')[0]));
    }
    if (entries.length < 5000) return arrivals;
    start = `(${entries.at(-1)![0]}`;
  }
}

/** Delivery lags of the run's acknowledged callbacks against `arrivals`; undelivered ones are counted apart. */
function deliveryLags(
  keys: string[],
  acknowledgedAt: number[],
  arrivals: Map<string, number>,
): { lags: number[]; missing: number } {
  const lags: number[] = [];
  let missing = 0;
  keys.forEach((key, index) => {
    const arrived = arrivals.get(key);
    if (arrived === undefined) missing += 1;
    else lags.push(Math.max(0, arrived - acknowledgedAt[index]!));
  });
  return { lags, missing };
}

interface Row {
  kind: BodyKind;
  spec: TargetSpec;
  run: Run;
  cpuUs: number;
  missing: number | undefined;
  stored: number | undefined;
  projection?: {
    p50: number | undefined;
    p99: number | undefined;
    probes: number;
    unresolved: number;
    drainMs?: number;
  };
  backlog?: { projections: number[]; deliveries: Record<string, number[]> };
  deliveries?: Record<
    string,
    { p50: number | undefined; p99: number | undefined; delivered: number; missing: number; drainMs?: number }
  >;
}

const ms = (value: number | undefined) => (value === undefined ? '-' : `${Math.round(value)} ms`);
const ratio = (value: number, base: number | undefined) => (base ? (value / base).toFixed(2) : '-');

function printTables(rows: Row[]): void {
  console.log(
    '\n| body | target | req/s | of bare | of lean | p50 | p99 | CPU µs/request | acknowledged but missing |',
  );
  console.log('|---|---|--:|--:|--:|--:|--:|--:|--:|');
  for (const row of rows) {
    const same = rows.filter((other) => other.kind === row.kind);
    const bare = same.find((other) => other.spec.key === 'bare')?.run.rps;
    const lean = same.find((other) => other.spec.key === 'lean')?.run.rps;
    const missing = row.missing === undefined ? '' : `${row.missing} of ${row.run.acknowledged.length}`;
    console.log(
      `| ${row.kind.name} | ${row.spec.name} | ${row.run.rps.toFixed(0)} | ${ratio(row.run.rps, bare)} | ` +
        `${ratio(row.run.rps, lean)} | ${row.run.p50} ms | ${row.run.p99} ms | ${row.cpuUs.toFixed(0)} | ${missing} |`,
    );
  }
  const gateways = rows.filter((row) => row.projection !== undefined);
  if (gateways.length === 0) return;
  console.log(
    '\n| body | target | projection lag p50 / p99 (probes) | projection queue each s | drained after load | webhook lag p50 / p99 (drained after load) | Redis lag p50 / p99 (drained after load) | pending deliveries each s (webhook; redis) |',
  );
  console.log('|---|---|--:|---|--:|--:|--:|---|');
  for (const row of gateways) {
    const projection = row.projection!;
    const unresolved = projection.unresolved > 0 ? `, ${projection.unresolved} not shown` : '';
    const delivery = (name: string) => {
      const result = row.deliveries?.[name];
      if (result === undefined) return '';
      const missing = result.missing > 0 ? `, ${result.missing} undelivered` : '';
      const drained =
        result.drainMs === undefined ? `not drained in ${DRAIN_S} s` : `drained ${ms(result.drainMs)}`;
      return `${ms(result.p50)} / ${ms(result.p99)} (${drained}${missing})`;
    };
    const pending = row.backlog?.deliveries;
    console.log(
      `| ${row.kind.name} | ${row.spec.name} | ${ms(projection.p50)} / ${ms(projection.p99)} (${projection.probes}${unresolved}) | ` +
        `${row.backlog?.projections.join(' ') ?? ''} | ${ms(projection.drainMs)} | ${delivery('hook')} | ${delivery('stream')} | ` +
        `${pending === undefined || Object.keys(pending).length === 0 ? '' : `${pending.hook?.join(' ') ?? '-'}; ${pending.stream?.join(' ') ?? '-'}`} |`,
    );
  }
}

function printAims(rows: Row[]): void {
  console.log('\naims (issue 11), per body kind:');
  for (const kind of new Set(rows.map((row) => row.kind))) {
    const of = (key: string) => rows.find((row) => row.kind === kind && row.spec.key === key);
    const [bare, lean, express, sqlite, postgres] = ['bare', 'lean', 'express', 'sqlite', 'postgres'].map(of);
    const parts: string[] = [];
    if (sqlite && lean) parts.push(`SQLite ${ratio(sqlite.run.rps, lean.run.rps)} of lean (aim >= 0.75)`);
    if (sqlite) parts.push(`SQLite p99 ${sqlite.run.p99} ms (aim <= 15 ms)`);
    if (sqlite && bare) parts.push(`SQLite CPU ${ratio(sqlite.cpuUs, bare.cpuUs)}x bare (aim <= 2.5x)`);
    if (postgres && express)
      parts.push(`PostgreSQL ${ratio(postgres.run.rps, express.run.rps)}x Express (aim >= 2x)`);
    for (const row of [sqlite, postgres]) {
      if (row?.projection)
        parts.push(`${row.spec.name} projection lag p99 ${ms(row.projection.p99)} (aim <= 1000 ms)`);
    }
    if (parts.length > 0) console.log(`  ${kind.name}: ${parts.join('; ')}`);
  }
}

async function main(): Promise<void> {
  const kinds = selected(BODY_KINDS, 'BENCH_BODY_KINDS');
  let specs = selected(TARGETS, 'BENCH_TARGETS');
  console.log(
    `ingest benchmark: ${CONNECTIONS} connections, ${DURATION_S} s per target after ${WARMUP_S} s warm-up; ${describeMachine()}`,
  );
  if (specs.some((spec) => spec.store === 'postgres') && !(await postgresReachable())) {
    console.log(`PostgreSQL at ${PG_URL} is unreachable: its runs are skipped`);
    specs = specs.filter((spec) => spec.store !== 'postgres');
  }
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  const withRedis = await redis.ping().then(
    (answer) => answer === 'PONG',
    () => false,
  );
  if (!withRedis && specs.some((spec) => spec.sinks))
    console.log(`Redis at ${REDIS_URL} is unreachable: the sink runs have the webhook sink only`);
  const receiver = specs.some((spec) => spec.sinks) ? await startWebhookReceiver() : undefined;
  const dir = mkdtempSync(join(tmpdir(), 'livehooks-bench-'));
  const pgClient = new pg.Client({ connectionString: PG_URL });
  const schemas: string[] = [];
  const streams: string[] = [];
  const rows: Row[] = [];
  let runIndex = 0;

  const startTarget = async (
    spec: TargetSpec,
    kind: BodyKind,
  ): Promise<{ target: Target; reader?: () => Promise<StoreReader>; stream?: string }> => {
    const name = `${kind.key}-${spec.key.replace('+', '-')}-${runIndex++}`;
    if (spec.store === undefined)
      return { target: { name: spec.name, ...(await spawn(here('./bare-server.js'), {})) } };
    if (spec.store === 'hand-written') {
      const file = join(dir, `${name}.db`);
      const script = here(spec.key === 'lean' ? './lean-receiver.js' : './express-receiver.js');
      const started = await spawn(script, { BENCH_DB: file, BENCH_INGEST_SECRET: TEST_INGEST_SECRET });
      return { target: { name: spec.name, ...started }, reader: () => Promise.resolve(sqliteReader(file)) };
    }
    const dataDir = join(dir, name);
    mkdirSync(dataDir, { recursive: true });
    let databaseUrl = join(dataDir, 'livehooks.db');
    let reader = () => Promise.resolve(sqliteReader(databaseUrl));
    if (spec.store === 'postgres') {
      const schema = `lh_bench_${process.pid}_${name.replaceAll('-', '_')}`;
      schemas.push(schema);
      databaseUrl = `${PG_URL}${PG_URL.includes('?') ? '&' : '?'}schema=${schema}`;
      reader = () => postgresReader(schema);
    }
    const env: Record<string, string> = { ...serverEnv(databaseUrl, dataDir), LIVEHOOKS_LOG_LEVEL: 'info' };
    let stream: string | undefined;
    if (spec.sinks) {
      stream = `lh_bench_${process.pid}_${name}`;
      streams.push(stream);
      const sinks = [
        { name: 'hook', type: 'webhook', url: receiver!.url },
        ...(withRedis ? [{ name: 'stream', type: 'redis', url: REDIS_URL, stream }] : []),
      ];
      const file = join(dataDir, 'livehooks.config.json');
      writeFileSync(file, JSON.stringify({ sinks }));
      env.LIVEHOOKS_CONFIG = file;
    }
    return { target: { name: spec.name, ...(await spawnServe(env)) }, reader, ...(stream ? { stream } : {}) };
  };

  const measure = async (
    spec: TargetSpec,
    kind: BodyKind,
    factory: CallbackFactory,
    bodies: UniqueCallback[],
  ): Promise<Row> => {
    receiver?.clear();
    const { target, reader, stream } = await startTarget(spec, kind);
    try {
      const make = spec.store === undefined ? undefined : (seq: number) => factory.make(seq);
      const warmup = await drive(target, bodies, 0, WARMUP_S, make ? { make } : {});
      const gateway = spec.store === 'sqlite' || spec.store === 'postgres';
      const probe = gateway ? new ProjectionProbe(target.url) : undefined;
      const store = gateway ? await reader!() : undefined;
      const backlog = { projections: [] as number[], deliveries: {} as Record<string, number[]> };
      const sample = async () => {
        const now = await store!.backlog();
        backlog.projections.push(now.projections);
        for (const sink of spec.sinks ? ['hook', ...(withRedis ? ['stream'] : [])] : [])
          (backlog.deliveries[sink] ??= []).push(now.deliveries[sink] ?? 0);
      };
      let sampling: NodeJS.Timeout | undefined;
      let samples = Promise.resolve();
      if (store) {
        sampling = setInterval(() => {
          samples = samples.then(sample);
        }, BACKLOG_INTERVAL_MS);
      }
      const cpuBefore = cpuSeconds(target.pid);
      const run = await drive(target, bodies, warmup.sent, DURATION_S, {
        ...(make ? { make } : {}),
        ...(probe ? { onAcknowledged: (callback, at) => probe.offer(callback, at) } : {}),
      });
      const cpuUs = ((cpuSeconds(target.pid) - cpuBefore) * 1e6) / Math.max(1, run.requests);
      clearInterval(sampling);
      await samples;
      const row: Row = { kind, spec, run, cpuUs, missing: undefined, stored: undefined };
      if (probe) {
        const { unresolved, drainMs } = await probe.finish(run.endedAt);
        row.projection = {
          p50: quantile(probe.lags, 0.5),
          p99: quantile(probe.lags, 0.99),
          probes: probe.lags.length + unresolved,
          unresolved,
          ...(drainMs === undefined ? {} : { drainMs }),
        };
        row.backlog = backlog;
      }
      if (spec.sinks) row.deliveries = await measureDeliveries(run, store!, stream);
      if (reader) {
        const check = store ?? (await reader());
        try {
          const stored = await check.rawBodies();
          row.stored = stored.size;
          row.missing = [...warmup.acknowledged, ...run.acknowledged].filter(
            (c) => !stored.has(c.body),
          ).length;
        } finally {
          await check.close();
        }
      }
      console.log(
        `${kind.name} / ${spec.name}: ${run.rps.toFixed(0)} req/s, p99 ${run.p99} ms, ${cpuUs.toFixed(0)} µs CPU/request, ` +
          `non-2xx ${run.non2xx}, errors ${run.errors}` +
          (row.missing === undefined
            ? ''
            : `, ${row.missing} acknowledged but missing (${row.stored} stored)`) +
          (row.projection ? `, projection lag p99 ${ms(row.projection.p99)}` : ''),
      );
      return row;
    } finally {
      await target.stop();
    }
  };

  /** Waits until no delivery is pending (or {@link DRAIN_S}), then matches arrivals to acknowledgements. */
  const measureDeliveries = async (
    run: Run,
    store: StoreReader,
    stream: string | undefined,
  ): Promise<NonNullable<Row['deliveries']>> => {
    const sinks = ['hook', ...(withRedis && stream ? ['stream'] : [])];
    const drained: Record<string, number> = {};
    while (Date.now() < run.endedAt + DRAIN_S * 1000) {
      const { deliveries } = await store.backlog();
      for (const sink of sinks)
        if (!deliveries[sink] && drained[sink] === undefined) drained[sink] = Date.now();
      if (sinks.every((sink) => drained[sink] !== undefined)) break;
      await sleep(100);
    }
    const keys = run.acknowledged.map(
      (callback) => parseCallback(callback.body, callback.headers, TEST_PARSE_OPTIONS).dedupeKey,
    );
    const result: NonNullable<Row['deliveries']> = {};
    for (const sink of sinks) {
      const arrivals = sink === 'hook' ? await receiver!.arrivals() : await redisArrivals(redis, stream!);
      const { lags, missing } = deliveryLags(keys, run.acknowledgedAt, arrivals);
      const drainedAt = drained[sink];
      result[sink] = {
        p50: quantile(lags, 0.5),
        p99: quantile(lags, 0.99),
        delivered: lags.length,
        missing,
        ...(drainedAt === undefined ? {} : { drainMs: drainedAt - run.endedAt }),
      };
    }
    return result;
  };

  try {
    if (specs.some((spec) => spec.store === 'postgres')) await pgClient.connect();
    for (const kind of kinds) {
      const factory = createCallbackFactory(kind.samples());
      console.log(
        `\n${kind.name}: ${factory.types.length} event types, ${factory.excluded.length} samples excluded`,
      );
      const bodies = Array.from({ length: 10_000 }, (_, seq) => factory.make(seq));
      for (const spec of specs) {
        const bare = rows.find((row) => row.kind === kind && row.spec.key === 'bare');
        if (spec.store !== undefined && bare !== undefined) {
          // Enough unique bodies for a target as fast as the bare server, made before its load starts.
          const needed = Math.ceil(bare.run.rps * (WARMUP_S + DURATION_S) * 1.2);
          for (let seq = bodies.length; seq < needed; seq++) bodies.push(factory.make(seq));
        }
        rows.push(await measure(spec, kind, factory, bodies));
      }
    }
  } finally {
    await receiver?.stop();
    for (const stream of streams) await redis.del(stream).catch(() => 0);
    redis.disconnect();
    for (const schema of schemas)
      await pgClient.query(`drop schema if exists "${schema}" cascade`).catch(() => {});
    await pgClient.end().catch(() => {});
    rmSync(dir, { recursive: true, force: true });
  }
  printTables(rows);
  printAims(rows);
}

await main();

/**
 * What the benchmarks share: the load generator (autocannon over unique signed callbacks), starting a server
 * in its own process (the bare server, a hand-written receiver or `livehooks serve`), reading a process's CPU
 * time, and the machine line printed first.
 */
import { execFileSync, fork, spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { loadSamples, samplesOf, type Sample } from '@livehooks/fixtures';
import { TEST_INGEST_SECRET } from '../test/support/test-secrets.js';
import type { UniqueCallback } from '../test/support/unique-callbacks.js';

function numberFromEnv(names: string[], fallback: number): number {
  for (const name of names) {
    const value = process.env[name];
    if (value === undefined || value === '') continue;
    const parsed = Number(value);
    if (!Number.isFinite(parsed) || parsed < 0) throw new Error(`${name} must be a number, not ${value}`);
    return parsed;
  }
  return fallback;
}

/** autocannon connections (`BENCH_CONNECTIONS`). */
export const CONNECTIONS = numberFromEnv(['BENCH_CONNECTIONS'], 64);
/** Seconds of measured load per run (`BENCH_DURATION_S`, formerly `BENCH_DURATION`). */
export const DURATION_S = numberFromEnv(['BENCH_DURATION_S', 'BENCH_DURATION'], 10);
/** Seconds of load before each measured run (`BENCH_WARMUP_S`). */
export const WARMUP_S = numberFromEnv(['BENCH_WARMUP_S'], 2);
/** The PostgreSQL of the benchmarks. */
export const PG_URL =
  process.env.LIVEHOOKS_BENCH_PG_URL ??
  process.env.LIVEHOOKS_TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
/** The Redis of the benchmarks. */
export const REDIS_URL = process.env.LIVEHOOKS_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A kind of request body the load is made of. */
export interface BodyKind {
  key: string;
  name: string;
  samples: () => Sample[];
}

/** The body kinds of the ingest benchmark, each request unique and signed (`BENCH_BODY_KINDS`). */
export const BODY_KINDS: BodyKind[] = [
  { key: 'css', name: 'CSS 200 screenshot', samples: () => samplesOf('css.screenshot') },
  { key: 'trtc', name: 'TRTC 1104', samples: () => samplesOf('trtc.moderation.result') },
  { key: 'mix', name: 'mix of every fixture type', samples: loadSamples },
];

/** The items of `all` whose keys the comma-separated environment `variable` lists; all of them when unset. */
export function selected<T extends { key: string }>(all: T[], variable: string): T[] {
  const value = process.env[variable];
  if (value === undefined || value === '') return all;
  const keys = value.split(',').map((key) => key.trim());
  const unknown = keys.filter((key) => !all.some((item) => item.key === key));
  if (unknown.length > 0)
    throw new Error(`${variable}: unknown ${unknown.join(', ')}; one of ${all.map((i) => i.key).join(', ')}`);
  return all.filter((item) => keys.includes(item.key));
}

/** Node version, CPUs and load average, so figures are read with the machine they came from. */
export function describeMachine(): string {
  return `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`;
}

/** A path beside this file. */
export const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** A server process the load is driven against. */
export interface Target {
  name: string;
  url: string;
  pid: number;
  /** Stops the process (SIGTERM) and resolves once it has exited. */
  stop(): Promise<void>;
}

function started(child: ChildProcess, url: Promise<string>, what: string): Promise<Omit<Target, 'name'>> {
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return Promise.race([
    url,
    exited.then(() => Promise.reject(new Error(`${what} exited before listening`))),
  ]).then((address) => ({
    url: address,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  }));
}

/** Forks `script` (plain node, no test-runner flags) and resolves once it reports its URL over IPC. */
export async function spawn(
  script: string,
  env: Record<string, string>,
  execArgv: string[] = [],
): Promise<Omit<Target, 'name'>> {
  const child = fork(script, [], {
    execArgv,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    // The gateway logs one line per request at info: produced for real, discarded here.
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const url = new Promise<string>((resolve) =>
    child.once('message', (message: { url: string }) => resolve(message.url)),
  );
  return started(child, url, script);
}

/** The benchmarks' webhook endpoint (`webhook-receiver.js`), in a process of its own. */
export interface WebhookReceiver {
  url: string;
  /** The first arrival of each event so far, by dedupe key, in ms since the epoch. */
  arrivals(): Promise<Map<string, number>>;
  /** Forgets the arrivals so far. */
  clear(): void;
  stop(): Promise<void>;
}

/** Starts the webhook endpoint of the benchmarks, which answers 204 at once and records arrivals. */
export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const child = fork(here('./webhook-receiver.js'), [], {
    env: { ...process.env, NODE_OPTIONS: '' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await Promise.race([
    new Promise<string>((resolve) =>
      child.once('message', (message: { url: string }) => resolve(message.url)),
    ),
    exited.then(() => Promise.reject(new Error('the webhook receiver exited before listening'))),
  ]);
  return {
    url,
    arrivals: () =>
      new Promise((resolve) => {
        const onMessage = (message: { arrivals?: [string, number][] }): void => {
          if (message.arrivals === undefined) return;
          child.off('message', onMessage);
          resolve(new Map(message.arrivals));
        };
        child.on('message', onMessage);
        child.send({ arrivals: true });
      }),
    clear: () => child.send({ clear: true }),
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

const CLI = here('../../cli/bin/livehooks.js');

/**
 * Starts `livehooks serve --json` (the built CLI) with `env` and resolves with the URL of its banner. Its
 * log, one JSON line per request at `info`, is written for real to a discarded standard error.
 */
export async function spawnServe(
  env: Record<string, string>,
  execArgv: string[] = [],
): Promise<Omit<Target, 'name'>> {
  const child = spawnProcess(process.execPath, [...execArgv, CLI, 'serve', '--json'], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const lines = createInterface({ input: child.stdout });
  const url = new Promise<string>((resolve) =>
    lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url)),
  );
  return started(child, url, 'livehooks serve');
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** User plus system CPU seconds of a process so far, every thread included (`/proc/<pid>/stat`). */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the
  // 14th and 15th fields of the line, the 12th and 13th after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** A thread of a process and its CPU seconds so far. */
export interface ThreadTimes {
  tid: number;
  cpu: number;
}

/** CPU seconds of every thread of a process (`/proc/<pid>/task/<tid>/stat`). */
export function threadTimes(pid: number): ThreadTimes[] {
  return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    } catch {
      return [];
    }
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [
      {
        tid: Number(tid),
        cpu: (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND,
      },
    ];
  });
}

/** What one autocannon run measured. */
export interface Run {
  name: string;
  /** Index of the next unused body. */
  sent: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  /** Requests answered, whatever their status. */
  requests: number;
  /** The callbacks answered 200, with the time of each answer (`Date.now()`) at the same index. */
  acknowledged: UniqueCallback[];
  acknowledgedAt: number[];
  startedAt: number;
  endedAt: number;
}

/** The ingest path of a callback: the secret URL for unsigned CSS events. */
export function pathOf(callback: UniqueCallback): string {
  return callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks';
}

/** Options of {@link drive}. */
export interface DriveOptions {
  /**
   * Makes the callback of an index past the end of `bodies`, so each is sent once; without it the load cycles
   * through `bodies` (for a server that stores nothing).
   */
  make?: (seq: number) => UniqueCallback;
  /** Told of every callback answered 200, as it is answered. */
  onAcknowledged?: (callback: UniqueCallback, at: number) => void;
}

/**
 * Drives `seconds` of load with `CONNECTIONS` connections, each request the next body from `start` (made when
 * `bodies` runs out, or cycling without `make`), and records the bodies answered 200.
 */
export async function drive(
  target: Pick<Target, 'name' | 'url'>,
  bodies: UniqueCallback[],
  start: number,
  seconds: number,
  options: DriveOptions = {},
): Promise<Run> {
  let next = start;
  const acknowledged: UniqueCallback[] = [];
  const acknowledgedAt: number[] = [];
  const { make } = options;
  const bodyAt = (seq: number): UniqueCallback =>
    make === undefined ? bodies[seq % bodies.length]! : (bodies[seq] ??= make(seq));
  const startedAt = Date.now();
  const result = await autocannon({
    url: target.url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request, context: { current?: UniqueCallback }) => {
          const callback = bodyAt(next++);
          context.current = callback;
          return { ...request, path: pathOf(callback), body: callback.body, headers: callback.headers };
        },
        onResponse: (status, _body, context: { current?: UniqueCallback }) => {
          if (status !== 200 || context.current === undefined) return;
          const at = Date.now();
          acknowledged.push(context.current);
          acknowledgedAt.push(at);
          options.onAcknowledged?.(context.current, at);
        },
      },
    ],
  });
  return {
    name: target.name,
    sent: next,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    requests: result.requests.total,
    acknowledged,
    acknowledgedAt,
    startedAt,
    endedAt: Date.now(),
  };
}

/** Whether the benchmark PostgreSQL answers. */
export async function postgresReachable(): Promise<boolean> {
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

/** The `q`-quantile (0..1) of `values` (sorted here), or undefined when there are none. */
export function quantile(values: number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? sorted[0];
}

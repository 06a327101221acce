/**
 * What the benchmarks share: the load generator (autocannon over unique signed callbacks), spawning a
 * gateway or the bare server in its own process, and the machine line printed first.
 */
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';
import { TEST_INGEST_SECRET } from '../test/support/test-secrets.js';
import type { UniqueCallback } from '../test/support/unique-callbacks.js';

/** autocannon connections (`BENCH_CONNECTIONS`). */
export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
/** Seconds of measured load per run (`BENCH_DURATION`). */
export const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
/** Seconds of load before each measured run. */
export const WARMUP_S = 2;
/** The PostgreSQL of the benchmarks. */
export const PG_URL =
  process.env.LIVEHOOKS_BENCH_PG_URL ??
  process.env.LIVEHOOKS_TEST_PG_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

/** Node version, CPUs and load average, so figures are read with the machine they came from. */
export function describeMachine(): string {
  return `node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load average ${loadavg()
    .map((n) => n.toFixed(1))
    .join(' ')}`;
}

/** A path beside this file. */
export const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** A server the load is driven against. */
export interface Target {
  name: string;
  url: string;
  stop(): void;
  databaseUrl?: string;
}

/** Forks `script` (plain node, no test-runner flags) and resolves once it reports its URL over IPC. */
export async function spawn(
  script: string,
  env: Record<string, string>,
): Promise<{ url: string; stop(): void }> {
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
  acknowledged: string[];
}

/** The ingest path of a callback: the secret URL for unsigned CSS events. */
export function pathOf(callback: UniqueCallback): string {
  return callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks';
}

/**
 * Drives `seconds` of load with `CONNECTIONS` connections, each request the next unused body from `start`
 * (cycling when `cycle`), and records the bodies answered 200.
 */
export async function drive(
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

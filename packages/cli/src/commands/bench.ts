import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { CliError } from '../_cli-error.js';
import { printNote } from '../_output.js';
import { positiveInteger } from '../_parse-option.js';
import { withHelp } from '../_command-help.js';
import { exitCodes } from '../exit-codes.js';

interface BenchFlags {
  connections?: number;
  duration?: number;
  bodies?: number;
  pgUrl?: string;
}

/** The gateway's ingest benchmark, which ships with the server package's sources. */
function benchScript(): { script: string; packageDir: string } {
  // dist/index.js (or src/index.ts under the source condition) -> the package directory.
  const packageDir = dirname(dirname(fileURLToPath(import.meta.resolve('@livehooks/server'))));
  const script = join(packageDir, 'bench', 'ingest.bench.ts');
  if (!existsSync(script)) {
    throw new CliError(
      exitCodes.usage,
      `the ingest benchmark is not installed (${script}); it ships with the livehooks repository: run it from a checkout after npm ci`,
    );
  }
  return { script, packageDir };
}

/** The PostgreSQL the benchmark measures when no --pg-url is given, as the benchmark itself defaults. */
const DEFAULT_BENCH_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
/** Longest silence before a line saying the benchmark is still at work. */
const HEARTBEAT_MS = 5000;
/** How long a stopped benchmark gets to end its targets before they are killed. */
const STOP_GRACE_MS = 3000;

/** The part of the `pg` driver used here, typed structurally: the CLI does not depend on it. */
interface PgModule {
  Client: new (config: { connectionString: string; connectionTimeoutMillis: number }) => {
    connect(): Promise<unknown>;
    query(text: string): Promise<unknown>;
    end(): Promise<void>;
  };
}

/**
 * Drops the schemas a benchmark process creates in PostgreSQL (`lh_bench_<pid>` and `lh_bench_<pid>_<run>`),
 * which it drops itself only when it ends normally. Returns the names dropped; none when PostgreSQL cannot be
 * reached.
 */
async function dropBenchSchemas(packageDir: string, pgUrl: string, pid: number): Promise<string[]> {
  // The server package's own driver: the benchmark runs from a checkout, where it is installed.
  const pg = createRequire(join(packageDir, 'package.json'))('pg') as PgModule;
  const client = new pg.Client({ connectionString: pgUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = (await client.query(
      `select nspname as name from pg_namespace where nspname = 'lh_bench_${pid}' or nspname like 'lh\\_bench\\_${pid}\\_%'`,
    )) as { rows: { name: string }[] };
    for (const { name } of rows) await client.query(`drop schema if exists "${name}" cascade`);
    return rows.map(({ name }) => name);
  } catch {
    return [];
  } finally {
    await client.end().catch(() => {});
  }
}

/** Copies a child's output stream to ours, calling `onLine` with each complete line. */
function relay(from: NodeJS.ReadableStream, to: NodeJS.WriteStream, onLine: (line: string) => void): void {
  let pending = '';
  from.on('data', (chunk: Buffer) => {
    to.write(chunk);
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line.trim());
  });
}

async function bench(flags: BenchFlags): Promise<void> {
  const { script, packageDir } = benchScript();
  const pgUrl =
    flags.pgUrl ??
    process.env.LIVEHOOKS_BENCH_PG_URL ??
    process.env.LIVEHOOKS_TEST_PG_URL ??
    DEFAULT_BENCH_PG_URL;
  // The benchmark reads its load from these variables (packages/server/bench/ingest.bench.ts).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(flags.connections === undefined ? {} : { BENCH_CONNECTIONS: String(flags.connections) }),
    ...(flags.duration === undefined ? {} : { BENCH_DURATION: String(flags.duration) }),
    ...(flags.bodies === undefined ? {} : { BENCH_BODIES: String(flags.bodies) }),
    LIVEHOOKS_BENCH_PG_URL: pgUrl,
  };
  // A process group of its own: a stop reaches the benchmark and every target it started.
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: packageDir,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const started = Date.now();
  let lastOutput = started;
  let lastLine = 'starting';
  const onLine = (line: string) => {
    lastOutput = Date.now();
    lastLine = line.length > 80 ? `${line.slice(0, 79)}…` : line;
  };
  relay(child.stdout, process.stdout, onLine);
  relay(child.stderr, process.stderr, onLine);
  const heartbeat = setInterval(() => {
    if (Date.now() - lastOutput < HEARTBEAT_MS) return;
    lastOutput = Date.now();
    printNote(`bench: still running, ${Math.round((Date.now() - started) / 1000)} s in (last: ${lastLine})`);
  }, 1000);
  let stoppedBy: NodeJS.Signals | undefined;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // The group has ended already.
    }
  };
  let forceKill: NodeJS.Timeout | undefined;
  const stop = (signal: NodeJS.Signals) => {
    if (stoppedBy !== undefined) return;
    stoppedBy = signal;
    printNote('bench: stopping');
    killGroup('SIGTERM');
    forceKill = setTimeout(() => killGroup('SIGKILL'), STOP_GRACE_MS);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (stoppedBy !== undefined) {
      killGroup('SIGKILL');
      const dropped = await dropBenchSchemas(packageDir, pgUrl, child.pid!);
      printNote(
        `bench: stopped (${stoppedBy})${dropped.length === 0 ? '' : `; ${dropped.length === 1 ? 'schema' : 'schemas'} ${dropped.join(', ')} dropped`}`,
      );
      process.exitCode = exitCodes.interrupted;
      return;
    }
    if (code !== 0) throw new CliError(exitCodes.failure, `the benchmark failed (exit code ${code})`);
  } finally {
    clearInterval(heartbeat);
    clearTimeout(forceKill);
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * `livehooks bench`: runs the gateway's ingest benchmark on this machine: a bare `node:http`
 * server and the gateway (SQLite, and PostgreSQL when reachable) under the same autocannon load
 * of unique signed callbacks, with throughput, p50/p99 latency, ratios and a durability check.
 *
 * @example
 * ```sh
 * livehooks bench --connections 100 --duration 30
 * ```
 */
export function createBenchCommand(): Command {
  const command = new Command('bench')
    .description(
      'Run the ingest benchmark: bare node:http vs the gateway on SQLite (and PostgreSQL), same load, with a durability check',
    )
    .addOption(
      new Option(
        '--connections <n>',
        "concurrent connections (BENCH_CONNECTIONS; default: the benchmark's, 64)",
      ).argParser(positiveInteger),
    )
    .addOption(
      new Option(
        '--duration <seconds>',
        "measured seconds per target (BENCH_DURATION; default: the benchmark's, 10)",
      ).argParser(positiveInteger),
    )
    .addOption(
      new Option(
        '--bodies <n>',
        "unique signed bodies to prepare (BENCH_BODIES; default: the benchmark's)",
      ).argParser(positiveInteger),
    )
    .option(
      '--pg-url <url>',
      'PostgreSQL to measure too (default LIVEHOOKS_BENCH_PG_URL, else postgres://postgres@127.0.0.1:5432/test)',
    )
    .action(async (flags: BenchFlags) => bench(flags));
  return withHelp(command, {
    notes: [
      'Run it from a checkout of the livehooks repository after npm ci. It starts every target as its own process on this machine and drives them with the same autocannon load of unique signed callbacks (a mix of every fixture type); then it checks that every callback answered 200 is in the store.',
    ],
    examples: [
      'livehooks bench',
      'livehooks bench --connections 128 --duration 30 --pg-url postgres://postgres@127.0.0.1:5432/bench',
    ],
    exitCodes: [
      [exitCodes.ok, 'the benchmark finished'],
      [exitCodes.failure, 'the benchmark failed'],
      [exitCodes.interrupted, 'stopped by Ctrl+C or SIGTERM; its PostgreSQL schema is dropped'],
      [exitCodes.usage, 'invalid option, or the benchmark is not installed'],
    ],
  });
}

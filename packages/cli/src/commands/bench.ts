import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { CliError } from '../_cli-error.js';
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

async function bench(flags: BenchFlags): Promise<void> {
  const { script, packageDir } = benchScript();
  // The benchmark reads its load from these variables (packages/server/bench/ingest.bench.ts).
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(flags.connections === undefined ? {} : { BENCH_CONNECTIONS: String(flags.connections) }),
    ...(flags.duration === undefined ? {} : { BENCH_DURATION: String(flags.duration) }),
    ...(flags.bodies === undefined ? {} : { BENCH_BODIES: String(flags.bodies) }),
    ...(flags.pgUrl === undefined ? {} : { LIVEHOOKS_BENCH_PG_URL: flags.pgUrl }),
  };
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: packageDir,
    env,
    stdio: 'inherit',
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (code !== 0) throw new CliError(exitCodes.failure, `the benchmark failed (exit code ${code})`);
  } finally {
    process.off('SIGINT', forward);
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
      [exitCodes.usage, 'invalid option, or the benchmark is not installed'],
    ],
  });
}

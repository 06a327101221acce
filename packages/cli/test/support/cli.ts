import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
/** The command as users run it: the bin shim over the built dist. */
export const BIN = fileURLToPath(new URL('../../bin/livehooks.js', import.meta.url));

/** The outcome of one `livehooks` process. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options for {@link runCli}. */
export interface RunOptions {
  /** Extra environment variables; `LIVEHOOKS_*` from the test runner's own environment are removed. */
  env?: Record<string, string>;
  /** Written to standard input, which is then closed. */
  input?: string | Buffer;
  cwd?: string;
  timeoutMs?: number;
}

/** Per-user files (the gateways serve records) go here, never into the home of whoever runs the tests. */
const CONFIG_HOME = mkdtempSync(join(tmpdir(), 'livehooks-cli-config-'));

function environment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', XDG_CONFIG_HOME: CONFIG_HOME };
  for (const name of Object.keys(env)) if (name.startsWith('LIVEHOOKS_')) delete env[name];
  return { ...env, ...extra };
}

/** Builds the dist the shim imports, once at a time across test files (a directory is the lock). */
export async function ensureBuilt(): Promise<void> {
  const lock = `${root}packages/cli/.build-lock`;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 180_000) rmSync(lock, { recursive: true, force: true });
      await sleep(200);
    }
  }
  try {
    execFileSync(
      process.execPath,
      [`${root}node_modules/typescript/bin/tsc`, '-b', 'packages/cli/tsconfig.build.json'],
      {
        cwd: root,
        stdio: 'pipe',
      },
    );
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Runs `livehooks <args>` to completion. */
export function runCli(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: options.cwd ?? root,
      env: environment(options.env),
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`livehooks ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`),
      );
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A `livehooks` process whose standard output is read by a reader that goes away, as `| head -n` does. */
export interface ClosingReaderRun {
  /** Resolves once the reader has closed its end of the pipe. */
  readerGone: Promise<void>;
  /** The outcome; `stdout` holds what the reader read before it went away. */
  result: Promise<CliResult>;
}

/** Runs `livehooks <args>` with its standard output piped to a reader that closes after `lines` lines (0: at once). */
export function runCliIntoClosingReader(
  args: readonly string[],
  options: RunOptions & { lines: number },
): ClosingReaderRun {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? root,
    env: environment(options.env),
  });
  let stdout = '';
  let stderr = '';
  let closeReader!: () => void;
  const readerGone = new Promise<void>((resolve) => (closeReader = resolve));
  const close = () => {
    child.stdout.destroy();
    closeReader();
  };
  if (options.lines === 0) close();
  else
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.split('\n').length > options.lines) {
        stdout = stdout.split('\n').slice(0, options.lines).join('\n');
        close();
      }
    });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const result = new Promise<CliResult>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`livehooks ${args.join(' ')} did not finish in time\nstderr: ${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
  child.stdin.end(options.input ?? '');
  return { readerGone, result };
}

/** A long-running `livehooks` process (serve, tail) whose output the test reads as it comes. */
export interface CliProcess {
  child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves once standard output (or standard error) matches, with the match. */
  waitFor(
    pattern: RegExp,
    options?: { timeoutMs?: number; stream?: 'stdout' | 'stderr' },
  ): Promise<RegExpMatchArray>;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process ends by itself. */
  exited(): Promise<number | null>;
}

export function startCli(args: readonly string[], options: RunOptions = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: options.cwd ?? root,
    env: environment(options.env),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    async waitFor(pattern, { timeoutMs = 15_000, stream = 'stdout' } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(stream === 'stdout' ? stdout : stderr);
        if (match) return match;
        if (child.exitCode !== null || Date.now() > deadline) {
          throw new Error(`output never matched ${pattern}\nstdout: ${stdout}\nstderr: ${stderr}`);
        }
        await sleep(25);
      }
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    exited: () => exited,
  };
}

import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TEST_KEYS } from '@livehooks/fixtures';
import { TEST_API_TOKEN, TEST_INGEST_SECRET } from './test-secrets.js';

const script = fileURLToPath(new URL('./server-process.js', import.meta.url));
const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

/** A gateway running in a child process. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Everything the process wrote, for failure messages. */
  output(): string;
}

/** The environment of a test gateway process: test keys, secret and token, a free port on loopback. */
export function serverEnv(databaseUrl: string, dataDir: string): Record<string, string> {
  return {
    LIVEHOOKS_HOST: '127.0.0.1',
    LIVEHOOKS_PORT: '0',
    LIVEHOOKS_DATABASE_URL: databaseUrl,
    LIVEHOOKS_DATA_DIR: dataDir,
    LIVEHOOKS_API_TOKEN: TEST_API_TOKEN,
    LIVEHOOKS_INGEST_SECRET: TEST_INGEST_SECRET,
    LIVEHOOKS_CSS_KEYS: TEST_KEYS.css,
    LIVEHOOKS_TRTC_KEYS: `${TEST_KEYS.trtc.sdkAppId}:${TEST_KEYS.trtc.key}`,
    LIVEHOOKS_LOG_LEVEL: 'warn',
  };
}

/** Starts `node test/support/server-process.js` on the built server and waits until it listens. */
export async function spawnServer(env: Record<string, string>): Promise<ServerProcess> {
  if (!existsSync(dist))
    throw new Error(`${dist} is missing: run \`npm run build\` before the process tests`);
  // Plain node on the built files: neither the test runner's flags nor its `source` condition.
  const child = fork(script, [], {
    execArgv: [],
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    child.once('message', (message: { url: string }) => resolve(message.url));
    void exited.then(({ code, signal }) =>
      reject(new Error(`server process exited (${code ?? signal}) before listening:\n${output}`)),
    );
  });
  return { url, child, exited, output: () => output };
}

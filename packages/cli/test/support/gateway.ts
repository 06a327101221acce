import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TEST_KEYS } from '@livehooks/fixtures';
import { loadConfig, startServer, type ConfigInput, type RunningServer } from '@livehooks/server';

/** The API token of test gateways. */
export const API_TOKEN = 'cli-test-api-token-0123456789';

/** A real gateway on loopback, SQLite in a temporary directory, the fixture test keys. */
export interface TestGateway {
  running: RunningServer;
  /** `http://127.0.0.1:<port>` */
  url: string;
  callbackUrl: string;
  dataDir: string;
  /** `--server` and `--token` for the CLI. */
  apiArgs: string[];
  close(): Promise<void>;
}

/**
 * Starts a gateway; `dataDir` and `port` let a test restart one on the same store and address.
 * `close` keeps the data directory when it was given.
 */
export async function startGateway(
  flags: ConfigInput = {},
  options: { dataDir?: string; port?: number } = {},
): Promise<TestGateway> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'livehooks-cli-'));
  const config = loadConfig({
    env: {},
    cwd: dataDir,
    flags: {
      host: '127.0.0.1',
      port: options.port ?? 0,
      dataDir,
      logLevel: 'silent',
      apiToken: API_TOKEN,
      css: { keys: [TEST_KEYS.css] },
      trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
      ...flags,
    },
  });
  const running = await startServer(config, { handleSignals: false });
  return {
    running,
    url: running.url,
    callbackUrl: `${running.url}/callbacks`,
    dataDir,
    apiArgs: ['--server', running.url, '--token', API_TOKEN],
    async close() {
      await running.close();
      if (options.dataDir === undefined) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

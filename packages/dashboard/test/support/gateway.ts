import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshSample, TEST_KEYS, type FreshSampleOptions } from '@livehooks/fixtures';
import { loadConfig, startServer, type ConfigInput, type RunningServer } from '@livehooks/server';
import { expect } from 'vitest';

/** The API token of test gateways. */
export const API_TOKEN = 'dashboard-test-api-token-0123456789';
/** The ingest secret: CSS 328 monitoring callbacks are never signed and arrive on the secret URL. */
export const INGEST_SECRET = 'dashboard-test-ingest-0123456789';

/** A real gateway on loopback with SQLite in a temporary directory and the fixture test keys. */
export interface TestGateway {
  running: RunningServer;
  /** `http://127.0.0.1:<port>` */
  url: string;
  /**
   * Sends a fresh callback made from a fixture sample of `type`, signed like Tencent does (unsigned
   * ones go to the ingest-secret URL), and checks the gateway took it.
   */
  send(type: string, options?: FreshSampleOptions): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts a gateway for the dashboard's tests.
 *
 * @example
 * ```ts
 * const gateway = await startTestGateway();
 * await gateway.send('css.screenshot', { overrides: { stream_id: 'e2e' } });
 * ```
 */
export async function startTestGateway(flags: ConfigInput = {}): Promise<TestGateway> {
  const dataDir = mkdtempSync(join(tmpdir(), 'livehooks-dashboard-'));
  const config = loadConfig({
    env: {},
    cwd: dataDir,
    flags: {
      host: '127.0.0.1',
      port: 0,
      dataDir,
      databaseUrl: join(dataDir, 'livehooks.db'),
      logLevel: 'silent',
      apiToken: API_TOKEN,
      ingestSecret: INGEST_SECRET,
      css: { keys: [TEST_KEYS.css] },
      trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
      ...flags,
    },
  });
  const running = await startServer(config, { handleSignals: false });
  return {
    running,
    url: running.url,
    async send(type, options = {}) {
      const callback = freshSample(type, options);
      const signed = callback.family === 'trtc' || 'sign' in callback.payload;
      const response = await fetch(`${running.url}/callbacks${signed ? '' : `/${INGEST_SECRET}`}`, {
        method: 'POST',
        headers: callback.headers,
        body: callback.body,
      });
      const answer = await response.text();
      if (response.status !== 200)
        throw new Error(`the gateway refused a ${type} callback: ${response.status} ${answer}`);
    },
    async close() {
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** GETs `/api<path>` of a test gateway with its token, asserts 200 and gives the JSON answer. */
export async function api<T>(gateway: TestGateway, path: string): Promise<T> {
  const response = await fetch(`${gateway.url}/api${path}`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

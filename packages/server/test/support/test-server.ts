import { TEST_KEYS } from '@livehooks/fixtures';
import { expect } from 'vitest';
import {
  createServer,
  loadConfig,
  type ConfigInput,
  type LivehooksServer,
  type ServerConfig,
} from '../../src/index.js';
import type { TestDatabases } from './databases.js';

import { TEST_API_TOKEN, TEST_INGEST_SECRET } from './test-secrets.js';

export { TEST_API_TOKEN, TEST_INGEST_SECRET };

function merge(base: ConfigInput, overrides: ConfigInput): ConfigInput {
  const out: ConfigInput = { ...base };
  for (const [key, value] of Object.entries(overrides)) {
    const current = out[key];
    out[key] =
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      current !== null &&
      typeof current === 'object'
        ? merge(current as ConfigInput, value as ConfigInput)
        : value;
  }
  return out;
}

/** A configuration for tests: a fresh database, the fixture test keys, silent logs. */
export function testConfig(databases: TestDatabases, overrides: ConfigInput = {}): ServerConfig {
  const dataDir = databases.tempDir();
  return loadConfig({
    env: {},
    cwd: dataDir,
    flags: merge(
      {
        databaseUrl: databases.fresh(),
        dataDir,
        logLevel: 'silent',
        apiToken: TEST_API_TOKEN,
        ingestSecret: TEST_INGEST_SECRET,
        css: { keys: [TEST_KEYS.css] },
        trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
      },
      overrides,
    ),
  });
}

/** A gateway on a fresh database; close it in `afterEach`/`afterAll`. */
export async function createTestServer(
  databases: TestDatabases,
  overrides: ConfigInput = {},
): Promise<LivehooksServer> {
  return createServer({ config: testConfig(databases, overrides) });
}

/** Bearer header for the test token. */
export const AUTH = { authorization: `Bearer ${TEST_API_TOKEN}` };

/**
 * POSTs a callback as Tencent sends it (an unsigned one to the ingest-secret URL) and asserts it was
 * acknowledged.
 */
export async function postCallback(
  server: LivehooksServer,
  callback: { body: string; headers: Record<string, string>; unsigned?: boolean },
): Promise<void> {
  const response = await server.app.inject({
    method: 'POST',
    url: callback.unsigned === true ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks',
    payload: callback.body,
    headers: callback.headers,
  });
  expect(response.statusCode, response.body).toBe(200);
}

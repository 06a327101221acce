import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '@livehooks/core';
import { ensureBuilt, runCli } from './support/cli.js';
import { startGateway, type TestGateway } from './support/gateway.js';

// Every catalog type, end to end: `livehooks trigger` sends it as Tencent would, the gateway verifies it,
// parses it to that type and stores it. Unsigned CSS events (314, 321, 328) go to the ingest-secret URL.
const INGEST_SECRET = 'catalog-test-ingest-secret-0123456789';
const types = [...new Set(catalog.map((definition) => definition.type))].filter(
  (type) => !type.endsWith('.unknown'),
);

let gateway: TestGateway;

beforeAll(async () => {
  await ensureBuilt();
  gateway = await startGateway({ ingestSecret: INGEST_SECRET });
}, 180_000);
afterAll(async () => {
  await gateway.close();
});

async function triggerEach(list: string[]): Promise<Map<string, { code: number | null; stderr: string }>> {
  const results = new Map<string, { code: number | null; stderr: string }>();
  const queue = [...list];
  // Four processes at a time keep the run short on a 2-core machine.
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let type = queue.shift(); type !== undefined; type = queue.shift()) {
        const url = `${gateway.url}/callbacks/${INGEST_SECRET}`;
        const result = await runCli([
          'trigger',
          type,
          '--url',
          url,
          '--no-retry',
          '--set',
          `__catalog_test=${type}`,
        ]);
        results.set(type, { code: result.code, stderr: result.stderr });
      }
    }),
  );
  return results;
}

describe('the whole catalog through trigger and the gateway', () => {
  it('triggers, verifies, parses and stores every event type', async () => {
    expect(types.length).toBeGreaterThan(70);
    const results = await triggerEach(types);
    const failed = [...results].filter(([, result]) => result.code !== 0).map(([type]) => type);
    expect(failed).toEqual([]);

    const { items } = await gateway.running.server.store.listEvents({ limit: 500 });
    const storedTypes = new Set(items.map((event) => event.type));
    const missing = types.filter((type) => !storedTypes.has(type));
    expect(missing).toEqual([]);
    for (const event of items) {
      expect(event.issues).toBeUndefined();
      expect(['css-md5', 'trtc-hmac', 'unsigned']).toContain(event.auth.method);
    }
  }, 300_000);
});

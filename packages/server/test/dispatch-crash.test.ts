import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { Delivery } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { serverEnv, spawnServer, type ServerProcess } from './support/spawn-server.js';
import { eventually, startTestReceiver, type TestReceiver } from './support/test-receiver.js';
import { AUTH, TEST_INGEST_SECRET } from './support/test-server.js';
import { createCallbackFactory } from './support/unique-callbacks.js';

const factory = createCallbackFactory();
const running = new Set<ServerProcess>();
let seq = 70_000;

afterAll(() => {
  for (const server of running) server.child.kill('SIGKILL');
});

async function start(env: Record<string, string>): Promise<ServerProcess> {
  const server = await spawnServer(env);
  running.add(server);
  void server.exited.then(() => running.delete(server));
  return server;
}

async function deliveriesOf(server: ServerProcess, eventId: string): Promise<Delivery[]> {
  const response = await fetch(`${server.url}/api/deliveries?sink=hook&limit=50`, { headers: AUTH });
  expect(response.status).toBe(200);
  const { items } = (await response.json()) as { items: Delivery[] };
  return items.filter((delivery) => delivery.eventId === eventId);
}

describeEachDialect('dispatch across a kill -9', (databases) => {
  let receiver: TestReceiver;

  beforeAll(async () => {
    receiver = await startTestReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  afterEach(() => {
    receiver.requests.length = 0;
    receiver.fallback = 200;
  });

  it('retries a delivery that was in flight when the process was killed, and it arrives', async () => {
    const dataDir = databases.tempDir();
    const configFile = join(dataDir, 'livehooks.config.json');
    // The attempt may hang far longer than the test (timeoutMs); only the lease decides when another
    // process run may take the delivery over after a crash.
    writeFileSync(
      configFile,
      JSON.stringify({
        dispatch: { pollMs: 50, leaseMs: 1000, retry: { scheduleMs: [100, 100], jitter: 0 } },
        sinks: [{ name: 'hook', type: 'webhook', url: receiver.url, timeoutMs: 120_000 }],
      }),
    );
    const env = { ...serverEnv(databases.fresh(), dataDir), LIVEHOOKS_CONFIG: configFile };
    receiver.fallback = 'hang';

    const first = await start(env);
    const callback = factory.make(seq++);
    const response = await fetch(
      `${first.url}${callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks'}`,
      { method: 'POST', body: callback.body, headers: callback.headers },
    );
    expect(response.status).toBe(200);
    await eventually(() => (receiver.requests.length === 1 ? true : undefined));
    const eventId = String(receiver.requests[0]!.headers['webhook-id']);
    const [inFlight] = await deliveriesOf(first, eventId);
    // Claimed: the attempt is counted and leased to this process, the outcome not yet recorded.
    expect(inFlight).toMatchObject({ status: 'pending', attempts: 1 });

    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });

    receiver.fallback = 200;
    const second = await start(env);
    const delivered = await eventually(async () => {
      const [row] = await deliveriesOf(second, eventId);
      return row?.status === 'delivered' ? row : undefined;
    }, 15_000);
    expect(delivered.lastError).toBeNull();
    expect(delivered.attempts).toBe(2);
    const arrivals = receiver.requests.filter((request) => request.headers['webhook-id'] === eventId);
    // At least once: the killed attempt reached the receiver, the retry reached it again.
    expect(arrivals.length).toBeGreaterThanOrEqual(2);
    expect(new Set(arrivals.map((request) => request.body)).size).toBe(1);
    expect(await deliveriesOf(second, eventId)).toHaveLength(1);
    second.child.kill('SIGTERM');
    await second.exited;
  }, 30_000);
});

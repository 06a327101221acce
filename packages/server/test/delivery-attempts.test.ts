import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createServer, type ApiDeliveryAttempt, type ApiSink, type LivehooksServer } from '../src/index.js';
import { deliver } from './support/crafted-callbacks.js';
import { describeEachDialect } from './support/databases.js';
import { validate } from './support/openapi-validation.js';
import { eventually, startTestReceiver, type TestReceiver } from './support/test-receiver.js';
import { AUTH, testConfig } from './support/test-server.js';
import { createCallbackFactory } from './support/unique-callbacks.js';

const factory = createCallbackFactory();
let seq = 40_000;

describeEachDialect('delivery attempts and sink figures', (databases) => {
  let receiver: TestReceiver;
  let server: LivehooksServer | undefined;

  const start = async (sinks: unknown[]): Promise<LivehooksServer> => {
    server = await createServer({
      config: testConfig(databases, {
        sinks,
        dispatch: { pollMs: 30, retry: { scheduleMs: [40, 40], jitter: 0 } },
      }),
    });
    return server;
  };
  const send = async (): Promise<string> => {
    await deliver(server!, factory.make(seq++));
    return (await server!.store.listEvents({ limit: 1 })).items[0]!.id;
  };
  /** Calls the API, checks the answer against docs/openapi.json and returns its body. */
  const documented = async <T>(route: string, url: string, method: 'GET' | 'POST' = 'GET', status = 200) => {
    const response = await server!.app.inject({ method, url, headers: AUTH });
    expect(response.statusCode, response.body).toBe(status);
    const body = response.json<T>();
    expect(validate(route, method.toLowerCase(), status, body), url).toEqual([]);
    return body;
  };
  const deliveryOf = async (eventId: string) =>
    (await server!.dispatch.deliveries.list({ eventId, limit: 5 })).items[0]!;

  beforeAll(async () => {
    receiver = await startTestReceiver();
  });
  afterAll(async () => {
    await receiver.close();
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    receiver.reset();
  });

  it('keeps every attempt of a delivery with its error, duration and time; a retry adds to them', async () => {
    receiver.script.push(500, 503);
    await start([{ name: 'hook', type: 'webhook', url: receiver.url }]);
    const eventId = await send();
    const delivered = await eventually(async () => {
      const delivery = await deliveryOf(eventId);
      return delivery.status === 'delivered' ? delivery : undefined;
    });
    const { items } = await documented<{ items: ApiDeliveryAttempt[] }>(
      '/api/deliveries/{id}/attempts',
      `/api/deliveries/${delivered.id}/attempts`,
    );
    expect(items.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'delivered'],
    ]);
    expect(items[0]!.error).toMatch(/500/);
    expect(items[1]!.error).toMatch(/503/);
    expect(items[2]!.error).toBeNull();
    expect(items.map((attempt) => attempt.startedAt)).toEqual(
      items.map((attempt) => attempt.startedAt).sort((a, b) => a - b),
    );
    for (const attempt of items) expect(attempt.durationMs).toBeGreaterThanOrEqual(0);

    receiver.script.push(502);
    await documented('/api/deliveries/{id}/retry', `/api/deliveries/${delivered.id}/retry`, 'POST');
    await eventually(async () => {
      const again = await server!.dispatch.deliveries.attemptsOf(delivered.id);
      return again.length === 5 ? again : undefined;
    });
    const after = await server!.dispatch.deliveries.attemptsOf(delivered.id);
    expect(after.slice(0, 3)).toEqual(items);
    expect(after.slice(3).map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 'failed'],
      [2, 'delivered'],
    ]);
    await documented(
      '/api/deliveries/{id}/attempts',
      '/api/deliveries/00000000-0000-7000-8000-000000000000/attempts',
      'GET',
      404,
    );
  });

  it('lists each configured sink with its backlog, oldest pending, success rate and dead count', async () => {
    // `slow` points at a closed port with a long retry: its deliveries stay pending after a first failure.
    receiver.script.push(500, 500, 500);
    await start([
      { name: 'hook', type: 'webhook', url: receiver.url },
      { name: 'slow', type: 'webhook', url: 'http://127.0.0.1:9/x', retry: { scheduleMs: [600_000] } },
    ]);
    const before = Date.now();
    const dying = await send();
    await eventually(async () => {
      const [hook] = (await server!.dispatch.deliveries.list({ eventId: dying, sink: 'hook', limit: 1 }))
        .items;
      return hook?.status === 'dead' ? hook : undefined;
    });
    const ok = await send();
    await eventually(async () => {
      const [hook] = (await server!.dispatch.deliveries.list({ eventId: ok, sink: 'hook', limit: 1 })).items;
      return hook?.status === 'delivered' ? hook : undefined;
    });
    await eventually(async () => {
      const slow = await server!.dispatch.deliveries.list({ sink: 'slow', limit: 5 });
      return slow.items.every((delivery) => delivery.attempts === 1) && slow.items.length === 2
        ? true
        : undefined;
    });
    const { items } = await documented<{ items: ApiSink[] }>('/api/sinks', '/api/sinks');
    expect(items.map((sink) => sink.name)).toEqual(['hook', 'slow']);
    const [hook, slow] = items as [ApiSink, ApiSink];
    expect(hook).toMatchObject({
      type: 'webhook',
      pending: 0,
      held: 0,
      delivered: 1,
      dead: 1,
      disabled: null,
    });
    expect(hook.oldestPendingAt).toBeNull();
    expect(hook.window).toMatchObject({ attempts: 4, succeeded: 1, successRate: 0.25 });
    expect(slow).toMatchObject({ pending: 2, delivered: 0, dead: 0 });
    expect(slow.oldestPendingAt).toBeGreaterThanOrEqual(before);
    expect(slow.window).toMatchObject({ attempts: 2, succeeded: 0, successRate: 0 });
    const later = await documented<{ items: ApiSink[] }>(
      '/api/sinks',
      `/api/sinks?since=${Date.now() + 1000}`,
    );
    expect(later.items[0]!.window).toMatchObject({ attempts: 0, succeeded: 0, successRate: null });
  });

  it('shows a sink switched off by 410 as disabled with its reason', async () => {
    receiver.script.push(410);
    await start([{ name: 'hook', type: 'webhook', url: receiver.url }]);
    const eventId = await send();
    await eventually(async () => ((await deliveryOf(eventId)).status === 'disabled' ? true : undefined));
    const { items } = await documented<{ items: ApiSink[] }>('/api/sinks', '/api/sinks');
    expect(items[0]).toMatchObject({ name: 'hook', disabledDeliveries: 1 });
    expect(items[0]!.disabled?.reason).toMatch(/410/);
  });

  it('prunes attempts older than the retention, keeping newer ones', async () => {
    receiver.script.push(500);
    await start([{ name: 'hook', type: 'webhook', url: receiver.url }]);
    const eventId = await send();
    const delivery = await eventually(async () => {
      const found = await deliveryOf(eventId);
      return found.status === 'delivered' ? found : undefined;
    });
    const deliveries = server!.dispatch.deliveries;
    expect(await deliveries.attemptsOf(delivery.id)).toHaveLength(2);
    expect(await deliveries.pruneAttempts(Date.now() - 60_000)).toBe(0);
    expect(await deliveries.attemptsOf(delivery.id)).toHaveLength(2);
    expect(await deliveries.pruneAttempts(Date.now() + 1000)).toBe(2);
    expect(await deliveries.attemptsOf(delivery.id)).toEqual([]);
  });
});

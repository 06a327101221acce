import { signRequest } from '@livehooks/fixtures';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createServer, type Delivery, type LivehooksServer } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { validate } from './support/openapi-validation.js';
import { eventually, startTestReceiver, type TestReceiver } from './support/test-receiver.js';
import { AUTH, testConfig, TEST_INGEST_SECRET } from './support/test-server.js';
import { createCallbackFactory, type UniqueCallback } from './support/unique-callbacks.js';

const factory = createCallbackFactory();
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
let seq = 10_000;

/** A unique callback of the given family that is signed (CSS) or a TRTC one. */
function nextCallback(predicate: (callback: UniqueCallback) => boolean = () => true): UniqueCallback {
  for (;;) {
    const callback = factory.make(seq++);
    if (predicate(callback)) return callback;
  }
}

/** A signed CSS callback whose expiry `t` has already passed: stored flagged stale. */
function staleCallback(): UniqueCallback {
  const callback = nextCallback((c) => c.family === 'css' && !c.unsigned);
  const payload = JSON.parse(callback.body) as Record<string, unknown>;
  const signed = signRequest('css', JSON.stringify(payload), { ttlSeconds: -120 });
  return { ...callback, body: signed.body, headers: signed.headers };
}

interface Page {
  items: Delivery[];
  nextCursor: string | null;
}

describeEachDialect('dispatch', (databases) => {
  let receiver: TestReceiver;
  let server: LivehooksServer | undefined;

  const start = async (
    sinks: unknown[],
    dispatch: Record<string, unknown> = {},
  ): Promise<LivehooksServer> => {
    server = await createServer({
      config: testConfig(databases, {
        sinks,
        dispatch: { pollMs: 30, retry: { scheduleMs: [40, 40], jitter: 0 }, ...dispatch },
      }),
    });
    return server;
  };
  const send = async (callback: UniqueCallback): Promise<string> => {
    const response = await server!.app.inject({
      method: 'POST',
      url: callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks',
      payload: callback.body,
      headers: callback.headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    const events = await server!.store.listEvents({ limit: 1 });
    return events.items[0]!.id;
  };
  const api = async <T>(
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
  ): Promise<{ status: number; body: T }> => {
    const response = await server!.app.inject({
      method,
      url,
      headers: { ...AUTH, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
    return { status: response.statusCode, body: response.json<T>() };
  };
  /** Asserts that an answer is what docs/openapi.json declares for the route, and returns its body. */
  const documented = <T>(route: string, method: string, answer: { status: number; body: T }): T => {
    expect(validate(route, method, answer.status, answer.body), `${method} ${route}`).toEqual([]);
    return answer.body;
  };
  const deliveriesOf = async (eventId: string): Promise<Delivery[]> =>
    (await server!.dispatch.deliveries.list({ eventId, limit: 50 })).items;
  const settled = (eventId: string, status: Delivery['status']) =>
    eventually(async () => {
      const [delivery] = await deliveriesOf(eventId);
      return delivery?.status === status ? delivery : undefined;
    });

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

  it('writes one delivery per matching sink with the event, and none for a duplicate', async () => {
    // Both sinks point at a closed port: the rows exist because the commit wrote them, not the dispatcher.
    await start([
      { name: 'all', type: 'webhook', url: 'http://127.0.0.1:9/x', retry: { scheduleMs: [60_000] } },
      { name: 'css-only', type: 'webhook', url: 'http://127.0.0.1:9/y', filter: { types: ['css.*'] } },
    ]);
    const trtc = nextCallback((c) => c.family === 'trtc');
    const trtcId = await send(trtc);
    expect((await deliveriesOf(trtcId)).map((d) => d.sink)).toEqual(['all']);
    const css = nextCallback((c) => c.family === 'css');
    const cssId = await send(css);
    expect((await deliveriesOf(cssId)).map((d) => d.sink).sort()).toEqual(['all', 'css-only']);
    await send(css);
    const { items } = await server!.dispatch.deliveries.list({ limit: 50 });
    expect(items).toHaveLength(3);
  });

  it('posts the envelope signed per Standard Webhooks, verified by the standardwebhooks package', async () => {
    await start([{ name: 'hook', type: 'webhook', url: receiver.url, secret: SECRET }]);
    const eventId = await send(nextCallback());
    const delivery = await settled(eventId, 'delivered');
    expect(delivery.attempts).toBe(1);
    const [request] = receiver.requests;
    expect(request!.headers['webhook-id']).toBe(eventId);
    const verified = new Webhook(SECRET).verify(request!.body, {
      'webhook-id': String(request!.headers['webhook-id']),
      'webhook-timestamp': String(request!.headers['webhook-timestamp']),
      'webhook-signature': String(request!.headers['webhook-signature']),
    }) as { id: string; type: string; payload: unknown };
    expect(verified.id).toBe(eventId);
    expect(verified.payload).toBeTypeOf('object');
    expect(() =>
      new Webhook('whsec_' + Buffer.from('another key').toString('base64')).verify(request!.body, {
        'webhook-id': String(request!.headers['webhook-id']),
        'webhook-timestamp': String(request!.headers['webhook-timestamp']),
        'webhook-signature': String(request!.headers['webhook-signature']),
      }),
    ).toThrow();
  });

  it('retries a failing receiver with backoff until it answers 2xx', async () => {
    receiver.script.push(500, 503);
    await start([{ name: 'hook', type: 'webhook', url: receiver.url }]);
    const eventId = await send(nextCallback());
    const delivery = await settled(eventId, 'delivered');
    expect(delivery.attempts).toBe(3);
    expect(receiver.requests.map((r) => r.headers['webhook-id'])).toEqual([eventId, eventId, eventId]);
  });

  it('marks a delivery dead after its last attempt; retry-dead delivers it once the receiver recovers', async () => {
    receiver.fallback = 'hang';
    await start([{ name: 'hook', type: 'webhook', url: receiver.url, timeoutMs: 150 }]);
    const eventId = await send(nextCallback());
    const dead = await settled(eventId, 'dead');
    expect(dead.attempts).toBe(3);
    expect(dead.lastError).toMatch(/no answer within 150 ms|TimeoutError/);
    const listed = documented(
      '/api/deliveries',
      'get',
      await api<Page>('GET', '/api/deliveries?status=dead&sink=hook'),
    );
    expect(listed.items.map((d) => d.id)).toEqual([dead.id]);
    receiver.fallback = 200;
    const retried = documented(
      '/api/deliveries/retry-dead',
      'post',
      await api<{ retried: number }>('POST', `/api/deliveries/retry-dead?since=${Date.now() - 60_000}`),
    );
    expect(retried.retried).toBe(1);
    const delivered = await settled(eventId, 'delivered');
    expect(delivered.lastError).toBeNull();
    const metrics = (await server!.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(metrics).toMatch(/livehooks_deliveries_dead_total\{sink="hook"\} 1/);
    expect(metrics).toMatch(/livehooks_delivery_attempts_total\{sink="hook"\} 4/);
    expect(metrics).toMatch(/livehooks_delivery_queue_depth\{sink="hook"\} 0/);
  });

  it('disables a sink whose receiver answers 410; retrying a delivery enables it again', async () => {
    receiver.script.push(410);
    await start([{ name: 'hook', type: 'webhook', url: receiver.url }]);
    const first = await send(nextCallback());
    await settled(first, 'disabled');
    const second = await send(nextCallback());
    expect((await deliveriesOf(second))[0]!.status).toBe('disabled');
    expect(receiver.requests).toHaveLength(1);
    const retried = await api<Delivery>(
      'POST',
      `/api/deliveries/${(await deliveriesOf(first))[0]!.id}/retry`,
    );
    expect(retried.status).toBe(200);
    documented('/api/deliveries/{id}/retry', 'post', retried);
    await settled(first, 'delivered');
    await settled(second, 'delivered');
  });

  it('holds the deliveries of a stale event until released through the API', async () => {
    await start([{ name: 'hook', type: 'webhook', url: receiver.url }]);
    const eventId = await send(staleCallback());
    expect((await deliveriesOf(eventId))[0]!.status).toBe('held');
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(receiver.requests).toHaveLength(0);
    const released = await api<{ released: number }>('POST', `/api/events/${eventId}/release`);
    expect(documented('/api/events/{id}/release', 'post', released)).toEqual({ released: 1 });
    await settled(eventId, 'delivered');
  });

  it('delivers stale events at once when configured to', async () => {
    await start([{ name: 'hook', type: 'webhook', url: receiver.url }], { releaseStale: true });
    const eventId = await send(staleCallback());
    await settled(eventId, 'delivered');
  });

  it('redelivers an event to one sink by hand, and lists deliveries newest first with a cursor', async () => {
    await start([{ name: 'hook', type: 'webhook', url: receiver.url }]);
    const ids = [await send(nextCallback()), await send(nextCallback()), await send(nextCallback())];
    for (const id of ids) await settled(id, 'delivered');
    const redelivered = await api<Delivery>('POST', `/api/events/${ids[0]}/redeliver`, { sink: 'hook' });
    expect(redelivered.status).toBe(200);
    await eventually(() => (receiver.requests.length === 4 ? true : undefined));
    expect(receiver.requests[3]!.headers['webhook-id']).toBe(ids[0]);
    const page1 = await api<Page>('GET', '/api/deliveries?limit=2');
    expect(page1.body.items.map((d) => d.eventId)).toEqual([ids[2], ids[1]]);
    const page2 = await api<Page>('GET', `/api/deliveries?limit=2&cursor=${page1.body.nextCursor}`);
    expect(page2.body.items.map((d) => d.eventId)).toEqual([ids[0]]);
    expect(page2.body.nextCursor).toBeNull();
    documented('/api/events/{id}/redeliver', 'post', redelivered);
    documented('/api/deliveries', 'get', page1);
    // The event detail and the event's deliveries are read alike: same items, same order.
    const ofEvent = documented(
      '/api/events/{id}/deliveries',
      'get',
      await api<{ items: Delivery[] }>('GET', `/api/events/${ids[0]}/deliveries`),
    );
    const detail = documented(
      '/api/events/{id}',
      'get',
      await api<{ deliveries: Delivery[] }>('GET', `/api/events/${ids[0]}`),
    );
    expect(ofEvent.items).toHaveLength(1);
    expect(detail.deliveries).toEqual(ofEvent.items);
  });

  it('answers API errors with a code: unknown sink, unknown event, bad status, no token', async () => {
    await start([{ name: 'hook', type: 'webhook', url: receiver.url }]);
    const eventId = await send(nextCallback());
    const unknownSink = await api<{ code: string }>('POST', `/api/events/${eventId}/redeliver`, {
      sink: 'nope',
    });
    expect([unknownSink.status, unknownSink.body.code]).toEqual([400, 'LH_ERR_INVALID_QUERY']);
    for (const payload of ['', '{"sink":', '[]', '{"sink":3}']) {
      const refused = await server!.app.inject({
        method: 'POST',
        url: `/api/events/${eventId}/redeliver`,
        headers: { ...AUTH, 'content-type': 'application/json' },
        payload,
      });
      expect([refused.statusCode, refused.json<{ code: string }>().code], payload).toEqual([
        400,
        'LH_ERR_INVALID_QUERY',
      ]);
    }
    const unknownDelivery = await api<{ code: string }>('POST', '/api/deliveries/not-an-id/retry');
    expect([unknownDelivery.status, unknownDelivery.body.code]).toEqual([404, 'LH_ERR_NOT_FOUND']);
    const badCursor = await api<{ code: string }>('GET', '/api/deliveries?cursor=bogus');
    expect([badCursor.status, badCursor.body.code]).toEqual([400, 'LH_ERR_INVALID_QUERY']);
    const missing = await api<{ code: string }>(
      'POST',
      '/api/events/0190a000-0000-7000-8000-000000000000/release',
    );
    expect([missing.status, missing.body.code]).toEqual([404, 'LH_ERR_NOT_FOUND']);
    const badStatus = await api<{ code: string }>('GET', '/api/deliveries?status=lost');
    expect(badStatus.status).toBe(400);
    const anonymous = await server!.app.inject({ method: 'GET', url: '/api/deliveries' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('resumes pending deliveries after a restart', async () => {
    receiver.fallback = 500;
    const config = testConfig(databases, {
      sinks: [
        { name: 'hook', type: 'webhook', url: receiver.url, retry: { scheduleMs: [200, 200, 200, 200] } },
      ],
      dispatch: { pollMs: 30, retry: { scheduleMs: [40], jitter: 0 } },
    });
    server = await createServer({ config });
    const eventId = await send(nextCallback());
    await eventually(() => (receiver.requests.length >= 1 ? true : undefined));
    await server.close();
    receiver.fallback = 200;
    server = await createServer({ config });
    const delivery = await settled(eventId, 'delivered');
    expect(delivery.attempts).toBeGreaterThanOrEqual(2);
  });

  it('runs in-process handlers with retries', async () => {
    const seen: string[] = [];
    let failures = 1;
    server = await createServer({
      config: testConfig(databases, { dispatch: { pollMs: 30, retry: { scheduleMs: [30], jitter: 0 } } }),
      handlers: [
        {
          name: 'inproc',
          filter: { types: ['trtc.*'] },
          handle: (envelope) => {
            if (failures-- > 0) return Promise.reject(new Error('first attempt fails'));
            seen.push(envelope.id);
            return Promise.resolve();
          },
        },
      ],
    });
    const eventId = await send(nextCallback((c) => c.family === 'trtc'));
    const delivery = await settled(eventId, 'delivered');
    expect(delivery.attempts).toBe(2);
    expect(seen).toEqual([eventId]);
  });
});

import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LivehooksServer, StoredEvent } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { AUTH, createTestServer, TEST_API_TOKEN, TEST_INGEST_SECRET } from './support/test-server.js';
import { createCallbackFactory, type UniqueCallback } from './support/unique-callbacks.js';

const factory = createCallbackFactory();

interface Page {
  items: StoredEvent[];
  nextCursor: string | null;
}

/** Reads Server-Sent Events from a live response until `count` events arrived. */
async function readEvents(response: Response, count: number): Promise<{ id: string; data: StoredEvent }[]> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const events: { id: string; data: StoredEvent }[] = [];
  let buffer = '';
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (id !== undefined && data !== undefined) events.push({ id, data: JSON.parse(data) as StoredEvent });
    }
  }
  await reader.cancel();
  return events;
}

describeEachDialect('query API', (databases) => {
  let server: LivehooksServer;
  let baseUrl: string;
  const sent: UniqueCallback[] = [];

  const send = (callback: UniqueCallback) =>
    server.app.inject({
      method: 'POST',
      url: callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks',
      payload: callback.body,
      headers: callback.headers,
    });
  const get = (url: string, headers: Record<string, string> = AUTH) =>
    server.app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    server = await createTestServer(databases);
    await server.app.listen({ host: '127.0.0.1', port: 0 });
    baseUrl = `http://127.0.0.1:${(server.app.server.address() as AddressInfo).port}`;
    // Every seventh sample of the mix: both families, many types.
    for (let seq = 0; seq < 45; seq++) {
      const callback = factory.make(seq * 7);
      sent.push(callback);
      expect((await send(callback)).statusCode).toBe(200);
    }
  });
  afterAll(() => server.close());

  it('refuses requests without the bearer token', async () => {
    for (const headers of [
      {},
      { authorization: 'Bearer wrong-token-wrong-token' },
      { authorization: TEST_API_TOKEN },
    ]) {
      const response = await get('/api/events', headers);
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ code: 'LH_ERR_UNAUTHORIZED' });
      expect(response.headers['www-authenticate']).toContain('Bearer');
    }
  });

  it('lists events newest first and pages through all of them with the cursor', async () => {
    const seen: StoredEvent[] = [];
    let url = '/api/events?limit=10';
    for (;;) {
      const page = (await get(url)).json<Page>();
      expect(page.items.length).toBeLessThanOrEqual(10);
      seen.push(...page.items);
      if (page.nextCursor === null) break;
      url = `/api/events?limit=10&cursor=${encodeURIComponent(page.nextCursor)}`;
    }
    expect(seen).toHaveLength(sent.length);
    const ids = seen.map((event) => event.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort().reverse()).toEqual(ids);
    expect(['css', 'trtc']).toContain(seen[0]!.family);
    expect(seen[0]!.auth.stale).toBe(false);
    expect(Object.keys(seen[0]!)).toEqual(
      expect.arrayContaining(['id', 'type', 'family', 'occurredAt', 'receivedAt', 'subject', 'data', 'auth']),
    );
    expect(seen[0]).not.toHaveProperty('raw');
  });

  it('filters by type, stream, room and task', async () => {
    const all = (await get('/api/events?limit=500')).json<Page>().items;
    const withStream = all.find((event) => event.subject.streamId !== undefined)!;
    const withRoom = all.find((event) => event.subject.roomId !== undefined)!;
    const withTask = all.find((event) => event.subject.taskId !== undefined)!;
    const byType = (await get(`/api/events?type=${withStream.type}`)).json<Page>().items;
    expect(byType.length).toBeGreaterThan(0);
    expect(byType.every((event) => event.type === withStream.type)).toBe(true);
    const twoTypes = (
      await get(`/api/events?type=${withStream.type},${withRoom.type}&limit=500`)
    ).json<Page>();
    expect(new Set(twoTypes.items.map((event) => event.type))).toEqual(
      new Set([withStream.type, withRoom.type]),
    );
    const cases = [
      ['stream_id', withStream.subject.streamId!, 'streamId'],
      ['room_id', withRoom.subject.roomId!, 'roomId'],
      ['task_id', withTask.subject.taskId!, 'taskId'],
    ] as const;
    for (const [param, value, field] of cases) {
      const items = (await get(`/api/events?${param}=${encodeURIComponent(value)}`)).json<Page>().items;
      expect(items.length).toBeGreaterThan(0);
      expect(items.every((event) => event.subject[field] === value)).toBe(true);
    }
  });

  it('bounds by receipt time with since and until', async () => {
    const all = (await get('/api/events?limit=500')).json<Page>().items;
    const middle = all[Math.floor(all.length / 2)]!.receivedAt;
    const newer = (await get(`/api/events?limit=500&since=${middle}`)).json<Page>().items;
    const older = (await get(`/api/events?limit=500&until=${new Date(middle).toISOString()}`)).json<Page>()
      .items;
    expect(newer.every((event) => event.receivedAt >= middle)).toBe(true);
    expect(older.every((event) => event.receivedAt < middle)).toBe(true);
    expect(newer.length + older.length).toBe(all.length);
  });

  it('refuses malformed parameters with LH_ERR_INVALID_QUERY', async () => {
    for (const query of [
      'limit=0',
      'limit=501',
      'limit=ten',
      'cursor=not-a-cursor',
      'since=yesterday',
      'limit=1&limit=2',
    ]) {
      const response = await get(`/api/events?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json()).toMatchObject({ code: 'LH_ERR_INVALID_QUERY' });
    }
  });

  it('returns one event with its raw body as received and its headers', async () => {
    const trtc = sent.find((callback) => callback.family === 'trtc')!;
    const page = (await get('/api/events?limit=500')).json<Page>();
    const detailFor = async (event: StoredEvent) =>
      (await get(`/api/events/${event.id}`)).json<
        StoredEvent & { raw: string; headers: Record<string, string> }
      >();
    let match: (StoredEvent & { raw: string; headers: Record<string, string> }) | undefined;
    for (const event of page.items.filter((item) => item.family === 'trtc')) {
      const detail = await detailFor(event);
      if (detail.raw === trtc.body) match = detail;
    }
    expect(match).toBeDefined();
    expect(match?.headers.sign).toBe(trtc.headers.sign);
    expect(match?.type).toBe(trtc.type);
  });

  it('answers 404 for an unknown event id', async () => {
    for (const id of ['00000000-0000-7000-8000-000000000000', 'not-an-id']) {
      const response = await get(`/api/events/${id}`);
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ code: 'LH_ERR_NOT_FOUND' });
    }
  });

  it('streams newly stored events that match the filter', async () => {
    const wanted = factory.make(5_000);
    const response = await fetch(`${baseUrl}/api/events/stream?type=${wanted.type}`, { headers: AUTH });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const received = readEvents(response, 1);
    const other = [1, 2, 3, 4]
      .map((n) => factory.make(5_000 + n))
      .find((callback) => callback.type !== wanted.type)!;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await send(other)).statusCode).toBe(200);
    expect((await send(wanted)).statusCode).toBe(200);
    const [event] = await received;
    expect(event!.data.type).toBe(wanted.type);
    expect(event!.id).toBe(event!.data.id);
  });

  it('resumes a live tail from Last-Event-ID with the events it missed', async () => {
    const latest = (await get('/api/events?limit=1')).json<Page>().items[0]!;
    const missed = [6_001, 6_002, 6_003].map((seq) => factory.make(seq));
    for (const callback of missed) expect((await send(callback)).statusCode).toBe(200);
    const response = await fetch(`${baseUrl}/api/events/stream`, {
      headers: { ...AUTH, 'last-event-id': latest.id },
    });
    const events = await readEvents(response, 3);
    expect(events.map((event) => event.data.type)).toEqual(missed.map((callback) => callback.type));
    expect(events.every((event) => event.id > latest.id)).toBe(true);
  });

  it('refuses a live tail without the token', async () => {
    const response = await fetch(`${baseUrl}/api/events/stream`);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ code: 'LH_ERR_UNAUTHORIZED' });
  });
});

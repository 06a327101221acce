import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ApiEventPage, ApiRejection, ApiRejectionReasons, LivehooksServer } from '../src/index.js';
import { craft, deliver } from './support/crafted-callbacks.js';
import { describeEachDialect } from './support/databases.js';
import { validate } from './support/openapi-validation.js';
import { AUTH, createTestServer, TEST_INGEST_SECRET } from './support/test-server.js';
import { createCallbackFactory } from './support/unique-callbacks.js';

const factory = createCallbackFactory();

describeEachDialect('one refusal, refusals by reason, events by the start of their id', (databases) => {
  let server: LivehooksServer;
  const answer = async <T>(route: string, url: string, status = 200): Promise<T> => {
    const response = await server.app.inject({ method: 'GET', url, headers: AUTH });
    expect(response.statusCode, `${url}: ${response.body}`).toBe(status);
    const body = response.json<T>();
    expect(validate(route, 'get', status, body), url).toEqual([]);
    return body;
  };
  const refuse = async (payload: string, headers: Record<string, string>, url = '/callbacks') => {
    const response = await server.app.inject({ method: 'POST', url, payload, headers });
    expect(response.statusCode).toBeGreaterThanOrEqual(400);
  };

  beforeAll(async () => {
    server = await createTestServer(databases);
    for (let seq = 0; seq < 40; seq++) await deliver(server, factory.make(70_000 + seq));
    const forged = craft('trtc.moderation.start', { EventInfo: { TaskId: 'forged' } });
    for (let n = 0; n < 3; n++) await refuse(forged.body, { ...forged.headers, sign: `AAAA${n}` });
    await refuse('{"not json', { 'content-type': 'application/json' }, `/callbacks/${TEST_INGEST_SECRET}`);
  });
  afterAll(() => server.close());

  it('answers one refusal by id, and 404 for an unknown or malformed id', async () => {
    const page = await answer<{ items: ApiRejection[] }>('/api/rejections', '/api/rejections?limit=10');
    expect(page.items).toHaveLength(4);
    for (const listed of page.items) {
      const one = await answer<ApiRejection>('/api/rejections/{id}', `/api/rejections/${listed.id}`);
      expect(one).toEqual(listed);
    }
    const missing = await answer<{ code: string }>(
      '/api/rejections/{id}',
      '/api/rejections/00000000-0000-7000-8000-000000000000',
      404,
    );
    expect(missing.code).toBe('LH_ERR_NOT_FOUND');
    expect((await answer<{ code: string }>('/api/rejections/{id}', '/api/rejections/nope', 404)).code).toBe(
      'LH_ERR_NOT_FOUND',
    );
  });

  it('counts the refusals kept by code, most frequent first', async () => {
    const page = await answer<{ items: ApiRejection[] }>('/api/rejections', '/api/rejections?limit=10');
    const { items } = await answer<ApiRejectionReasons>('/api/rejections/reasons', '/api/rejections/reasons');
    const signature = page.items.filter((item) => item.code === 'LH_ERR_SIGNATURE_MISMATCH');
    expect(signature).toHaveLength(3);
    const other = page.items.find((item) => item.code !== 'LH_ERR_SIGNATURE_MISMATCH')!;
    expect(items).toEqual([
      {
        code: 'LH_ERR_SIGNATURE_MISMATCH',
        count: 3,
        lastAt: Math.max(...signature.map((item) => item.receivedAt)),
      },
      { code: other.code, count: 1, lastAt: other.receivedAt },
    ]);
  });

  it('finds events by the start of their id, in any case, and refuses what cannot start an id', async () => {
    const all = await answer<ApiEventPage>('/api/events', '/api/events?limit=100');
    const target = all.items[17]!;
    for (const length of [4, 8, 13, 20, 36]) {
      const prefix = target.id.slice(0, length);
      const found = await answer<ApiEventPage>(
        '/api/events',
        `/api/events?limit=100&id_prefix=${prefix.toUpperCase()}`,
      );
      expect(found.items.map((event) => event.id)).toEqual(
        all.items.filter((event) => event.id.startsWith(prefix)).map((event) => event.id),
      );
      expect(found.items.map((event) => event.id)).toContain(target.id);
    }
    const exact = await answer<ApiEventPage>('/api/events', `/api/events?id_prefix=${target.id}`);
    expect(exact.items.map((event) => event.id)).toEqual([target.id]);
    const none = await answer<ApiEventPage>('/api/events', '/api/events?id_prefix=ffffffff-ffff');
    expect(none.items).toEqual([]);
    for (const bad of ['xyz', '0193a1b2c', `${target.id}0`, '%25']) {
      const refused = await answer<{ code: string; error: string }>(
        '/api/events',
        `/api/events?id_prefix=${bad}`,
        400,
      );
      expect(refused.code).toBe('LH_ERR_INVALID_QUERY');
      expect(refused.error).toMatch(/id_prefix/);
    }
  });
});

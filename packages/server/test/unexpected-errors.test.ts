import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LivehooksServer } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { AUTH, createTestServer, TEST_INGEST_SECRET } from './support/test-server.js';
import { createCallbackFactory } from './support/unique-callbacks.js';

const factory = createCallbackFactory();
/** Text that must never reach a client: it stands for a secret a failing statement or value may quote. */
const SECRET = 'sk-live-9f3a7c1e5b2d4a6c8e0f';

describeEachDialect('unexpected errors of the API', (databases) => {
  let server: LivehooksServer;
  let eventId: string;
  const get = (url: string) => server.app.inject({ method: 'GET', url, headers: AUTH });

  beforeAll(async () => {
    server = await createTestServer(databases);
    const callback = factory.make(3);
    const response = await server.app.inject({
      method: 'POST',
      url: callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks',
      payload: callback.body,
      headers: callback.headers,
    });
    expect(response.statusCode).toBe(200);
    eventId = (await server.store.listEvents({ limit: 1 })).items[0]!.id;
  });
  afterAll(() => server.close());

  it('answers a bug 500 LH_ERR_INTERNAL, without its message, its stack or what it quotes', async () => {
    const delivery = await server.dispatch.deliveries.redeliver(eventId, 'hook', Date.now());
    // A receipt that is not JSON: reading the delivery fails in JavaScript, and the error quotes the text.
    await sql`update deliveries set result = ${`${SECRET} not json`} where id = ${delivery!.id}`.execute(
      server.store.db,
    );
    try {
      for (const url of [`/api/events/${eventId}`, `/api/events/${eventId}/deliveries`, '/api/deliveries']) {
        const response = await get(url);
        expect([response.statusCode, response.json<{ code: string }>().code], url).toEqual([
          500,
          'LH_ERR_INTERNAL',
        ]);
        expect(response.json(), url).toEqual({
          code: 'LH_ERR_INTERNAL',
          error: 'an unexpected error while serving the request; the request was not served',
        });
        expect(response.body).not.toContain(SECRET.slice(0, 8));
      }
    } finally {
      await sql`delete from deliveries where id = ${delivery!.id}`.execute(server.store.db);
    }
    expect((await get(`/api/events/${eventId}`)).statusCode).toBe(200);
  });

  it('answers an error, not an event without deliveries, when its deliveries cannot be read', async () => {
    await sql`alter table deliveries rename to deliveries_moved`.execute(server.store.db);
    try {
      for (const url of [`/api/events/${eventId}`, `/api/events/${eventId}/deliveries`]) {
        const response = await get(url);
        expect([response.statusCode, response.json<{ code: string }>().code], url).toEqual([
          500,
          'LH_ERR_INTERNAL',
        ]);
        expect(response.body).not.toContain('deliveries');
      }
    } finally {
      await sql`alter table deliveries_moved rename to deliveries`.execute(server.store.db);
    }
    const detail = await get(`/api/events/${eventId}`);
    expect(detail.statusCode).toBe(200);
    expect(detail.json<{ deliveries: unknown[] }>().deliveries).toEqual([]);
  });
});

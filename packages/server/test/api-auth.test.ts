import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LivehooksServer } from '../src/index.js';
import { deliver } from './support/crafted-callbacks.js';
import { describeEachDialect } from './support/databases.js';
import { AUTH, createTestServer } from './support/test-server.js';
import { createCallbackFactory } from './support/unique-callbacks.js';

const factory = createCallbackFactory();

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface Route {
  method: Method;
  path: string;
}

/** Every route the router holds, read from its printed tree so that routes added later are covered too. */
function routesOf(server: LivehooksServer): Route[] {
  const routes: Route[] = [];
  const parents: string[] = [];
  for (const line of server.app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^((?:[│ ] {3})*)[├└]── (\S+) \(([A-Z, ]+)\)$/.exec(line);
    if (match === null) continue;
    const depth = match[1]!.length / 4;
    parents.length = depth;
    const path = `${parents.join('')}${match[2]!}`;
    parents.push(match[2]!);
    for (const method of match[3]!.split(', ')) {
      if (method !== 'HEAD') routes.push({ method: method as Method, path });
    }
  }
  return routes;
}

/** The same path as the router sees it, spelled the ways a client can: encoded, doubled and dotted. */
function spellings(path: string): string[] {
  const rest = path.slice('/api'.length);
  const encodeAll = (text: string) =>
    [...text].map((char) => `%${char.charCodeAt(0).toString(16).padStart(2, '0')}`).join('');
  return [
    path,
    `/%61pi${rest}`,
    `/%41pi${rest}`,
    `/%61%70%69${rest}`,
    `/${encodeAll('api')}${rest}`,
    `//api${rest}`,
    `///api${rest}`,
    `/./api${rest}`,
    `/api/.${rest}`,
    `/x/../api${rest}`,
    `/%2e/api${rest}`,
    `/api${rest.replace(/\//g, '//')}`,
    `/api${rest.replace(/\//g, '/%2f').replace(/^\/%2f/, '/')}`,
    `/api${rest}/`,
    `/api${rest}?`,
    `/api${rest};x`,
    `/API${rest}`,
    `/api${rest}#`,
  ];
}

describeEachDialect('API authentication', (databases) => {
  let server: LivehooksServer;
  const values: Record<string, string> = {};

  beforeAll(async () => {
    server = await createTestServer(databases);
    for (let seq = 0; seq < 30; seq++) {
      await deliver(server, factory.make(seq * 5));
    }
    await server.projector.idle();
    // Real parameter values, so that a route reached without a token would answer 2xx rather than 404.
    const get = async <T>(url: string) =>
      (await server.app.inject({ method: 'GET', url, headers: AUTH })).json<{ items: T[] }>().items;
    const [event] = await get<{ id: string }>('/api/events?limit=1');
    const [stream] = await get<{ streamId: string }>('/api/streams');
    const [item] = await get<{ id: string }>('/api/moderation');
    const [task] = await get<{ taskId: string }>('/api/trtc/tasks');
    values.id = event!.id;
    values.streamId = stream?.streamId ?? 'stream';
    values.moderationId = item?.id ?? event!.id;
    values.taskId = task?.taskId ?? 'task';
  });
  afterAll(() => server.close());

  it('answers every API route 401 or 404 without a token, however its path is spelled', async () => {
    const routes = routesOf(server).filter((route) => /^\/api(\/|$)/i.test(route.path));
    // The query API, the live tail, moderation decisions, deliveries and the OpenAPI document at least.
    expect(routes.length).toBeGreaterThanOrEqual(20);
    let unauthorized = 0;
    for (const route of routes) {
      const path = route.path
        .replace(':streamId', encodeURIComponent(values.streamId!))
        .replace(':taskId', encodeURIComponent(values.taskId!))
        .replace(':id', route.path.startsWith('/api/moderation') ? values.moderationId! : values.id!);
      for (const url of spellings(path)) {
        const response = await server.app.inject({
          method: route.method,
          url,
          headers: { 'content-type': 'application/json' },
          payload: route.method === 'POST' ? JSON.stringify({ decision: 'approved', reviewer: 'x' }) : '',
        });
        expect([401, 404], `${route.method} ${url} answered ${response.statusCode}`).toContain(
          response.statusCode,
        );
        if (response.statusCode === 401) unauthorized++;
      }
    }
    // The encoded spellings reach the API routes themselves, and are refused there.
    expect(unauthorized).toBeGreaterThanOrEqual(routes.length * 4);
  });

  it('answers the encoded spellings 401 with the same answer as the plain path', async () => {
    for (const url of ['/%61pi/events', '/%61%70%69/events', '/api/%65vents', '/%61pi/stats']) {
      const response = await server.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBe(401);
      expect(response.json()).toMatchObject({ code: 'LH_ERR_UNAUTHORIZED' });
      expect(response.headers['www-authenticate']).toContain('Bearer');
    }
  });

  it('serves the same routes with the token', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/%61pi/events', headers: AUTH });
    expect(response.statusCode).toBe(200);
  });
});

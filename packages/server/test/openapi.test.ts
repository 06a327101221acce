import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LivehooksServer } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { AUTH, createTestServer } from './support/test-server.js';

/** docs/openapi.json, as `npm run generate` writes it. */
const generated = JSON.parse(
  readFileSync(new URL('../../../docs/openapi.json', import.meta.url), 'utf8'),
) as { 'x-generated': string; paths: Record<string, Record<string, Operation>> };

interface Operation {
  summary?: string;
  responses: Record<string, unknown>;
}

/** Every method and URL the router knows, read from its tree (`printRoutes`), without the HEAD twins. */
function routesOf(app: FastifyInstance): string[] {
  const routes: string[] = [];
  const stack: string[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const match = /^([│ ]*)[├└]── (\S+)(?: \(([A-Z, ]+)\))?$/.exec(line.replace(/\u00a0/g, ' '));
    if (match === null) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    stack.push(match[2]!);
    for (const method of (match[3] ?? '').split(', ').filter((m) => m !== '' && m !== 'HEAD')) {
      routes.push(`${method} ${stack.join('')}`);
    }
  }
  return routes;
}

const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

describeEachDialect('the OpenAPI document', (databases) => {
  let server: LivehooksServer;
  beforeAll(async () => {
    server = await createTestServer(databases);
  });
  afterAll(() => server.close());

  it('describes every route of the API with a summary and a 2xx answer, and no other', () => {
    const api = routesOf(server.app).filter((route) => route.split(' ')[1]!.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(20);
    const described = Object.entries(generated.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
    );
    for (const route of api) {
      const [method, url] = route.split(' ') as [string, string];
      const operation = generated.paths[openApiPath(url)]?.[method.toLowerCase()];
      expect(operation?.summary, route).toMatch(/\S/);
      expect(
        Object.keys(operation?.responses ?? {}).filter((status) => status.startsWith('2')),
        route,
      ).not.toEqual([]);
    }
    expect(described.sort()).toEqual(
      api.map((route) => route.replace(/ (.*)$/, (_, url: string) => ` ${openApiPath(url)}`)).sort(),
    );
  });

  it('is what GET /api/openapi.json serves', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/openapi.json', headers: AUTH });
    expect(response.statusCode).toBe(200);
    const { 'x-generated': marker, ...document } = generated;
    expect(marker).toContain('npm run generate');
    expect(response.json()).toEqual(document);
  });
});

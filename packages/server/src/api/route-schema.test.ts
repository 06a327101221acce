import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useRouteSchemas, type DocumentedRoute, type ZodTypeProvider } from './route-schema.js';

const answer = z.object({ sink: z.string() });

describe('useRouteSchemas', () => {
  it('refuses to start with an API route that has no summary or no 2xx answer', async () => {
    for (const schema of [
      undefined,
      { response: { 200: answer } },
      { summary: 'x', response: { 400: answer } },
    ]) {
      const app = Fastify();
      void app.register((api, _options, done) => {
        useRouteSchemas(api, []);
        api.get('/api/undocumented', schema === undefined ? {} : { schema }, () => ({ sink: 'a' }));
        done();
      });
      await expect(app.ready()).rejects.toMatchObject({
        code: 'LH_ERR_INTERNAL',
        message: expect.stringContaining('GET /api/undocumented') as string,
      });
    }
  });

  it('records each documented route once per method, without the HEAD twin of a GET', async () => {
    const routes: DocumentedRoute[] = [];
    const app = Fastify();
    await app.register((api, _options, done) => {
      useRouteSchemas(api, routes);
      api.get('/api/a', { schema: { summary: 'A', response: { 200: answer } } }, () => ({ sink: 'a' }));
      done();
    });
    await app.ready();
    expect(routes.map((route) => `${route.method} ${route.url}`)).toEqual(['get /api/a']);
  });

  it('reads a declared body as JSON and answers a body that is not JSON, or not valid, 400', async () => {
    const app = Fastify();
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    await app.register((scope, _options, done) => {
      useRouteSchemas(scope, []);
      scope
        .withTypeProvider<ZodTypeProvider>()
        .post(
          '/api/echo',
          { schema: { summary: 'Echo', body: answer, response: { 200: answer } } },
          (request) => ({ sink: request.body.sink }),
        );
      done();
    });
    const post = (payload: string) => app.inject({ method: 'POST', url: '/api/echo', payload });
    expect((await post('{"sink":"ops"}')).json()).toEqual({ sink: 'ops' });
    for (const payload of ['{"sink":', '{"sink":1}', '']) {
      const response = await post(payload);
      expect([response.statusCode, response.json<{ code: string }>().code], payload).toEqual([
        400,
        'LH_ERR_INVALID_QUERY',
      ]);
    }
  });
});

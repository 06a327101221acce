import { createFastifyPlugin, livehooksFastify } from '@livehooks/core';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chunkedStream,
  createTestReceiver,
  describeAdapter,
  MAX_BODY_BYTES,
  post,
  type RunningServer,
} from './_adapter-suite.js';

async function start(app: FastifyInstance): Promise<RunningServer> {
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: address, close: () => app.close() };
}

describeAdapter(
  'fastify',
  async (receiver) => {
    const app = Fastify();
    await app.register(createFastifyPlugin, { receiver, path: '/callbacks' });
    return start(app);
  },
  { answersOtherMethods: false },
);

describe('fastify: encapsulation', () => {
  const receiver = createTestReceiver();
  let server: RunningServer;

  beforeAll(async () => {
    const app = Fastify();
    await app.register(createFastifyPlugin, { receiver, path: '/callbacks' });
    app.post('/other', (request) => ({ parsed: request.body }));
    server = await start(app);
  });
  afterAll(() => server.close());

  it('keeps Fastify JSON parsing for routes outside the plugin', async () => {
    const response = await fetch(`${server.url}/other`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await response.json()).toEqual({ parsed: { a: 1 } });
  });

  it('answers a malformed Content-Type in the livehooks shape', async () => {
    const answer = await post(`${server.url}/callbacks`, '{}', { 'content-type': 'not a media type' });
    expect(answer.status).toBe(400);
    expect(answer.json.code).toBe('LH_ERR_UNSUPPORTED_CONTENT');
    expect(answer.json.error).toContain('"not a media type" is not a valid media type');
  });

  it("answers a chunked body Fastify stops at the receiver's limit 413, naming the limit", async () => {
    const answer = await post(`${server.url}/callbacks`, chunkedStream(MAX_BODY_BYTES * 2), {
      'content-type': 'application/json',
    });
    expect(answer.status).toBe(413);
    expect(answer.json.error).toBe(`body is larger than the limit of ${MAX_BODY_BYTES} bytes`);
  });
});

describe('fastify: the deprecated name', () => {
  it('livehooksFastify is createFastifyPlugin', () => {
    expect(livehooksFastify).toBe(createFastifyPlugin);
  });
});

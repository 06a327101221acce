import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createHonoHandler, honoHandler, type Receiver } from '@livehooks/core';
import { signRequest } from '@livehooks/fixtures';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestReceiver, describeAdapter, post, trtcBody, type RunningServer } from './_adapter-suite.js';

function start(app: Hono): Promise<RunningServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => void server.close((error) => (error ? fail(error) : done()))),
      });
    });
  });
}

describeAdapter(
  'hono',
  (receiver: Receiver) => {
    const app = new Hono();
    app.all('/callbacks', createHonoHandler(receiver));
    return start(app);
  },
  { answersOtherMethods: true },
);

describe('hono: behind a middleware that read the body', () => {
  const receiver = createTestReceiver();
  let server: RunningServer;

  beforeAll(async () => {
    const app = new Hono();
    app.use('/callbacks', async (c, next) => {
      await c.req.json();
      await next();
    });
    app.post('/callbacks', createHonoHandler(receiver));
    server = await start(app);
  });
  afterAll(() => server.close());

  it('answers 500 LH_ERR_BODY_CONSUMED instead of verifying a re-serialised body', async () => {
    const { body, headers } = signRequest('trtc', trtcBody);
    const answer = await post(`${server.url}/callbacks`, body, headers);
    expect(answer.status).toBe(500);
    expect(answer.json.code).toBe('LH_ERR_BODY_CONSUMED');
  });
});

describe('hono: the deprecated name', () => {
  it('honoHandler is createHonoHandler', () => {
    expect(honoHandler).toBe(createHonoHandler);
  });
});

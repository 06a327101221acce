import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createWebHandler, type Receiver } from '@livehooks/core';
import { signRequest } from '@livehooks/fixtures';
import { describe, expect, it } from 'vitest';
import { createTestReceiver, describeAdapter, trtcBody, type RunningServer } from './_adapter-suite.js';

/** A Web-standard server on loopback (the Node server of Workers-style `fetch` handlers). */
function start(fetch: (request: Request) => Promise<Response>): Promise<RunningServer> {
  return new Promise((resolve) => {
    const server = serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
      resolve({
        url: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done, fail) => void server.close((error) => (error ? fail(error) : done()))),
      });
    });
  });
}

describeAdapter('web', (receiver: Receiver) => start(createWebHandler(receiver)), {
  answersOtherMethods: true,
});

describe('web: a Request whose body was read', () => {
  it('answers 500 LH_ERR_BODY_CONSUMED instead of verifying a re-serialised body', async () => {
    const handle = createWebHandler(createTestReceiver());
    const { body, headers } = signRequest('trtc', trtcBody);
    const request = new Request('http://127.0.0.1/callbacks', { method: 'POST', body, headers });
    await request.json();
    const response = await handle(request);
    expect(response.status).toBe(500);
    expect(((await response.json()) as { code: string }).code).toBe('LH_ERR_BODY_CONSUMED');
  });
});

import { createServer } from 'node:http';
import { createExpressMiddleware, expressMiddleware } from '@livehooks/core';
import { signRequest } from '@livehooks/fixtures';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestReceiver,
  describeAdapter,
  listen,
  oversizedCss,
  post,
  trtcBody,
  type RunningServer,
} from './_adapter-suite.js';

describeAdapter(
  'express',
  (receiver) => {
    const app = express();
    app.use('/callbacks', createExpressMiddleware(receiver));
    return listen(createServer(app));
  },
  { answersOtherMethods: true },
);

describe('express: mounted behind body parsers', () => {
  const receiver = createTestReceiver();
  const types: string[] = [];
  receiver.onAny((event) => void types.push(event.type));
  let server: RunningServer;

  beforeAll(async () => {
    const app = express();
    app.post(
      '/raw/callbacks',
      express.raw({ type: '*/*', limit: receiver.maxBodyBytes * 4 }),
      createExpressMiddleware(receiver),
    );
    app.use(express.json());
    app.post('/json/callbacks', createExpressMiddleware(receiver));
    app.post('/other', (req, res) => void res.json({ parsed: req.body as unknown }));
    server = await listen(createServer(app));
  });
  afterAll(() => server.close());

  it('answers 500 LH_ERR_BODY_CONSUMED after express.json(), saying how to mount it', async () => {
    types.length = 0;
    const { body, headers } = signRequest('trtc', trtcBody);
    const answer = await post(`${server.url}/json/callbacks`, body, headers);
    expect(answer.status).toBe(500);
    expect(answer.json.code).toBe('LH_ERR_BODY_CONSUMED');
    expect(answer.json.error).toContain('Mount createExpressMiddleware before express.json()');
    expect(answer.json.error).toContain('express.raw({ type: "*/*" })');
    expect(types).toEqual([]);
  });

  it('verifies the exact bytes express.raw() left in req.body', async () => {
    types.length = 0;
    const { body, headers } = signRequest('trtc', trtcBody);
    const answer = await post(`${server.url}/raw/callbacks`, body, headers);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('{"code":0}');
    expect(types).toEqual(['trtc.moderation.start']);
  });

  it('answers 413 when express.raw() accepted more than the receiver allows', async () => {
    const { body } = oversizedCss();
    // No Content-Length check can trip first: the body is sent chunked.
    const stream = new Blob([body]).stream();
    const answer = await post(`${server.url}/raw/callbacks`, stream, { 'content-type': 'application/json' });
    expect(answer.status).toBe(413);
    expect(answer.json.code).toBe('LH_ERR_BODY_TOO_LARGE');
  });

  it('leaves other routes to express.json()', async () => {
    const response = await fetch(`${server.url}/other`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await response.json()).toEqual({ parsed: { a: 1 } });
  });
});

describe('express: the deprecated name', () => {
  it('expressMiddleware is createExpressMiddleware', () => {
    expect(expressMiddleware).toBe(createExpressMiddleware);
  });
});

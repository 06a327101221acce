import { createServer } from 'node:http';
import { bodyParser } from '@koa/bodyparser';
import { createKoaMiddleware, koaMiddleware } from '@livehooks/core';
import { signRequest } from '@livehooks/fixtures';
import Koa from 'koa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestReceiver,
  cssBody,
  describeAdapter,
  listen,
  post,
  trtcBody,
  type RunningServer,
} from './_adapter-suite.js';

describeAdapter(
  'koa',
  (receiver) => {
    const app = new Koa();
    app.use(createKoaMiddleware(receiver, { path: '/callbacks' }));
    const handler = app.callback();
    return listen(createServer((req, res) => void handler(req, res)));
  },
  { answersOtherMethods: true },
);

describe('koa: mounted behind a body parser', () => {
  const receiver = createTestReceiver();
  const types: string[] = [];
  receiver.onAny((event) => void types.push(event.type));
  let server: RunningServer;

  beforeAll(async () => {
    const app = new Koa();
    app.use(createKoaMiddleware(receiver, { path: '/first/callbacks' }));
    app.use(bodyParser());
    app.use(createKoaMiddleware(receiver, { path: '/late/callbacks' }));
    app.use((ctx) => {
      ctx.body = { parsed: ctx.request.body };
    });
    const handler = app.callback();
    server = await listen(createServer((req, res) => void handler(req, res)));
  });
  afterAll(() => server.close());

  it('answers 500 LH_ERR_BODY_CONSUMED after @koa/bodyparser, saying how to mount it', async () => {
    types.length = 0;
    const { body, headers } = signRequest('trtc', trtcBody);
    const answer = await post(`${server.url}/late/callbacks`, body, headers);
    expect(answer.status).toBe(500);
    expect(answer.json.code).toBe('LH_ERR_BODY_CONSUMED');
    expect(answer.json.error).toContain('ctx.request.body');
    expect(answer.json.error).toContain('before the body parser');
    expect(types).toEqual([]);
  });

  it('answers callbacks when mounted before the body parser, and passes other paths on to it', async () => {
    types.length = 0;
    const { body, headers } = signRequest('css', cssBody);
    const answer = await post(`${server.url}/first/callbacks`, body, headers);
    expect(answer.status).toBe(200);
    expect(types).toEqual(['css.screenshot']);
    const other = await fetch(`${server.url}/other`, {
      method: 'POST',
      body: '{"a":1}',
      headers: { 'content-type': 'application/json' },
    });
    expect(await other.json()).toEqual({ parsed: { a: 1 } });
  });
});

describe('koa: the deprecated name', () => {
  it('koaMiddleware is createKoaMiddleware', () => {
    expect(koaMiddleware).toBe(createKoaMiddleware);
  });
});

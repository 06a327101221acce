import { createServer } from 'node:http';
import { createNodeMiddleware } from '@livehooks/core';
import { signRequest } from '@livehooks/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestReceiver,
  cssBody,
  describeAdapter,
  listen,
  post,
  type RunningServer,
} from './_adapter-suite.js';

describeAdapter(
  'node http',
  (receiver) => listen(createServer(createNodeMiddleware(receiver, { path: '/callbacks' }))),
  { answersOtherMethods: true },
);

describe('node http: path option', () => {
  const receiver = createTestReceiver();
  let server: RunningServer;
  beforeAll(async () => {
    server = await listen(createServer(createNodeMiddleware(receiver, { path: '/callbacks' })));
  });
  afterAll(() => server.close());

  it('answers callbacks whose URL carries a query string', async () => {
    const { body, headers } = signRequest('css', cssBody);
    const answer = await post(`${server.url}/callbacks?source=css`, body, headers);
    expect(answer.status).toBe(200);
  });

  it('answers an empty 404 to other paths when there is no next middleware', async () => {
    const { body, headers } = signRequest('css', cssBody);
    const response = await fetch(`${server.url}/elsewhere`, { method: 'POST', body, headers });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });
});

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, buildQuery, createApiClient } from '../src/api/api-client';
import type { Envelope, EventDetail, Page } from '../src/api/api-types';
import { API_TOKEN, startTestGateway, type TestGateway } from './support/gateway';

describe('buildQuery', () => {
  it('leaves out empty parameters and keeps patterns readable', () => {
    expect(
      buildQuery({ type: 'css.moderation.*', cursor: undefined, q: '', stream_id: null, limit: 50 }),
    ).toBe('?type=css.moderation.*&limit=50');
    expect(buildQuery({})).toBe('');
    expect(buildQuery({ q: '直播 a&b' })).toBe('?q=%E7%9B%B4%E6%92%AD+a%26b');
  });
});

describe('createApiClient against a real gateway', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
    await gateway.send('css.screenshot', { overrides: { stream_id: 'client-stream' } });
    await gateway.send('css.monitor.stream_broken', { overrides: { stream_id: 'client-stream' } });
  });
  afterAll(() => gateway.close());

  it('lists events with the bearer token, newest first, following the cursor', async () => {
    const api = createApiClient({ token: API_TOKEN, baseUrl: gateway.url });
    const first = await api.get<Page<Envelope>>('/events', { stream_id: 'client-stream', limit: 1 });
    expect(first.items.map((event) => event.type)).toEqual(['css.monitor.stream_broken']);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await api.get<Page<Envelope>>('/events', {
      stream_id: 'client-stream',
      limit: 1,
      cursor: first.nextCursor,
    });
    expect(second.items.map((event) => event.type)).toEqual(['css.screenshot']);
  });

  it('reads an event with its body exactly as received', async () => {
    const api = createApiClient({ token: API_TOKEN, baseUrl: gateway.url });
    const { items } = await api.get<Page<Envelope>>('/events', { type: 'css.screenshot', limit: 1 });
    const detail = await api.get<EventDetail>(`/events/${items[0]!.id}`);
    expect(JSON.parse(detail.raw)).toMatchObject({ event_type: 200, stream_id: 'client-stream' });
    expect(detail.auth).toMatchObject({ method: 'css-md5', stale: false });
  });

  it('turns a refused token into an unauthorized ApiError with the gateway code', async () => {
    const api = createApiClient({ token: 'not-the-token', baseUrl: gateway.url });
    const error = await api.get('/events').catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ code: 'LH_ERR_UNAUTHORIZED', status: 401, unauthorized: true });
  });

  it('carries the gateway error code of a bad query and of a missing event', async () => {
    const api = createApiClient({ token: API_TOKEN, baseUrl: gateway.url });
    await expect(api.get('/events', { limit: 100_000 })).rejects.toMatchObject({ status: 400 });
    await expect(api.get('/events/0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b')).rejects.toMatchObject({
      code: 'LH_ERR_NOT_FOUND',
      status: 404,
    });
  });

  it('reports an unreachable gateway as LH_ERR_NETWORK', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise((resolve) => closed.close(resolve));
    const api = createApiClient({ token: API_TOKEN, baseUrl: `http://127.0.0.1:${port}` });
    await expect(api.get('/events')).rejects.toMatchObject({ code: 'LH_ERR_NETWORK', status: 0 });
  });
});

describe('createApiClient behind a proxy that answers without a gateway error body', () => {
  let proxy: Server;
  let url: string;
  beforeAll(async () => {
    proxy = createServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/html' });
      response.end('<html>Bad Gateway</html>');
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => proxy.close(resolve)));

  it('names the HTTP status when the body is not the gateway error shape', async () => {
    const api = createApiClient({ token: API_TOKEN, baseUrl: url });
    await expect(api.get('/events')).rejects.toMatchObject({ code: 'HTTP_502', status: 502 });
  });
});

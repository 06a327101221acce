import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient, type ApiError } from '../src/api/api-client';
import type { Envelope } from '../src/api/api-types';
import { runLiveTail, type LiveTailStatus } from '../src/api/live-tail';
import { API_TOKEN, startTestGateway, type TestGateway } from './support/gateway';

async function until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('runLiveTail against a real gateway', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway.close());

  it('receives events as they are stored, filtered by type', async () => {
    const controller = new AbortController();
    const received: Envelope[] = [];
    const statuses: LiveTailStatus[] = [];
    const done = runLiveTail({
      client: createApiClient({ token: API_TOKEN, baseUrl: gateway.url }),
      params: { type: 'css.monitor.low_framerate' },
      signal: controller.signal,
      onEvents: (events) => received.push(...events),
      onStatus: (status) => statuses.push(status),
    });
    await until(
      () => statuses.includes('live') && gateway.running.server.hub.size > 0,
      'the tail to connect',
    );
    await gateway.send('css.screenshot', { overrides: { stream_id: 'tail-a' } });
    await gateway.send('css.monitor.low_framerate', { overrides: { stream_id: 'tail-a' } });
    await until(() => received.length > 0, 'a live event');
    controller.abort();
    await done;
    expect(received.map((event) => [event.type, event.subject.streamId])).toEqual([
      ['css.monitor.low_framerate', 'tail-a'],
    ]);
    expect(statuses.at(-1)).toBe('stopped');
  });

  it('resumes after the last event it saw, missing nothing stored while it was away', async () => {
    const client = createApiClient({ token: API_TOKEN, baseUrl: gateway.url });
    const params = { stream_id: 'tail-resume' };
    await gateway.send('css.screenshot', { overrides: { stream_id: 'tail-resume' } });
    const first = await client.get<{ items: Envelope[] }>('/events', params);
    const seen = first.items[0]!.id;
    await gateway.send('css.monitor.stream_broken', { overrides: { stream_id: 'tail-resume' } });
    await gateway.send('css.monitor.low_framerate', { overrides: { stream_id: 'tail-resume' } });

    const controller = new AbortController();
    const received: Envelope[] = [];
    const done = runLiveTail({
      client,
      params,
      lastEventId: seen,
      signal: controller.signal,
      onEvents: (events) => received.push(...events),
    });
    await until(() => received.length >= 2, 'the backlog after Last-Event-ID');
    controller.abort();
    await done;
    expect(received.map((event) => event.type)).toEqual([
      'css.monitor.stream_broken',
      'css.monitor.low_framerate',
    ]);
  });

  it('reconnects with Last-Event-ID when the gateway drops the connection', async () => {
    const controller = new AbortController();
    const received: Envelope[] = [];
    const statuses: LiveTailStatus[] = [];
    const done = runLiveTail({
      client: createApiClient({ token: API_TOKEN, baseUrl: gateway.url }),
      params: { stream_id: 'tail-drop' },
      retryMs: 50,
      signal: controller.signal,
      onEvents: (events) => received.push(...events),
      onStatus: (status) => statuses.push(status),
    });
    await until(() => gateway.running.server.hub.size > 0, 'the tail to connect');
    await gateway.send('css.screenshot', { overrides: { stream_id: 'tail-drop' } });
    await until(() => received.length === 1, 'the first event');
    // Dropping every connection stands for a proxy timeout or a network blip.
    gateway.running.server.app.server.closeAllConnections();
    await until(() => statuses.includes('reconnecting'), 'the drop to be noticed');
    await gateway.send('css.monitor.stream_broken', { overrides: { stream_id: 'tail-drop' } });
    await until(() => received.length === 2, 'the event stored during the drop');
    controller.abort();
    await done;
    expect(received.map((event) => event.type)).toEqual(['css.screenshot', 'css.monitor.stream_broken']);
  });

  it('stops for good when the token is refused', async () => {
    const statuses: [LiveTailStatus, ApiError | undefined][] = [];
    await runLiveTail({
      client: createApiClient({ token: 'wrong-token', baseUrl: gateway.url }),
      signal: new AbortController().signal,
      onEvents: () => undefined,
      onStatus: (status, error) => statuses.push([status, error]),
    });
    expect(statuses.at(-1)?.[0]).toBe('stopped');
    expect(statuses.at(-1)?.[1]).toMatchObject({ code: 'LH_ERR_UNAUTHORIZED', status: 401 });
  });
});

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LivehooksServer } from '../src/index.js';
import { craft, deliver, monitorEvent, streamEvent, taskEvent } from './support/crafted-callbacks.js';
import { describeEachDialect } from './support/databases.js';
import { validate } from './support/openapi-validation.js';
import { AUTH, createTestServer } from './support/test-server.js';
import { createCallbackFactory } from './support/unique-callbacks.js';

const factory = createCallbackFactory();

describeEachDialect('query API over projections', (databases) => {
  let server: LivehooksServer;
  const call = async (
    method: 'GET' | 'POST',
    url: string,
    payload?: unknown,
    headers: Record<string, string> = AUTH,
  ) => {
    await server.projector.idle();
    return server.app.inject({
      method,
      url,
      headers: payload === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }),
    });
  };
  /** GETs, checks the status and the document's schema, returns the body. */
  const answer = async <T>(
    route: string,
    url: string,
    status = 200,
    method: 'GET' | 'POST' = 'GET',
    payload?: unknown,
  ): Promise<T> => {
    const response = await call(method, url, payload);
    expect(response.statusCode, `${url}: ${response.body}`).toBe(status);
    const body = response.json<T>();
    expect(validate(route, method.toLowerCase(), status, body), url).toEqual([]);
    return body;
  };

  beforeAll(async () => {
    server = await createTestServer(databases);
    for (let seq = 0; seq < 60; seq++) {
      await deliver(server, factory.make(seq * 5));
    }
    await deliver(server, streamEvent('push', 'api-stream', '9', 1_700_000_000));
    await deliver(server, monitorEvent('css.monitor.stream_broken', 'api-stream', 1_700_000_010_000));
    await deliver(
      server,
      monitorEvent(
        'css.monitor.asr',
        'api-stream',
        1_700_000_020_000,
        'stream [ api-stream ] callback message: {StartPtsTime:1, EndPtsTime:2, Text:欢迎来到北京}',
      ),
    );
    await deliver(
      server,
      craft('css.moderation.image', {
        appid: 12345678,
        streamId: 'api-stream',
        screenshotTime: 1_700_000_030,
        img: 'https://cos.example.com/a.jpg',
      }),
    );
    await deliver(server, taskEvent('trtc.moderation.start', 'api-task', 1000, { Status: 0 }));
    await deliver(
      server,
      taskEvent(
        'trtc.moderation.result',
        'api-task',
        2000,
        { DataId: 'd-1', Suggest: 1 },
        'doc-sample-audio',
      ),
    );
    // A forged callback: refused and recorded.
    const forged = craft('trtc.moderation.start', { EventInfo: { TaskId: 'forged' } });
    const refused = await server.app.inject({
      method: 'POST',
      url: '/callbacks',
      payload: forged.body,
      headers: { ...forged.headers, sign: 'AAAA' },
    });
    expect(refused.statusCode).toBe(401);
  });
  afterAll(() => server.close());

  describe('events', () => {
    type Events = {
      items: { id: string; type: string; family: string; summary: string; subject: { userId?: string } }[];
      nextCursor: string | null;
    };

    it('filters by type pattern, family, user and summary words, each answer matching the document', async () => {
      const moderation = await answer<Events>('/api/events', '/api/events?type=css.moderation.*');
      expect(moderation.items.length).toBeGreaterThan(0);
      expect(moderation.items.every((event) => event.type.startsWith('css.moderation.'))).toBe(true);
      const trtc = await answer<Events>('/api/events', '/api/events?family=trtc&limit=500');
      expect(trtc.items.length).toBeGreaterThan(0);
      expect(trtc.items.every((event) => event.family === 'trtc')).toBe(true);
      const userId = trtc.items.find((event) => event.subject.userId !== undefined)!.subject.userId!;
      const byUser = await answer<Events>('/api/events', `/api/events?user_id=${encodeURIComponent(userId)}`);
      expect(byUser.items.length).toBeGreaterThan(0);
      expect(byUser.items.every((event) => event.subject.userId === userId)).toBe(true);
      const words = await answer<Events>('/api/events', '/api/events?q=API-STREAM');
      expect(words.items.length).toBe(4);
      expect(words.items.every((event) => event.summary.toLowerCase().includes('api-stream'))).toBe(true);
      // A selector that matches no type of the catalog is a mistake, answered in words rather than as an empty page.
      const unknownType = await answer<{ code: string; error: string }>(
        '/api/events',
        '/api/events?type=nothing.*',
        400,
      );
      expect(unknownType).toEqual({
        code: 'LH_ERR_INVALID_QUERY',
        error: expect.stringContaining('"nothing.*" matches no event type') as string,
      });
    });

    it('answers the event detail with its raw body and deliveries', async () => {
      const [first] = (await answer<Events>('/api/events', '/api/events?limit=1')).items;
      const detail = await answer<{ raw: string; deliveries: unknown[] }>(
        '/api/events/{id}',
        `/api/events/${first!.id}`,
      );
      expect(detail.raw.length).toBeGreaterThan(10);
      expect(detail.deliveries).toEqual([]);
    });
  });

  it('lists streams live first by filter and answers a stream page with timeline, screenshots and moderation', async () => {
    const live = await answer<{ items: { streamId: string; status: string }[] }>(
      '/api/streams',
      '/api/streams?status=live',
    );
    expect(live.items.map((stream) => stream.streamId)).toContain('api-stream');
    expect(live.items.every((stream) => stream.status === 'live')).toBe(true);
    const found = await answer<{ items: { streamId: string }[] }>('/api/streams', '/api/streams?q=api-str');
    expect(found.items.map((stream) => stream.streamId)).toEqual(['api-stream']);
    const detail = await answer<{
      timeline: unknown[];
      moderation: unknown[];
      health: string;
      brokenCount: number;
    }>('/api/streams/{streamId}', '/api/streams/api-stream');
    expect(detail).toMatchObject({ health: 'broken', brokenCount: 1 });
    expect(detail.timeline).toHaveLength(4);
    expect(detail.moderation).toHaveLength(1);
    await answer('/api/streams/{streamId}', '/api/streams/no-such-stream', 404);
  });

  it('pages through every list with its cursor without repeating an item', async () => {
    for (const [route, key] of [
      ['/api/streams', 'streamId'],
      ['/api/moderation', 'id'],
      ['/api/trtc/tasks', 'taskId'],
      ['/api/transcripts', 'eventId'],
      ['/api/rejections', 'id'],
      ['/api/events', 'id'],
    ] as const) {
      const all = await answer<{ items: Record<string, string>[] }>(route, `${route}?limit=500`);
      const seen: string[] = [];
      let url = `${route}?limit=2`;
      for (;;) {
        const page = await answer<{ items: Record<string, string>[]; nextCursor: string | null }>(route, url);
        seen.push(...page.items.map((item) => `${item.appId ?? ''}/${item[key]!}`));
        if (page.nextCursor === null) break;
        url = `${route}?limit=2&cursor=${encodeURIComponent(page.nextCursor)}`;
      }
      expect(seen, route).toEqual(all.items.map((item) => `${item.appId ?? ''}/${item[key]!}`));
      expect(seen.length, route).toBeGreaterThan(route === '/api/rejections' ? 0 : 2);
      expect(new Set(seen).size, route).toBe(seen.length);
    }
  });

  it('records a moderation decision with its audit trail and refuses a bad one', async () => {
    const queue = await answer<{ items: { id: string; streamId?: string }[] }>(
      '/api/moderation',
      '/api/moderation?status=pending&source=css.moderation.image',
    );
    const item = queue.items.find((candidate) => candidate.streamId === 'api-stream')!;
    await answer('/api/moderation/{id}/decision', `/api/moderation/${item.id}/decision`, 200, 'POST', {
      action: 'escalate',
      note: 'second opinion',
    });
    await answer('/api/moderation/{id}/decision', `/api/moderation/${item.id}/decision`, 200, 'POST', {
      action: 'dismiss',
      actor: 'bo',
    });
    const detail = await answer<{
      status: string;
      decidedBy: string;
      decisions: { action: string; actor: string }[];
    }>('/api/moderation/{id}', `/api/moderation/${item.id}`);
    expect(detail.status).toBe('dismissed');
    expect(detail.decidedBy).toBe('bo');
    expect(detail.decisions.map((decision) => [decision.action, decision.actor])).toEqual([
      ['escalate', 'anonymous'],
      ['dismiss', 'bo'],
    ]);
    const bad = await answer<{ code: string }>(
      '/api/moderation/{id}/decision',
      `/api/moderation/${item.id}/decision`,
      400,
      'POST',
      { action: 'approve' },
    );
    expect(bad.code).toBe('LH_ERR_INVALID_QUERY');
    const dismissed = await answer<{ items: { id: string }[] }>(
      '/api/moderation',
      '/api/moderation?status=dismissed',
    );
    expect(dismissed.items.map((candidate) => candidate.id)).toContain(item.id);
    await answer('/api/moderation/{id}', '/api/moderation/00000000-0000-7000-8000-000000000000', 404);
  });

  it('answers TRTC tasks, transcripts, rejections and stats as documented', async () => {
    const tasks = await answer<{ items: { taskId: string }[] }>(
      '/api/trtc/tasks',
      '/api/trtc/tasks?room_id=room-7',
    );
    expect(tasks.items.map((task) => task.taskId)).toEqual(['api-task']);
    const task = await answer<{ state: string; results: Record<string, number> }>(
      '/api/trtc/tasks/{taskId}',
      '/api/trtc/tasks/api-task',
    );
    expect(task).toMatchObject({ state: 'running', results: { Pass: 0, Review: 1, Block: 0 } });
    const hits = await answer<{ items: { text: string; highlights: number[][] }[] }>(
      '/api/transcripts',
      `/api/transcripts?q=${encodeURIComponent('北京')}&stream_id=api-stream`,
    );
    expect(hits.items).toEqual([expect.objectContaining({ text: '欢迎来到北京', highlights: [[4, 6]] })]);
    const rejections = await answer<{ items: { code: string; status: number }[] }>(
      '/api/rejections',
      '/api/rejections?reason=LH_ERR_SIGNATURE_MISMATCH',
    );
    expect(rejections.items).toEqual([
      expect.objectContaining({ code: 'LH_ERR_SIGNATURE_MISMATCH', status: 401 }),
    ]);
    const stats = await answer<{
      buckets: { counts: Record<string, number> }[];
      totals: { events: number; rejections: number };
      recentAlerts: { type: string }[];
    }>('/api/stats', `/api/stats?since=${Date.now() - 600_000}&bucket=60000`);
    const inBuckets = stats.buckets
      .flatMap((bucket) => Object.values(bucket.counts))
      .reduce((sum, n) => sum + n, 0);
    expect(inBuckets).toBe(stats.totals.events);
    expect(stats.totals.rejections).toBe(1);
    expect(stats.recentAlerts.map((event) => event.type)).toContain('css.monitor.stream_broken');
    await answer('/api/deliveries', '/api/deliveries');
    const openapi = await answer<{ openapi: string; paths: Record<string, unknown> }>(
      '/api/openapi.json',
      '/api/openapi.json',
    );
    expect(openapi.openapi).toBe('3.1.0');
  });

  it('answers malformed parameters with 400 and a missing token with 401, as documented', async () => {
    for (const url of [
      '/api/streams?limit=0',
      '/api/moderation?status=maybe',
      '/api/trtc/tasks?cursor=bogus',
      '/api/transcripts?kind=video',
      '/api/stats?bucket=5',
    ]) {
      const route = url.split('?')[0]!;
      expect((await answer<{ code: string }>(route, url, 400)).code).toBe('LH_ERR_INVALID_QUERY');
    }
    const response = await call('GET', '/api/streams', undefined, {});
    expect(response.statusCode).toBe(401);
    expect(validate('/api/streams', 'get', 401, response.json())).toEqual([]);
  });
});

describeEachDialect('dashboard', (databases) => {
  let server: LivehooksServer;
  let missing: LivehooksServer;
  beforeAll(async () => {
    const dir = databases.tempDir();
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>livehooks</title>');
    writeFileSync(join(dir, 'assets', 'app-1234.js'), 'console.log(1)');
    server = await createTestServer(databases, { dashboardDir: dir });
    missing = await createTestServer(databases, { dashboardDir: join(dir, 'nope') });
  });
  afterAll(async () => {
    await server.close();
    await missing.close();
  });

  it('serves the built files, falls back to index.html for app routes and keeps API and callback paths out', async () => {
    const index = await server.app.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.body).toContain('<title>livehooks</title>');
    const route = await server.app.inject({ method: 'GET', url: '/streams/abc?app_id=1' });
    expect(route.body).toContain('<title>livehooks</title>');
    const asset = await server.app.inject({ method: 'GET', url: '/assets/app-1234.js' });
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await server.app.inject({ method: 'GET', url: '/assets/gone.js' })).statusCode).toBe(404);
    expect((await server.app.inject({ method: 'GET', url: '/../../etc/passwd' })).body).not.toContain(
      'root:',
    );
    const api = await server.app.inject({ method: 'GET', url: '/api/nothing', headers: AUTH });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ code: 'LH_ERR_NOT_FOUND' });
    // A callback URL belongs to ingest, which takes POST only; the dashboard never answers it.
    expect((await server.app.inject({ method: 'GET', url: '/callbacks' })).json()).toMatchObject({
      code: 'LH_ERR_METHOD_NOT_ALLOWED',
    });
  });

  it('says how to build the dashboard when it is missing', async () => {
    const response = await missing.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('npm run build');
  });
});

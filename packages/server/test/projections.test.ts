import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildProjections, type LivehooksServer } from '../src/index.js';
import { gatewayProjections } from '../src/gateway-projections.js';
import { craft, deliver, monitorEvent, streamEvent, taskEvent } from './support/crafted-callbacks.js';
import { describeEachDialect } from './support/databases.js';
import { AUTH, createTestServer } from './support/test-server.js';

/** Every projection table, rows sorted, numbers normalised: two equal snapshots mean equal tables. */
async function snapshot(server: LivehooksServer): Promise<Record<string, unknown[]>> {
  const db = server.store.db.withTables<Record<string, Record<string, unknown>>>();
  const out: Record<string, unknown[]> = {};
  for (const table of gatewayProjections.flatMap((projection) => Object.keys(projection.tables))) {
    const rows = await db.selectFrom(table).selectAll().execute();
    out[table] = rows
      .map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([key, value]) => [
            key,
            typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value,
          ]),
        ),
      )
      .map((row) => JSON.stringify(row))
      .sort();
  }
  return out;
}

describeEachDialect('projections', (databases) => {
  let server: LivehooksServer;
  const get = async <T>(url: string): Promise<T> => {
    await server.projector.idle();
    const response = await server.app.inject({ method: 'GET', url, headers: AUTH });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<T>();
  };
  type Stream = {
    status: string;
    health: string;
    sessionSequence?: string;
    brokenCount: number;
    lowFramerateCount: number;
    latestScreenshot?: { url: string; at: number };
    disconnectReason?: string;
  };

  beforeAll(async () => {
    server = await createTestServer(databases);
  });
  afterAll(() => server.close());

  describe('streams', () => {
    it('keeps a stream offline when the push of a session arrives after that session’s disconnect', async () => {
      await deliver(server, streamEvent('disconnect', 'late-push', '111', 1_700_000_200));
      await deliver(server, streamEvent('push', 'late-push', '111', 1_700_000_100));
      const stream = await get<Stream>('/api/streams/late-push');
      expect(stream).toMatchObject({ status: 'offline', sessionSequence: '111' });
      expect(stream.disconnectReason).toEqual(expect.any(String));
    });

    it('goes live with a newer session even when an older session’s disconnect arrives after it', async () => {
      await deliver(server, streamEvent('push', 'two-sessions', '1', 1_700_000_000));
      await deliver(server, streamEvent('push', 'two-sessions', '2', 1_700_000_300));
      await deliver(server, streamEvent('disconnect', 'two-sessions', '1', 1_700_000_200));
      expect(await get<Stream>('/api/streams/two-sessions')).toMatchObject({
        status: 'live',
        sessionSequence: '2',
      });
      await deliver(server, streamEvent('disconnect', 'two-sessions', '2', 1_700_000_900));
      expect(await get<Stream>('/api/streams/two-sessions')).toMatchObject({
        status: 'offline',
        sessionSequence: '2',
      });
    });

    it('orders health by event time and counts broken and low-frame-rate alerts', async () => {
      await deliver(server, streamEvent('push', 'health', '5', 1_700_000_000));
      await deliver(
        server,
        monitorEvent(
          'css.monitor.low_framerate',
          'health',
          1_700_000_050_000,
          'stream [ health ] frame rate is less than 10 fps',
        ),
      );
      await deliver(server, monitorEvent('css.monitor.stream_broken', 'health', 1_700_000_090_000));
      // Delivered last but older than the broken alert: it must not mask it.
      await deliver(
        server,
        monitorEvent(
          'css.monitor.low_framerate',
          'health',
          1_700_000_010_000,
          'stream [ health ] frame rate is less than 10 fps',
        ),
      );
      const stream = await get<Stream>('/api/streams/health');
      expect(stream).toMatchObject({
        status: 'live',
        health: 'broken',
        brokenCount: 1,
        lowFramerateCount: 2,
      });
    });

    it('keeps the newest screenshot by event time', async () => {
      const shot = (at: number, name: string) =>
        craft('css.screenshot', {
          stream_id: 'shots',
          channel_id: 'shots',
          create_time: at,
          pic_url: `/${name}.jpg`,
          pic_full_url: `https://cos.example.com/${name}.jpg`,
        });
      await deliver(server, shot(1_700_000_500, 'newest'));
      await deliver(server, shot(1_700_000_100, 'older'));
      const stream = await get<Stream & { screenshots: { url: string }[] }>('/api/streams/shots');
      expect(stream.latestScreenshot).toEqual({
        url: 'https://cos.example.com/newest.jpg',
        at: 1_700_000_500_000,
      });
      expect(stream.screenshots.map((s) => s.url)).toEqual([
        'https://cos.example.com/newest.jpg',
        'https://cos.example.com/older.jpg',
      ]);
    });
  });

  describe('TRTC moderation tasks', () => {
    it('derives the state from the latest lifecycle event by event time, whatever the arrival order', async () => {
      const task = 'task-out-of-order';
      await deliver(server, taskEvent('trtc.moderation.stop', task, 5000, { LeaveCode: 99 }));
      await deliver(
        server,
        taskEvent('trtc.moderation.result', task, 3000, { DataId: 'r1', Suggest: 2 }, 'doc-sample-audio'),
      );
      await deliver(server, taskEvent('trtc.moderation.start', task, 1000, { Status: 0 }));
      await deliver(server, taskEvent('trtc.moderation.send_start', task, 2000, { Status: 0 }));
      await deliver(
        server,
        taskEvent('trtc.moderation.result', task, 3100, { DataId: 'r2', Suggest: 1 }, 'doc-sample-audio'),
      );
      const detail = await get<Record<string, unknown> & { events: unknown[] }>(`/api/trtc/tasks/${task}`);
      expect(detail).toMatchObject({
        taskId: task,
        roomId: 'room-7',
        state: 'stopped',
        leaveCode: 99,
        startedAt: 1000,
        updatedAt: 5000,
        results: { Pass: 0, Review: 1, Block: 1 },
      });
      expect(detail.leaveReason).toMatch(/room/i);
      expect(detail.stateLabel).toContain('stopped');
      expect(detail.events).toHaveLength(5);
    });

    it('reports a failed start, a running task and a storage error in words', async () => {
      await deliver(server, taskEvent('trtc.moderation.start', 'task-failed', 1000, { Status: 1 }));
      await deliver(server, taskEvent('trtc.moderation.start', 'task-errored', 1000, { Status: 0 }));
      await deliver(
        server,
        taskEvent('trtc.moderation.error', 'task-errored', 2000, { Code: 403, Message: 'no COS permission' }),
      );
      await deliver(server, taskEvent('trtc.moderation.start', 'task-sending', 1000, { Status: 0 }));
      await deliver(server, taskEvent('trtc.moderation.send_start', 'task-sending', 1500, { Status: 0 }));
      expect(await get(`/api/trtc/tasks/task-failed`)).toMatchObject({
        state: 'failed_to_start',
        stateLabel: 'failed to start',
      });
      expect(await get(`/api/trtc/tasks/task-errored`)).toMatchObject({
        state: 'errored',
        lastError: { code: '403', message: 'no COS permission' },
      });
      expect(await get(`/api/trtc/tasks/task-sending`)).toMatchObject({ state: 'sending' });
      const page = await get<{ items: { taskId: string }[] }>('/api/trtc/tasks?state=errored');
      expect(page.items.map((task) => task.taskId)).toEqual(['task-errored']);
    });
  });

  describe('transcripts', () => {
    type Hits = {
      items: {
        eventId: string;
        text: string;
        kind: string;
        highlights: [number, number][];
        startMs?: number;
      }[];
    };
    beforeAll(async () => {
      await deliver(
        server,
        monitorEvent(
          'css.monitor.asr',
          'news',
          1_700_000_001_000,
          'stream [ news ] callback message: {StartPtsTime:1.5, EndPtsTime:3.25, Text:我们在北京天安门看升旗}',
        ),
      );
      await deliver(
        server,
        monitorEvent(
          'css.monitor.ocr',
          'news',
          1_700_000_002_000,
          'stream [ news ] callback message: {AreaCoordSet:[1,2,3,4], Text:北京新闻联播}',
        ),
      );
      await deliver(
        server,
        monitorEvent(
          'css.monitor.asr',
          'news',
          1_700_000_003_000,
          'stream [ news ] callback message: {StartPtsTime:4, EndPtsTime:5, Text:Hello from Beijing}',
        ),
      );
    });

    it('finds a two-character Chinese word with its character offsets', async () => {
      const { items } = await get<Hits>('/api/transcripts?q=北京');
      expect(items.map((hit) => [hit.text, hit.highlights])).toEqual([
        ['北京新闻联播', [[0, 2]]],
        ['我们在北京天安门看升旗', [[3, 5]]],
      ]);
    });

    it('finds longer Chinese substrings through the trigram index and combines words', async () => {
      expect((await get<Hits>('/api/transcripts?q=天安门')).items.map((hit) => hit.highlights)).toEqual([
        [[5, 8]],
      ]);
      expect(
        (await get<Hits>(`/api/transcripts?q=${encodeURIComponent('北京 新闻联播')}`)).items.map(
          (hit) => hit.kind,
        ),
      ).toEqual(['ocr']);
      const asr = await get<Hits>('/api/transcripts?q=beijing&kind=asr');
      expect(asr.items).toHaveLength(1);
      expect(asr.items[0]).toMatchObject({
        text: 'Hello from Beijing',
        highlights: [[11, 18]],
        startMs: 4000,
      });
      expect((await get<Hits>('/api/transcripts?q=上海')).items).toEqual([]);
    });
  });

  describe('moderation queue', () => {
    it('queues flagged results and not passes, and keeps a decision across a rebuild', async () => {
      await deliver(
        server,
        craft('css.moderation.image', {
          streamId: 'mod-stream',
          screenshotTime: 1_700_000_100,
          img: 'https://cos.example.com/flagged.jpg',
        }),
      );
      await deliver(
        server,
        craft('css.moderation.image', {
          streamId: 'mod-stream',
          screenshotTime: 1_700_000_200,
          img: 'https://cos.example.com/fine.jpg',
          suggestion: 'Pass',
        }),
      );
      const page = await get<{
        items: { id: string; mediaUrl: string; suggestion: string; status: string; labels: string[] }[];
      }>('/api/moderation?stream_id=mod-stream');
      expect(page.items).toHaveLength(1);
      const item = page.items[0]!;
      expect(item).toMatchObject({
        mediaUrl: 'https://cos.example.com/flagged.jpg',
        suggestion: 'Block',
        status: 'pending',
      });
      expect(item.labels).toContain('Porn');
      const decided = await server.app.inject({
        method: 'POST',
        url: `/api/moderation/${item.id}/decision`,
        headers: { ...AUTH, 'content-type': 'application/json' },
        payload: JSON.stringify({ action: 'confirm', actor: 'ana', note: 'clear violation' }),
      });
      expect(decided.statusCode, decided.body).toBe(200);
      expect(decided.json()).toMatchObject({
        status: 'confirmed',
        decidedBy: 'ana',
        note: 'clear violation',
      });
      await rebuildProjections(server.store);
      const detail = await get<{
        status: string;
        decisions: { action: string; actor: string; note: string; at: number }[];
      }>(`/api/moderation/${item.id}`);
      expect(detail.status).toBe('confirmed');
      expect(detail.decisions).toHaveLength(1);
      expect(detail.decisions[0]).toMatchObject({ action: 'confirm', actor: 'ana', note: 'clear violation' });
      expect(detail.decisions[0]!.at).toBeGreaterThan(0);
      expect(await get<{ moderationHits: number }>('/api/streams/mod-stream')).toMatchObject({
        moderationHits: 1,
      });
    });
  });

  it('rebuilds the same tables it built live', async () => {
    await server.projector.idle();
    const live = await snapshot(server);
    expect(live.streams!.length).toBeGreaterThan(3);
    expect(live.trtc_tasks!.length).toBeGreaterThan(3);
    const { events } = await rebuildProjections(server.store);
    expect(events).toBeGreaterThan(20);
    expect(await snapshot(server)).toEqual(live);
    expect((await get<{ items: unknown[] }>('/api/transcripts?q=北京')).items).toHaveLength(2);
  });
});

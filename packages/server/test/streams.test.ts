import { parseCallback } from '@livehooks/core';
import { TEST_KEYS } from '@livehooks/fixtures';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gatewayMigrations, openStore, rebuildProjections, type LivehooksServer } from '../src/index.js';
import { toEventRow } from '../src/store/stored-event.js';
import { craft, deliver, monitorEvent, streamEvent } from './support/crafted-callbacks.js';
import { describeEachDialect } from './support/databases.js';
import { validate } from './support/openapi-validation.js';
import { AUTH, createTestServer } from './support/test-server.js';

/** The app of the push samples (and of {@link monitorEvent}). */
const APP = '12345678';

interface Stream {
  appId: string;
  streamId: string;
  status: string;
  health: string;
  brokenCount: number;
  moderationHits: number;
  lastBrokenAt?: number;
  disconnectReason?: string;
  disconnectCode?: { errcode: number; subErrcode?: number; category: string; known: boolean };
  timeline?: { id: string; type: string }[];
}
type Page = { items: Stream[]; nextCursor: string | null };

/** A CSS 338 live subtitle line of a stream: the callback names no app. `at` in seconds. */
const subtitle = (streamId: string, at: number, text: string) =>
  craft('css.subtitles', {
    stream_id: streamId,
    channel_id: streamId,
    data: { subtitle_tmp_res: [{ src_txt: text, start_pts: 1000, end_pts: 2000, start_unix_time: at }] },
  });

/** A CSS 347 smart-erasing hit of a stream, which names no app either. `at` in seconds. */
const erased = (streamId: string, at: number) =>
  craft('css.smart_erase', {
    stream_id: streamId,
    channel_id: streamId,
    task_id: `erase-${streamId}`,
    data: {
      subtitle_tmp_res: [
        {
          src_txt: 'a forbidden word was said',
          start_pts: 1000,
          end_pts: 2000,
          start_unix_time: at,
          end_unix_time: at + 1,
          keywords_info: [{ begin_time: 1000, end_time: 1500, word: 'forbidden' }],
        },
      ],
    },
  });

describeEachDialect('streams', (databases) => {
  let server: LivehooksServer;
  const get = async <T>(url: string, status = 200): Promise<T> => {
    await server.projector.idle();
    const response = await server.app.inject({ method: 'GET', url, headers: AUTH });
    expect(response.statusCode, `${url}: ${response.body}`).toBe(status);
    const body = response.json<T>();
    const route = url.split('?')[0]!.replace(/^\/api\/streams\/.+/, '/api/streams/{streamId}');
    expect(validate(route, 'get', status, body), url).toEqual([]);
    return body;
  };

  beforeAll(async () => {
    server = await createTestServer(databases);
  });
  afterAll(() => server.close());

  describe('one row per stream', () => {
    it('puts subtitle and smart-erasing callbacks, which name no app, on the row of their stream’s app', async () => {
      // The app's push first, then the callbacks without an app.
      await deliver(server, streamEvent('push', 'one-row-a', '1', 1_700_000_000));
      await deliver(server, subtitle('one-row-a', 1_700_000_100, 'good evening'));
      await deliver(server, erased('one-row-a', 1_700_000_200));
      // The callbacks without an app first, then the app's push.
      await deliver(server, subtitle('one-row-b', 1_700_000_100, 'good evening'));
      await deliver(server, erased('one-row-b', 1_700_000_200));
      await deliver(server, streamEvent('push', 'one-row-b', '1', 1_700_000_000));

      const rows = await get<Page>('/api/streams?q=one-row-');
      expect(rows.items.map((stream) => `${stream.appId}/${stream.streamId}`).sort()).toEqual([
        `${APP}/one-row-a`,
        `${APP}/one-row-b`,
      ]);
      for (const stream of rows.items) {
        expect(stream).toMatchObject({ status: 'live', moderationHits: 1 });
        const detail = await get<Stream>(`/api/streams/${stream.streamId}?app_id=${APP}`);
        expect(detail.timeline!.map((event) => event.type).sort()).toEqual([
          'css.smart_erase',
          'css.stream.push',
          'css.subtitles',
        ]);
      }
    });

    it('keeps a stream no event of which named an app, and answers it at the address without an app', async () => {
      await deliver(server, subtitle('one-row-orphan', 1_700_000_100, 'hello'));
      const rows = await get<Page>('/api/streams?q=one-row-orphan');
      expect(rows.items.map((stream) => stream.appId)).toEqual(['']);
      expect((await get<Stream>('/api/streams/one-row-orphan?app_id=')).streamId).toBe('one-row-orphan');
    });

    it('says broken on the stream page while its timeline lists the break, whatever came later without an app', async () => {
      await deliver(server, streamEvent('push', 'one-row-broken', '1', 1_700_000_000));
      await deliver(server, monitorEvent('css.monitor.stream_broken', 'one-row-broken', 1_700_000_010_000));
      await deliver(server, subtitle('one-row-broken', 1_700_000_300, 'still talking'));
      const stream = await get<Stream>('/api/streams/one-row-broken');
      expect(stream).toMatchObject({
        appId: APP,
        health: 'broken',
        brokenCount: 1,
        lastBrokenAt: 1_700_000_010_000,
      });
      expect(stream.timeline!.map((event) => event.type)).toContain('css.monitor.stream_broken');
    });

    it('rebuilds the same single rows', async () => {
      await server.projector.idle();
      const before = await get<Page>('/api/streams?q=one-row-&limit=500');
      await rebuildProjections(server.store);
      expect(await get<Page>('/api/streams?q=one-row-&limit=500')).toEqual(before);
    });
  });

  describe('health filter and problems first', () => {
    beforeAll(async () => {
      await deliver(server, streamEvent('push', 'wall-ok', '1', 1_700_001_000));
      await deliver(server, streamEvent('push', 'wall-slow', '1', 1_700_001_000));
      await deliver(
        server,
        monitorEvent(
          'css.monitor.low_framerate',
          'wall-slow',
          1_700_001_900_000,
          'stream [ wall-slow ] frame rate is low',
        ),
      );
      await deliver(server, streamEvent('push', 'wall-broke-early', '1', 1_700_001_000));
      await deliver(server, monitorEvent('css.monitor.stream_broken', 'wall-broke-early', 1_700_001_100_000));
      await deliver(server, streamEvent('push', 'wall-broke-late', '1', 1_700_001_000));
      await deliver(server, monitorEvent('css.monitor.stream_broken', 'wall-broke-late', 1_700_001_500_000));
    });

    it('lists the streams in trouble, broken first and the latest break first', async () => {
      const wall = await get<Page>('/api/streams?q=wall-&health=broken,low_framerate&sort=problems');
      expect(wall.items.map((stream) => [stream.streamId, stream.health])).toEqual([
        ['wall-broke-late', 'broken'],
        ['wall-broke-early', 'broken'],
        ['wall-slow', 'low_framerate'],
      ]);
      const all = await get<Page>('/api/streams?q=wall-&sort=problems');
      expect(all.items.map((stream) => stream.streamId)).toEqual([
        'wall-broke-late',
        'wall-broke-early',
        'wall-slow',
        'wall-ok',
      ]);
      const healthy = await get<Page>('/api/streams?q=wall-&health=ok');
      expect(healthy.items.map((stream) => stream.streamId)).toEqual(['wall-ok']);
    });

    it('pages through the problems with its cursor without repeating a stream', async () => {
      const seen: string[] = [];
      let url = '/api/streams?q=wall-&sort=problems&limit=1';
      for (;;) {
        const page = await get<Page>(url);
        seen.push(...page.items.map((stream) => stream.streamId));
        if (page.nextCursor === null) break;
        url = `/api/streams?q=wall-&sort=problems&limit=1&cursor=${encodeURIComponent(page.nextCursor)}`;
      }
      expect(seen).toEqual(['wall-broke-late', 'wall-broke-early', 'wall-slow', 'wall-ok']);
    });

    it('refuses an unknown health and a cursor of another sort', async () => {
      const bad = await get<{ code: string; error: string }>('/api/streams?health=broken,melted', 400);
      expect(bad).toEqual({
        code: 'LH_ERR_INVALID_QUERY',
        error: expect.stringContaining('"melted"') as string,
      });
      const recent = await get<Page>('/api/streams?q=wall-&limit=1');
      const mixed = await get<{ code: string }>(
        `/api/streams?q=wall-&limit=1&sort=problems&cursor=${encodeURIComponent(recent.nextCursor!)}`,
        400,
      );
      expect(mixed.code).toBe('LH_ERR_INVALID_QUERY');
    });
  });

  it('answers the codes of the latest disconnect and the kind of cause they name', async () => {
    await deliver(server, streamEvent('push', 'codes', '1', 1_700_002_000));
    await deliver(
      server,
      craft(
        'css.stream.disconnect',
        { stream_id: 'codes', channel_id: 'codes', sequence: '1', event_time: 1_700_002_100 },
        'variant-auth-failed-18-503',
      ),
    );
    const stream = await get<Stream>('/api/streams/codes');
    expect(stream.disconnectCode).toEqual({
      errcode: 18,
      subErrcode: 503,
      category: 'authentication',
      known: true,
    });
    expect(stream.disconnectReason).toBe('push authentication failed (txSecret check failed)');
  });
});

describeEachDialect('migration 0007_streams_one_row', (databases) => {
  it('folds the rows of events that named no app into their stream’s row and reads the disconnect codes', async () => {
    const store = await openStore(databases.fresh());
    try {
      await store.profile.prepare(store.db);
      const migrator = new Migrator({
        db: store.db,
        provider: { getMigrations: () => Promise.resolve(gatewayMigrations(store.profile)) },
        ...(store.profile.schema === undefined ? {} : { migrationTableSchema: store.profile.schema }),
      });
      expect((await migrator.migrateTo('0006_actions')).error).toBeUndefined();
      const disconnect = craft(
        'css.stream.disconnect',
        { stream_id: 'phantom', channel_id: 'phantom', sequence: '7', event_time: 1_700_000_500 },
        'variant-forbid-21-101',
      );
      const event = parseCallback(disconnect.body, disconnect.headers, { css: { keys: [TEST_KEYS.css] } });
      await store.db.insertInto('events').values(toEventRow(event)).execute();
      const row = (appId: string, columns: Record<string, unknown>) => ({
        app_id: appId,
        stream_id: 'phantom',
        status: 'unknown',
        health: 'ok',
        health_at: null,
        health_event: null,
        last_event_at: 0,
        last_push_at: null,
        last_push_event: null,
        last_push_seq: null,
        last_disconnect_at: null,
        last_disconnect_event: null,
        last_disconnect_seq: null,
        disconnect_reason: null,
        broken_count: 0,
        last_broken_at: null,
        low_framerate_count: 0,
        last_low_framerate_at: null,
        moderation_hits: 0,
        screenshot_url: null,
        screenshot_at: null,
        screenshot_event: null,
        ...columns,
      });
      const db = store.db.withTables<{ streams: Record<string, unknown> }>();
      await db
        .insertInto('streams')
        .values([
          // The app's row: pushed, then stopped by a ForbidLiveStream.
          row(APP, {
            status: 'offline',
            last_event_at: 1_700_000_500_000,
            last_push_at: 1_700_000_000_000,
            last_push_event: '00000000-0000-7000-8000-000000000001',
            last_push_seq: '7',
            last_disconnect_at: 1_700_000_500_000,
            last_disconnect_event: event.id,
            last_disconnect_seq: '7',
            disconnect_reason: 'ForbidLiveStream request by the customer',
            moderation_hits: 1,
          }),
          // The phantom row of its subtitles and smart-erasing hits, active later.
          row('', { last_event_at: 1_700_000_900_000, moderation_hits: 2 }),
          // A stream of which no event named an app stays as it is.
          { ...row('', { last_event_at: 5 }), stream_id: 'only-subtitles' },
        ])
        .execute();

      const { results } = await migrator.migrateTo('0007_streams_one_row');
      expect(results?.map((result) => [result.migrationName, result.status])).toEqual([
        ['0007_streams_one_row', 'Success'],
      ]);
      const rows = await db
        .selectFrom('streams')
        .select([
          'app_id',
          'stream_id',
          'status',
          'last_event_at',
          'moderation_hits',
          'disconnect_errcode',
          'disconnect_sub_errcode',
        ])
        .orderBy('stream_id')
        .execute();
      expect(rows.map((found) => ({ ...found, last_event_at: Number(found.last_event_at) }))).toEqual([
        {
          app_id: '',
          stream_id: 'only-subtitles',
          status: 'unknown',
          last_event_at: 5,
          moderation_hits: 0,
          disconnect_errcode: null,
          disconnect_sub_errcode: null,
        },
        {
          app_id: APP,
          stream_id: 'phantom',
          status: 'offline',
          last_event_at: 1_700_000_900_000,
          moderation_hits: 3,
          disconnect_errcode: 21,
          disconnect_sub_errcode: 101,
        },
      ]);
    } finally {
      await store.close();
    }
  });
});

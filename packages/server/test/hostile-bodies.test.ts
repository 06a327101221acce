import { randomBytes } from 'node:crypto';
import { parseCallback, signCss, signTrtc } from '@livehooks/core';
import { signRequest, TEST_KEYS } from '@livehooks/fixtures';
import { Migrator } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore, type LivehooksServer } from '../src/index.js';
import { gatewayMigrations } from '../src/index.js';
import { toEventRow } from '../src/store/stored-event.js';
import type { StoredEvent } from '../src/store/stored-event.js';
import { describeEachDialect } from './support/databases.js';
import { AUTH, createTestServer } from './support/test-server.js';

const JSON_HEADERS = { 'content-type': 'application/json' };
const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A CSS body signed with the test key, its fields in order, `t` and `sign` last. */
function cssBody(fields: Record<string, unknown>): string {
  const t = nowSeconds() + 600;
  return JSON.stringify({ ...fields, t, sign: signCss(TEST_KEYS.css, t) });
}

/** Text no compression shrinks: an index entry holds it whole. */
function incompressible(length: number): string {
  return randomBytes(length).toString('base64url').slice(0, length);
}

/** Values no type field or timestamp should be, and that `String()` or `Number()` throw on or misread. */
const NOT_NUMBERS: [string, unknown][] = [
  ['an object', { toString: 1 }],
  ['an array', [317]],
  ['null', null],
];

describeEachDialect('hostile bodies', (databases) => {
  let server: LivehooksServer;
  beforeAll(async () => {
    server = await createTestServer(databases);
  });
  afterAll(() => server.close());

  const post = (body: string, headers: Record<string, string> = JSON_HEADERS) =>
    server.app.inject({ method: 'POST', url: '/callbacks', payload: body, headers });

  const eventsOf = async (query: string): Promise<StoredEvent[]> => {
    const response = await server.app.inject({ method: 'GET', url: `/api/events?${query}`, headers: AUTH });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ items: StoredEvent[] }>().items;
  };

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'refuses SdkAppId %s with 401 LH_ERR_UNKNOWN_APP and records the refusal',
    async (sdkAppId) => {
      const body = JSON.stringify({ EventGroupId: 1, EventType: 101, EventInfo: { RoomId: 1 } });
      const response = await post(body, {
        ...JSON_HEADERS,
        sdkappid: sdkAppId,
        sign: signTrtc('any-key', body),
      });
      expect(response.statusCode, response.body).toBe(401);
      expect(response.json()).toMatchObject({ code: 'LH_ERR_UNKNOWN_APP' });
      const [record] = await server.store.listRejections({ limit: 1 });
      expect(record).toMatchObject({ reason: 'LH_ERR_UNKNOWN_APP', status: 401 });
      expect(record!.headers.sdkappid).toBe(sdkAppId);
    },
  );

  it.each(NOT_NUMBERS)(
    'stores a CSS body whose event_type is %s as css.unknown with its issue',
    async (name, value) => {
      const streamId = `odd-event-type-${name.replace(/\W/g, '')}`;
      const response = await post(cssBody({ event_type: value, stream_id: streamId, pic_url: '/p.jpg' }));
      expect(response.statusCode, response.body).toBe(200);
      const [event] = await eventsOf(`stream_id=${streamId}`);
      expect(event).toMatchObject({ type: 'css.unknown', issues: [{ path: 'event_type' }] });
    },
  );

  it.each(NOT_NUMBERS)(
    'stores TRTC bodies whose EventGroupId, EventType or EventMsTs is %s as trtc.unknown',
    async (name, value) => {
      const roomId = `odd-trtc-${name.replace(/\W/g, '')}`;
      const info = { RoomId: roomId, TaskId: 't', EventMsTs: 1_726_125_338_000, Payload: { Status: 0 } };
      const bodies = [
        { EventGroupId: value, EventType: 1101, EventInfo: info },
        { EventGroupId: 11, EventType: value, EventInfo: info },
        { EventGroupId: 11, EventType: 1101, EventInfo: { ...info, EventMsTs: value } },
      ];
      for (const body of bodies) {
        const request = signRequest('trtc', JSON.stringify(body));
        const response = await post(request.body, request.headers);
        expect(response.statusCode, response.body).toBe(200);
      }
      const events = await eventsOf(`room_id=${roomId}`);
      expect(events.map((event) => event.type)).toEqual(['trtc.unknown', 'trtc.unknown', 'trtc.unknown']);
      expect(events.map((event) => event.issues?.[0]?.path)).toEqual([
        'EventInfo.EventMsTs',
        'EventType',
        'EventGroupId',
      ]);
      expect(events[0]!.classifiedAs).toBe('trtc.moderation.start');
    },
  );

  it('stores callbacks carrying 100 000 character strings and numbers beyond any timestamp', async () => {
    const long = incompressible(100_000);
    const css = cssBody({ event_type: 200, stream_id: long, pic_url: `/${long}`, create_time: 1e300 });
    const word = cssBody({ event_type: long, stream_id: 'long-word-type', pic_url: '/p.jpg' });
    const trtc = signRequest(
      'trtc',
      JSON.stringify({
        EventGroupId: 11,
        EventType: 1101,
        EventInfo: { RoomId: long, TaskId: long, EventMsTs: 1e300, Payload: { Status: 0 } },
      }),
    );
    for (const [body, headers] of [
      [css, JSON_HEADERS],
      [word, JSON_HEADERS],
      [trtc.body, trtc.headers],
    ] as const) {
      const response = await post(body, headers);
      expect(response.statusCode, response.body).toBe(200);
    }
    // The stream id is too long to be one: the subject leaves it out (the payload keeps it).
    const screenshot = (await eventsOf('type=css.screenshot')).find((event) => !event.subject.streamId);
    expect(screenshot!.summary.length).toBeLessThanOrEqual(500);
    expect(screenshot!.dedupeKey.length).toBeLessThan(100);
    const [unknown] = await eventsOf('stream_id=long-word-type');
    expect(unknown!.type).toBe('css.unknown');
    expect(unknown!.source.length).toBeLessThan(100);
    const [moderation] = await eventsOf('type=trtc.moderation.start');
    expect(moderation!.subject.roomId).toBeUndefined();
    expect(Number.isSafeInteger(moderation!.occurredAt)).toBe(true);
  });

  it('stores two bodies that differ only in a __proto__ key as two events', async () => {
    const plain = cssBody({ event_type: 9999, stream_id: 'proto-key', a: 1 });
    const polluted = plain.replace('{', '{"__proto__":{"a":2},');
    for (const body of [plain, polluted]) expect((await post(body)).statusCode).toBe(200);
    const events = await eventsOf('stream_id=proto-key');
    expect(events).toHaveLength(2);
    expect(events[0]!.dedupeKey).not.toBe(events[1]!.dedupeKey);
  });

  it('finds a callback that failed its schema by the type it was classified as, and as unknown', async () => {
    const body = cssBody({ event_type: 200, stream_id: 'classified-stream', pic_url: 42 });
    expect((await post(body)).statusCode).toBe(200);
    const [asScreenshot] = await eventsOf('type=css.screenshot&stream_id=classified-stream');
    expect(asScreenshot).toMatchObject({ type: 'css.unknown', classifiedAs: 'css.screenshot' });
    expect(asScreenshot!.issues).toEqual([expect.objectContaining({ path: 'pic_url' })]);
    const [asUnknown] = await eventsOf('type=css.unknown&stream_id=classified-stream');
    expect(asUnknown!.id).toBe(asScreenshot!.id);
    const [byPattern] = await eventsOf('type=css.*&stream_id=classified-stream');
    expect(byPattern!.id).toBe(asScreenshot!.id);
    expect(await eventsOf('type=css.relay&stream_id=classified-stream')).toEqual([]);
    const detail = await server.app.inject({
      method: 'GET',
      url: `/api/events/${asScreenshot!.id}`,
      headers: AUTH,
    });
    expect(detail.json()).toMatchObject({ classifiedAs: 'css.screenshot' });
    const missed = await server.store.listEventsAfter(
      '00000000-0000-7000-8000-000000000000',
      { types: ['css.screenshot'] },
      100,
    );
    expect(missed.some((event) => event.id === asScreenshot!.id)).toBe(true);
  });

  it('pages through a type filter that matches typed and classified events in id order', async () => {
    const bodies = [
      cssBody({ event_type: 200, stream_id: 'paged', pic_url: '/1.jpg' }),
      cssBody({ event_type: 200, stream_id: 'paged', pic_url: 1 }),
      cssBody({ event_type: 200, stream_id: 'paged', pic_url: '/3.jpg' }),
      cssBody({ event_type: 200, stream_id: 'paged', pic_url: 2 }),
    ];
    for (const body of bodies) expect((await post(body)).statusCode).toBe(200);
    const all = await eventsOf('type=css.screenshot&stream_id=paged');
    expect(all.map((event) => event.type)).toEqual([
      'css.unknown',
      'css.screenshot',
      'css.unknown',
      'css.screenshot',
    ]);
    const first = await server.store.listEvents({ types: ['css.screenshot'], streamId: 'paged', limit: 3 });
    expect(first.hasMore).toBe(true);
    expect(first.items.map((event) => event.id)).toEqual(all.slice(0, 3).map((event) => event.id));
    const rest = await server.store.listEvents({
      types: ['css.screenshot'],
      streamId: 'paged',
      limit: 3,
      before: first.items.at(-1)!.id,
    });
    expect(rest).toEqual({ items: [all[3]], hasMore: false });
  });

  it('classifies the *.unknown events stored before migration 0005_classified_type', async () => {
    const store = await openStore(databases.fresh());
    try {
      await store.profile.prepare(store.db);
      const migrator = new Migrator({
        db: store.db,
        provider: { getMigrations: () => Promise.resolve(gatewayMigrations(store.profile)) },
        ...(store.profile.schema === undefined ? {} : { migrationTableSchema: store.profile.schema }),
      });
      expect((await migrator.migrateTo('0004_projection_failures')).error).toBeUndefined();
      const parse = (fields: Record<string, unknown>) =>
        parseCallback(cssBody(fields), {}, { css: { keys: [TEST_KEYS.css] } });
      const failed = parse({ event_type: 200, stream_id: 'before-0005', pic_url: 42 });
      const unknown = parse({ event_type: 9999, stream_id: 'before-0005' });
      expect(failed.classifiedAs).toBe('css.screenshot');
      for (const event of [failed, unknown]) {
        const { classified_as: _, ...row } = toEventRow(event);
        await store.db.insertInto('events').values(row).execute();
      }
      const { applied } = await store.migrate();
      expect(applied[0]).toBe('0005_classified_type');
      expect(applied).toEqual(Object.keys(gatewayMigrations(store.profile)).filter((name) => name >= '0005'));
      const { items } = await store.listEvents({ types: ['css.screenshot'], limit: 10 });
      expect(items.map((event) => [event.id, event.classifiedAs])).toEqual([[failed.id, 'css.screenshot']]);
      const { items: all } = await store.listEvents({ streamId: 'before-0005', limit: 10 });
      expect(all.find((event) => event.id === unknown.id)?.classifiedAs).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});

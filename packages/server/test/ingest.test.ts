import { signCss } from '@livehooks/core';
import { signRequest, TEST_KEYS } from '@livehooks/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LivehooksServer } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { createTestServer, TEST_INGEST_SECRET } from './support/test-server.js';
import { createCallbackFactory } from './support/unique-callbacks.js';

const factory = createCallbackFactory();
const nowSeconds = () => Math.floor(Date.now() / 1000);

function cssBody(
  fields: Record<string, unknown>,
  options: { key?: string; ttlSeconds?: number } = {},
): string {
  const t = nowSeconds() + (options.ttlSeconds ?? 600);
  return JSON.stringify({ ...fields, t, sign: signCss(options.key ?? TEST_KEYS.css, t) });
}

const JSON_HEADERS = { 'content-type': 'application/json' };

describeEachDialect('ingest', (databases) => {
  let server: LivehooksServer;
  beforeAll(async () => {
    server = await createTestServer(databases);
  });
  afterAll(() => server.close());

  const post = (url: string, body: string | Buffer, headers: Record<string, string> = JSON_HEADERS) =>
    server.app.inject({ method: 'POST', url, payload: body, headers });
  const urlFor = (unsigned: boolean) => (unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks');

  it('stores a unique callback of every fixture type and answers {"code":0}', async () => {
    const count = factory.types.length * 2;
    const sent = Array.from({ length: count }, (_, seq) => factory.make(seq + 1_000));
    for (const callback of sent) {
      const response = await post(urlFor(callback.unsigned), callback.body, callback.headers);
      expect(response.statusCode, `${callback.type}: ${response.body}`).toBe(200);
      expect(response.body).toBe('{"code":0}');
      expect(response.headers['content-type']).toMatch(/^application\/json/);
    }
    const { items } = await server.store.listEvents({ limit: 500 });
    expect(items).toHaveLength(count);
    const storedTypes = items.map((event) => event.type).sort();
    expect(storedTypes).toEqual(sent.map((callback) => callback.type).sort());
    expect(items.every((event) => event.issues === undefined)).toBe(true);
  });

  it('answers a duplicate 200, stores it once and counts the duplicate', async () => {
    const callback = factory.make(2_000);
    const first = await post(urlFor(callback.unsigned), callback.body, callback.headers);
    const again = await post(urlFor(callback.unsigned), callback.body, callback.headers);
    expect([first.statusCode, again.statusCode]).toEqual([200, 200]);
    expect(again.body).toBe('{"code":0}');
    const { items } = await server.store.listEvents({ types: [callback.type], limit: 500 });
    const matching = items.filter((event) => event.dedupeKey === items[0]?.dedupeKey);
    expect(matching).toHaveLength(1);
    expect(matching[0]!.duplicates).toBe(1);
    const metrics = await server.metrics.registry.getSingleMetricAsString('livehooks_events_duplicate_total');
    expect(metrics).toContain(`type="${callback.type}"} 1`);
  });

  it('treats a CSS retry with a fresh t/sign as a duplicate of the first delivery', async () => {
    const fields = {
      event_type: 200,
      stream_id: 'retry-stream',
      pic_url: '/retry.jpg',
      create_time: nowSeconds(),
    };
    const first = await post('/callbacks', cssBody(fields));
    const retry = await post('/callbacks', cssBody(fields, { ttlSeconds: 660 }));
    expect([first.statusCode, retry.statusCode]).toEqual([200, 200]);
    const { items } = await server.store.listEvents({ streamId: 'retry-stream', limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]!.duplicates).toBe(1);
  });

  it('stores a correctly signed CSS callback whose t expired, flagged stale', async () => {
    const body = cssBody(
      { event_type: 200, stream_id: 'stale-stream', pic_url: '/stale.jpg' },
      { ttlSeconds: -60 },
    );
    const response = await post('/callbacks', body);
    expect(response.statusCode).toBe(200);
    const { items } = await server.store.listEvents({ streamId: 'stale-stream', limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]!.auth).toMatchObject({ method: 'css-md5', stale: true });
  });

  it('stores an unknown CSS event type as css.unknown', async () => {
    const response = await post('/callbacks', cssBody({ event_type: 999_001, stream_id: 'future-stream' }));
    expect(response.statusCode).toBe(200);
    const { items } = await server.store.listEvents({ streamId: 'future-stream', limit: 10 });
    expect(items.map((event) => [event.type, event.source])).toEqual([['css.unknown', 'css:999001']]);
  });

  it('stores a known event failing its schema as css.unknown with its validation issues', async () => {
    const response = await post('/callbacks', cssBody({ event_type: 200, stream_id: 'no-pic-stream' }));
    expect(response.statusCode).toBe(200);
    const { items } = await server.store.listEvents({ streamId: 'no-pic-stream', limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]!.type).toBe('css.unknown');
    expect(items[0]!.issues?.some((issue) => issue.path === 'pic_url')).toBe(true);
  });

  it('refuses an unsigned CSS monitoring callback on the plain URL and stores it from the secret URL', async () => {
    const body = JSON.stringify({
      event_type: 328,
      event_name: 'StreamBroken',
      interface: 'general_callback',
      stream_id: 'unsigned-328',
      event_time: Date.now(),
      event_msg: 'stream [ unsigned-328 ] is broken',
      appid: 251000000,
    });
    const plain = await post('/callbacks', body);
    expect(plain.statusCode).toBe(401);
    expect(plain.json()).toMatchObject({ code: 'LH_ERR_SIGNATURE_MISSING' });
    const viaSecret = await post(`/callbacks/${TEST_INGEST_SECRET}/css`, body);
    expect(viaSecret.statusCode).toBe(200);
    const { items } = await server.store.listEvents({ streamId: 'unsigned-328', limit: 10 });
    expect(items).toHaveLength(1);
    expect(items[0]!.type).toBe('css.monitor.stream_broken');
    expect(items[0]!.auth).toEqual({ method: 'unsigned', keyId: 'ingest-secret', stale: false });
  });

  it('verifies signed CSS callbacks on the secret URL too', async () => {
    const body = cssBody({ event_type: 200, stream_id: 'forged', pic_url: '/x.jpg' }, { key: 'not-the-key' });
    const response = await post(`/callbacks/${TEST_INGEST_SECRET}`, body);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'LH_ERR_SIGNATURE_MISMATCH' });
  });

  it('treats a body as the family of its route: a TRTC body on /callbacks/css is an unsigned CSS callback', async () => {
    const trtc = factory.make(3_001);
    const callback = trtc.family === 'trtc' ? trtc : factory.make(3_002);
    const response = await post('/callbacks/css', callback.body, callback.headers);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ code: 'LH_ERR_SIGNATURE_MISSING' });
  });

  it('refuses a wrong ingest secret with 404 and records it with the secret redacted', async () => {
    const wrong = `${TEST_INGEST_SECRET.slice(0, -1)}X`;
    const response = await post(`/callbacks/${wrong}/css`, cssBody({ event_type: 200, pic_url: '/y.jpg' }), {
      ...JSON_HEADERS,
      referer: `https://example.test/callbacks/${TEST_INGEST_SECRET}`,
      authorization: 'Bearer should-not-be-kept',
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'LH_ERR_NOT_FOUND' });
    expect(response.body).not.toContain(wrong);
    const [record] = await server.store.listRejections({ limit: 1 });
    expect(record).toMatchObject({
      reason: 'LH_ERR_NOT_FOUND',
      status: 404,
      path: '/callbacks/***/css',
      method: 'POST',
    });
    expect(JSON.stringify(record)).not.toContain(wrong);
    expect(JSON.stringify(record)).not.toContain(TEST_INGEST_SECRET);
    expect(record!.headers.authorization).toBeUndefined();
    expect(record!.headers.referer).toBe('https://example.test/callbacks/***');
  });

  it('keeps the raw bytes and the relevant headers of a stored callback', async () => {
    const callback = factory.types.includes('trtc.moderation.result')
      ? signRequest(
          'trtc',
          '{\n\t"EventGroupId":\t11,\n\t"EventType":\t1104,\n\t"CallbackTs":\t1700000000000,\n\t"EventInfo":\t{\n\t\t"RoomId":\t"raw-room",\n\t\t"TaskId":\t"raw-task",\n\t\t"UserId":\t"u1",\n\t\t"EventMsTs":\t1700000000000,\n\t\t"Payload":\t{\n\t\t\t"DataId":\t"d-1",\n\t\t\t"Suggest":\t2,\n\t\t\t"Label":\t"Porn",\n\t\t\t"MediaType":\t2\n\t\t}\n\t}\n}',
        )
      : signRequest('trtc', factory.make(4_000).body);
    const response = await post('/callbacks/trtc', callback.body, {
      ...callback.headers,
      'user-agent': 'tencent-test',
    });
    expect(response.statusCode).toBe(200);
    const { items } = await server.store.listEvents({ limit: 1 });
    const detail = await server.store.getEvent(items[0]!.id);
    expect(Buffer.from(detail!.raw).toString('utf8')).toBe(callback.body);
    expect(detail!.headers).toMatchObject({
      sign: callback.headers.sign,
      sdkappid: TEST_KEYS.trtc.sdkAppId,
      'user-agent': 'tencent-test',
    });
    expect(detail!.auth).toEqual({
      method: 'trtc-hmac',
      keyId: `trtc:${TEST_KEYS.trtc.sdkAppId}`,
      stale: false,
    });
  });

  it('stores a genuine callback carrying NUL characters, lone surrogates and huge numbers', async () => {
    const body = cssBody({
      event_type: 200,
      stream_id: 'hostile\u0000stream',
      pic_url: '/\ud800.jpg',
      '\u0000key': 'value\udc00',
      width: 1e308,
      huge: 'HUGE',
      create_time: 1e300,
    }).replace('"HUGE"', '123456789012345678901234567890');
    const response = await post('/callbacks', body);
    expect(response.statusCode).toBe(200);
    const { items } = await server.store.listEvents({ streamId: 'hostile\ufffdstream', limit: 1 });
    expect(items).toHaveLength(1);
    const detail = await server.store.getEvent(items[0]!.id);
    expect(Buffer.from(detail!.raw).toString('utf8')).toBe(body);
    expect(detail!.payload['\ufffdkey']).toBe('value\ufffd');
    expect(detail!.occurredAt).toBe(detail!.receivedAt);
  });
});

describeEachDialect('ingest with css.allowUnsigned', (databases) => {
  let server: LivehooksServer;
  beforeAll(async () => {
    server = await createTestServer(databases, { css: { allowUnsigned: true } });
  });
  afterAll(() => server.close());

  it('accepts unsigned CSS callbacks on the plain URL', async () => {
    const body = JSON.stringify({ event_type: 321, stream_id: 'open-321', sequence: '1', data_time: 1 });
    const response = await server.app.inject({
      method: 'POST',
      url: '/callbacks',
      payload: body,
      headers: JSON_HEADERS,
    });
    expect(response.statusCode).toBe(200);
    const { items } = await server.store.listEvents({ streamId: 'open-321', limit: 1 });
    expect(items[0]?.auth).toEqual({ method: 'unsigned', stale: false });
  });
});

describe('unique callback factory', () => {
  it('covers most fixture samples', () => {
    expect(factory.types.length).toBeGreaterThan(factory.excluded.length);
  });
});

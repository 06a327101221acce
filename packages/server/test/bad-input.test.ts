import { signCss, signTrtc } from '@livehooks/core';
import { loadInvalidSamples, signRequest, TEST_KEYS } from '@livehooks/fixtures';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LivehooksServer } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { createTestServer, TEST_INGEST_SECRET } from './support/test-server.js';

const JSON_TYPE = { 'content-type': 'application/json' };
const t = Math.floor(Date.now() / 1000) + 600;
const goodCss = JSON.stringify({
  event_type: 200,
  stream_id: 'bad-input',
  pic_url: '/bad.jpg',
  t,
  sign: signCss(TEST_KEYS.css, t),
});
const trtcBody =
  '{\n\t"EventGroupId":\t1,\n\t"EventType":\t103,\n\t"CallbackTs":\t1700000000000,\n\t"EventInfo":\t{\n\t\t"RoomId":\t"bad-room",\n\t\t"EventTs":\t1700000000,\n\t\t"EventMsTs":\t1700000000000,\n\t\t"UserId":\t"u-1",\n\t\t"Role":\t20\n\t}\n}';
const trtcHeaders = (
  body: string | Buffer,
  key: string = TEST_KEYS.trtc.key,
  sdkAppId: string = TEST_KEYS.trtc.sdkAppId,
) => ({
  ...JSON_TYPE,
  sdkappid: sdkAppId,
  sign: signTrtc(key, body),
});

interface Case {
  name: string;
  url?: string;
  body: string | Buffer;
  headers?: Record<string, string>;
  status: number;
  code: string;
}

const cases: Case[] = [
  {
    name: 'malformed JSON',
    body: '{"event_type": 200, "stream_id": ',
    status: 400,
    code: 'LH_ERR_INVALID_JSON',
  },
  {
    name: 'a signed CSS body truncated in the middle',
    body: goodCss.slice(0, Math.floor(goodCss.length / 2)),
    status: 400,
    code: 'LH_ERR_INVALID_JSON',
  },
  {
    name: 'a TRTC body truncated after signing',
    url: '/callbacks/trtc',
    body: trtcBody.slice(0, 60),
    headers: trtcHeaders(trtcBody),
    status: 401,
    code: 'LH_ERR_SIGNATURE_MISMATCH',
  },
  {
    name: 'a TRTC body with one byte changed after signing',
    body: trtcBody.replace('u-1', 'u-2'),
    headers: trtcHeaders(trtcBody),
    status: 401,
    code: 'LH_ERR_SIGNATURE_MISMATCH',
  },
  {
    name: 'a TRTC body signed with another key',
    body: trtcBody,
    headers: trtcHeaders(trtcBody, 'someOtherKey'),
    status: 401,
    code: 'LH_ERR_SIGNATURE_MISMATCH',
  },
  {
    name: 'a TRTC body for an unconfigured SdkAppId',
    body: trtcBody,
    headers: trtcHeaders(trtcBody, TEST_KEYS.trtc.key, '1400999999'),
    status: 401,
    code: 'LH_ERR_UNKNOWN_APP',
  },
  {
    name: 'a TRTC body without Sign on /callbacks/trtc',
    url: '/callbacks/trtc',
    body: trtcBody,
    headers: { ...JSON_TYPE, sdkappid: TEST_KEYS.trtc.sdkAppId },
    status: 401,
    code: 'LH_ERR_SIGNATURE_MISSING',
  },
  {
    name: 'a CSS body signed with another key',
    body: JSON.stringify({ event_type: 200, pic_url: '/x.jpg', t, sign: signCss('anotherKey', t) }),
    status: 401,
    code: 'LH_ERR_SIGNATURE_MISMATCH',
  },
  {
    name: 'a CSS body with a sign that is not hex',
    body: JSON.stringify({ event_type: 200, pic_url: '/x.jpg', t, sign: 'zz'.repeat(16) }),
    status: 401,
    code: 'LH_ERR_SIGNATURE_MISMATCH',
  },
  {
    name: 'a signed-type CSS body without t/sign on the plain URL',
    body: JSON.stringify({ event_type: 0, stream_id: 'nosign', sequence: '1' }),
    status: 401,
    code: 'LH_ERR_SIGNATURE_MISSING',
  },
  {
    name: 'huge numbers in t and event_type',
    body: '{"event_type":1e99999,"t":1e999,"sign":"00000000000000000000000000000000","x":123456789012345678901234567890}',
    status: 401,
    code: 'LH_ERR_SIGNATURE_MISMATCH',
  },
  {
    name: 'a body over 1 MiB',
    body: Buffer.alloc(1024 * 1024 + 1, 0x20),
    status: 413,
    code: 'LH_ERR_BODY_TOO_LARGE',
  },
  {
    name: 'deeply nested arrays (100 000 levels)',
    url: `/callbacks/${TEST_INGEST_SECRET}`,
    body: `{"event_type":200,"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`,
    status: 400,
    code: 'LH_ERR_INVALID_JSON',
  },
  {
    name: 'nesting one level past the limit',
    url: `/callbacks/${TEST_INGEST_SECRET}`,
    body: `{"event_type":200,"x":${'{"a":'.repeat(64)}1${'}'.repeat(64)}}`,
    status: 400,
    code: 'LH_ERR_INVALID_JSON',
  },
  {
    name: 'invalid UTF-8',
    url: `/callbacks/${TEST_INGEST_SECRET}`,
    body: Buffer.concat([
      Buffer.from('{"event_type":200,"stream_id":"'),
      Buffer.from([0xff, 0xfe, 0xc3]),
      Buffer.from('"}'),
    ]),
    status: 400,
    code: 'LH_ERR_INVALID_JSON',
  },
  {
    name: 'an HTML content type',
    body: goodCss,
    headers: { 'content-type': 'text/html' },
    status: 400,
    code: 'LH_ERR_UNSUPPORTED_CONTENT',
  },
  {
    name: 'a form-encoded body',
    body: 'event_type=200&stream_id=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    status: 400,
    code: 'LH_ERR_UNSUPPORTED_CONTENT',
  },
  {
    name: 'a multipart body',
    body: '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--b--\r\n',
    headers: { 'content-type': 'multipart/form-data; boundary=b' },
    status: 400,
    code: 'LH_ERR_UNSUPPORTED_CONTENT',
  },
  { name: 'a JSON array', body: '[{"event_type":200}]', status: 400, code: 'LH_ERR_UNSUPPORTED_CONTENT' },
  { name: 'JSON null', body: 'null', status: 400, code: 'LH_ERR_UNSUPPORTED_CONTENT' },
  { name: 'an empty body', body: '', status: 400, code: 'LH_ERR_INVALID_JSON' },
  {
    name: 'JSON that is neither CSS nor TRTC',
    url: `/callbacks/${TEST_INGEST_SECRET}`,
    body: '{"hello":"world"}',
    status: 400,
    code: 'LH_ERR_UNKNOWN_CALLBACK',
  },
  {
    name: 'a prototype-pollution attempt',
    body: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"event_type":0}',
    status: 401,
    code: 'LH_ERR_SIGNATURE_MISSING',
  },
  ...loadInvalidSamples().map((sample): Case => ({
    name: `fixture ${sample.name} (${sample.note.slice(0, 60)})`,
    url: sample.family === 'css' ? `/callbacks/${TEST_INGEST_SECRET}/css` : '/callbacks/trtc',
    body: sample.body,
    headers: sample.family === 'trtc' ? signRequest('trtc', sample.body).headers : JSON_TYPE,
    status: 400,
    code: sample.code,
  })),
];

/**
 * Bytes of the reply as sent: status line, headers and body (Tencent reads at most 2000,
 * https://cloud.tencent.com/document/practice/647/51586).
 */
function replySize(response: LightMyRequestResponse): number {
  const head = Object.entries(response.headers)
    .map(([name, value]) => `${name}: ${String(value)}\r\n`)
    .join('');
  return (
    `HTTP/1.1 ${response.statusCode} ${response.statusMessage}\r\n${head}\r\n`.length +
    response.rawPayload.length
  );
}

describeEachDialect('bad input', (databases) => {
  let server: LivehooksServer;
  beforeAll(async () => {
    server = await createTestServer(databases);
  });
  afterAll(() => server.close());

  it.each(cases.map((c) => [c.name, c] as const))('answers %s with its status and code', async (_name, c) => {
    const response = await server.app.inject({
      method: 'POST',
      url: c.url ?? '/callbacks',
      payload: c.body,
      headers: c.headers ?? JSON_TYPE,
    });
    expect(response.statusCode, response.body).toBe(c.status);
    const answer = response.json<{ code: string; error: string }>();
    expect(answer.code).toBe(c.code);
    expect(typeof answer.error).toBe('string');
    expect(replySize(response)).toBeLessThan(2000);
    expect(response.body).not.toContain(TEST_KEYS.css);
    expect(response.body).not.toContain(TEST_KEYS.trtc.key);
  });

  it('stores no event, and one rejection record per refused request with its reason', async () => {
    const stats = await server.store.stats();
    expect(stats.events.total).toBe(0);
    const expected: Record<string, number> = {};
    for (const c of cases) expected[c.code] = (expected[c.code] ?? 0) + 1;
    expect(stats.rejections.byReason).toEqual(expected);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('keeps the first 4 KiB of a refused body and its size', async () => {
    const body = `{"event_type":0,"pad":"${'x'.repeat(10_000)}"}`;
    await server.app.inject({ method: 'POST', url: '/callbacks', payload: body, headers: JSON_TYPE });
    const [record] = await server.store.listRejections({ limit: 1 });
    expect(record!.bodySize).toBe(body.length);
    expect(Buffer.from(record!.bodyHead).toString('utf8')).toBe(body.slice(0, 4096));
    expect(record!.reason).toBe('LH_ERR_SIGNATURE_MISSING');
  });
});

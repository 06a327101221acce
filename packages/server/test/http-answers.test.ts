import { mkdtempSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signCss } from '@livehooks/core';
import { TEST_KEYS } from '@livehooks/fixtures';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { AUTH, TEST_INGEST_SECRET, testConfig } from './support/test-server.js';

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Sends `request` as bytes on a fresh connection and parses the one answer. */
function raw(port: number, request: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(request));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\r\n\r\n');
      if (end === -1) return;
      const [statusLine = '', ...lines] = data.slice(0, end).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      const length = Number(headers['content-length'] ?? 0);
      if (data.length - end - 4 < length && !request.startsWith('HEAD')) return;
      socket.destroy();
      resolve({
        status: Number(statusLine.split(' ')[1]),
        headers,
        body: data.slice(end + 4, end + 4 + length),
      });
    });
    socket.on('error', reject);
  });
}

const request = (method: string, path: string, headers = 'Host: 127.0.0.1\r\n', body = '') =>
  `${method} ${path} HTTP/1.1\r\n${headers}Content-Length: ${body.length}\r\n\r\n${body}`;

function signedCss(streamId: string): string {
  const t = Math.floor(Date.now() / 1000) + 600;
  return JSON.stringify({
    event_type: 200,
    stream_id: streamId,
    pic_url: '/n.jpg',
    t,
    sign: signCss(TEST_KEYS.css, t),
  });
}

function expectRefusal(answer: RawAnswer, status: number, code: string): void {
  expect(answer.status, answer.body).toBe(status);
  expect(answer.headers['content-type']).toMatch(/^application\/json/);
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  const json = JSON.parse(answer.body) as Record<string, unknown>;
  expect(Object.keys(json).sort()).toEqual(['code', 'error']);
  expect(json.code).toBe(code);
  expect(typeof json.error).toBe('string');
}

describeEachDialect('HTTP answers', (databases) => {
  let running: RunningServer;
  let port: number;

  beforeAll(async () => {
    const dashboardDir = mkdtempSync(join(tmpdir(), 'livehooks-dashboard-'));
    writeFileSync(join(dashboardDir, 'index.html'), '<!doctype html><title>dashboard</title>');
    const config = testConfig(databases, { host: '127.0.0.1', port: 0, dashboardDir });
    running = await startServer(config, { handleSignals: false });
    port = Number(new URL(running.url).port);
  });
  afterAll(() => running?.close());

  it.each([
    ['a URL that is not valid percent-encoding', request('GET', '/%'), 400, 'LH_ERR_BAD_REQUEST'],
    ['a callback URL with a bad escape', request('POST', '/callbacks/%zz'), 400, 'LH_ERR_BAD_REQUEST'],
    ['invalid UTF-8 in the URL', request('GET', '/%E4%B8'), 400, 'LH_ERR_BAD_REQUEST'],
    ['a malformed request line', 'GARBAGE\r\n\r\n', 400, 'LH_ERR_BAD_REQUEST'],
    [
      'a malformed Content-Length',
      'POST /callbacks HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n',
      400,
      'LH_ERR_BAD_REQUEST',
    ],
    ['no Host header', 'GET /healthz HTTP/1.1\r\n\r\n', 400, 'LH_ERR_BAD_REQUEST'],
    [
      'headers over 16 KiB',
      request('GET', '/healthz', `Host: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n`),
      431,
      'LH_ERR_HEADERS_TOO_LARGE',
    ],
    [
      'a Content-Type that is not a media type',
      request('POST', '/callbacks', 'Host: x\r\nContent-Type: ;;;\r\n', '{}'),
      400,
      'LH_ERR_UNSUPPORTED_CONTENT',
    ],
    [
      'a body over the limit',
      'POST /callbacks HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{}',
      413,
      'LH_ERR_BODY_TOO_LARGE',
    ],
    [
      'a path segment too long to route',
      request('POST', `/callbacks/${'a'.repeat(300)}`),
      414,
      'LH_ERR_BAD_REQUEST',
    ],
  ])('answers %s with { code, error }', async (_name, text, status, code) => {
    expectRefusal(await raw(port, text), status, code);
  });

  const callbackUrls = [
    '/callbacks',
    '/callbacks/css',
    '/callbacks/trtc',
    `/callbacks/${TEST_INGEST_SECRET}`,
    `/callbacks/${TEST_INGEST_SECRET}/css`,
    `/callbacks/${TEST_INGEST_SECRET}/trtc`,
  ];
  it.each(callbackUrls.flatMap((url) => ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'].map((m) => [m, url])))(
    'answers %s %s with 405 and Allow: POST',
    async (method, url) => {
      const answer = await raw(port, request(method, url));
      expectRefusal(answer, 405, 'LH_ERR_METHOD_NOT_ALLOWED');
      expect(answer.headers.allow).toBe('POST');
      expect((JSON.parse(answer.body) as { error: string }).error).toBe(
        `method "${method}" is not allowed; Tencent sends callbacks as POST`,
      );
      expect(answer.body).not.toContain(TEST_INGEST_SECRET);
    },
  );

  it('answers HEAD on a callback URL with 405, and another method on a wrong secret with 404', async () => {
    const head = await raw(port, request('HEAD', '/callbacks/css'));
    expect([head.status, head.headers.allow]).toEqual([405, 'POST']);
    expectRefusal(
      await raw(port, request('PUT', `/callbacks/${TEST_INGEST_SECRET}x`)),
      404,
      'LH_ERR_NOT_FOUND',
    );
    expectRefusal(
      await raw(port, request('GET', `/callbacks/${TEST_INGEST_SECRET}/x`)),
      404,
      'LH_ERR_NOT_FOUND',
    );
  });

  it('sends the dashboard with a strict Content-Security-Policy and framing, sniffing and referrer protection', async () => {
    for (const path of ['/', '/streams/some-stream']) {
      const answer = await raw(port, request('GET', path));
      expect(answer.status).toBe(200);
      const csp = answer.headers['content-security-policy'] ?? '';
      for (const directive of [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
      ]) {
        expect(csp.split(/;\s*/)).toContain(directive);
      }
      expect(csp).not.toContain('unsafe-inline');
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('marks API, health and callback answers nosniff', async () => {
    const api = await raw(
      port,
      request('GET', '/api/events', `Host: x\r\nAuthorization: ${AUTH.authorization}\r\n`),
    );
    expect(api.status).toBe(200);
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    const health = await raw(port, request('GET', '/healthz'));
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    const body = signedCss('nosniff');
    const callback = await raw(
      port,
      request('POST', '/callbacks', 'Host: x\r\nContent-Type: application/json\r\n', body),
    );
    expect([callback.status, callback.body]).toEqual([200, '{"code":0}']);
    expect(callback.headers['x-content-type-options']).toBe('nosniff');
  });

  it('routes an ingest secret of the longest allowed length (128 characters)', async () => {
    const secret = 'S'.repeat(128);
    const config = testConfig(databases, { host: '127.0.0.1', port: 0, ingestSecret: secret });
    const gateway = await startServer(config, { handleSignals: false });
    try {
      const answer = await fetch(`${gateway.url}/callbacks/${secret}/css`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: signedCss('long-secret'),
      });
      expect(answer.status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});

import { Writable } from 'node:stream';
import { signCss } from '@livehooks/core';
import { TEST_KEYS } from '@livehooks/fixtures';
import { pino } from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createServer, startServer, type LivehooksServer } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { TEST_API_TOKEN, TEST_INGEST_SECRET, testConfig } from './support/test-server.js';

/** A pino logger whose JSON lines are kept for assertions. */
function capturedLogger(level: string) {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { logger: pino({ level }, stream), lines };
}

describeEachDialect('gateway server', (databases) => {
  let server: LivehooksServer;
  const captured = capturedLogger('info');

  beforeAll(async () => {
    server = await createServer({ config: testConfig(databases), logger: captured.logger });
  });
  afterAll(() => server.close());

  it('answers /healthz and /readyz without a token', async () => {
    const health = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ status: 'ok' });
    const ready = await server.app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', store: databases.dialect });
  });

  it('logs one line per request with type, outcome and latency, no secret and no body', async () => {
    captured.lines.length = 0;
    const t = Math.floor(Date.now() / 1000) + 600;
    const body = JSON.stringify({
      event_type: 200,
      stream_id: 'log-stream-body-marker',
      pic_url: '/log.jpg',
      t,
      sign: signCss(TEST_KEYS.css, t),
    });
    await server.app.inject({
      method: 'POST',
      url: `/callbacks/${TEST_INGEST_SECRET}/css`,
      payload: body,
      headers: { 'content-type': 'application/json' },
    });
    await server.app.inject({ method: 'POST', url: '/callbacks', payload: '{"event_type":0}', headers: {} });
    await server.app.inject({
      method: 'GET',
      url: '/api/events',
      headers: { authorization: `Bearer ${TEST_API_TOKEN}` },
    });
    const requests = captured.lines.filter((line) => line.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({
      level: 30,
      method: 'POST',
      path: '/callbacks/***/css',
      status: 200,
      outcome: 'stored',
      type: 'css.screenshot',
    });
    expect(typeof requests[0]!.ms).toBe('number');
    expect(requests[1]).toMatchObject({ status: 401, outcome: 'rejected', code: 'LH_ERR_SIGNATURE_MISSING' });
    expect(requests[2]).toMatchObject({ method: 'GET', path: '/api/events', status: 200 });
    const text = JSON.stringify(captured.lines);
    for (const secret of [TEST_INGEST_SECRET, TEST_API_TOKEN, TEST_KEYS.css, 'log-stream-body-marker']) {
      expect(text).not.toContain(secret);
    }
  });

  it('serves Prometheus metrics: outcomes, events by type, rejections by reason, commit latency and batch size', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    const text = response.body;
    expect(text).toContain('livehooks_ingest_requests_total{outcome="stored"} 1');
    expect(text).toContain('livehooks_ingest_requests_total{outcome="rejected"} 1');
    expect(text).toContain('livehooks_events_stored_total{type="css.screenshot"} 1');
    expect(text).toContain('livehooks_rejections_total{reason="LH_ERR_SIGNATURE_MISSING"} 1');
    expect(text).toMatch(/livehooks_commit_duration_seconds_count \d+/);
    expect(text).toMatch(/livehooks_commit_batch_size_bucket\{le="1"\} \d+/);
    expect(text).toContain('livehooks_events_duplicate_total');
    expect(text).toContain('process_cpu_seconds_total');
  });

  it('answers unknown routes with a JSON 404 and the secret redacted', async () => {
    const response = await server.app.inject({ method: 'GET', url: `/callbacks/${TEST_INGEST_SECRET}x` });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'LH_ERR_NOT_FOUND', error: 'no route GET /callbacks/***' });
  });
});

describeEachDialect('startServer', (databases) => {
  it('listens, generates and keeps an API token, warns about protections that are off, and closes', async () => {
    const { logger, lines } = capturedLogger('info');
    const config = testConfig(databases, { host: '127.0.0.1', port: 0 });
    delete config.apiToken;
    delete config.ingestSecret;
    const running = await startServer(config, { logger, handleSignals: false });
    try {
      expect(running.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(running.apiUrl).toBe(`${running.url}/api`);
      expect(running.apiTokenSource).toBe('generated');
      expect(running.warnings.some((line) => line.startsWith('no ingest secret'))).toBe(true);
      expect(lines.some((line) => line.level === 40 && String(line.msg).startsWith('no ingest secret'))).toBe(
        true,
      );
      const response = await fetch(`${running.url}/api/events`, {
        headers: { authorization: `Bearer ${running.apiToken}` },
      });
      expect(response.status).toBe(200);
      expect(JSON.stringify(lines)).not.toContain(running.apiToken);
    } finally {
      await running.close();
    }
    await expect(fetch(`${running.url}/healthz`)).rejects.toThrow();
    const again = await startServer(config, { logger, handleSignals: false });
    try {
      expect(again.apiTokenSource).toBe('file');
      expect(again.apiToken).toBe(running.apiToken);
    } finally {
      await again.close();
    }
  });
});

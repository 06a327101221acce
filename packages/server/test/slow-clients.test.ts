import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/index.js';
import { describeEachDialect } from './support/databases.js';
import { TEST_INGEST_SECRET, testConfig } from './support/test-server.js';
import { createCallbackFactory, type UniqueCallback } from './support/unique-callbacks.js';

const factory = createCallbackFactory();
/** Short timeouts, so the test sees the server close slow connections. */
const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 1500;
/**
 * Slow connections the attacker holds. Each costs two file descriptors in this process (client and server
 * side): 300 stays well under the common `ulimit -n` of 1024.
 */
const SLOW = 300;

/** A raw client connection and what the server did with it. */
interface Probe {
  socket: Socket;
  received: string;
  /** When the server closed it (ms since the epoch). */
  closedAt: number | undefined;
}

function open(port: number, first: string): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const probe: Probe = { socket: connect(port, '127.0.0.1'), received: '', closedAt: undefined };
    probe.socket.setEncoding('utf8');
    probe.socket.on('data', (chunk: string) => (probe.received += chunk));
    probe.socket.on('error', () => undefined);
    probe.socket.on('close', () => (probe.closedAt ??= Date.now()));
    probe.socket.once('connect', () => {
      if (first !== '') probe.socket.write(first);
      resolve(probe);
    });
    probe.socket.once('error', reject);
  });
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}

function send(url: string, callback: UniqueCallback): Promise<Response> {
  const path = callback.unsigned ? `/callbacks/${TEST_INGEST_SECRET}` : '/callbacks';
  return fetch(`${url}${path}`, { method: 'POST', body: callback.body, headers: callback.headers });
}

describeEachDialect('slow clients', (databases) => {
  let running: RunningServer;
  let port: number;

  beforeAll(async () => {
    const config = testConfig(databases, {
      host: '127.0.0.1',
      port: 0,
      connections: {
        headersTimeoutMs: HEADERS_TIMEOUT_MS,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        keepAliveTimeoutMs: 500,
        max: 1000,
      },
    });
    running = await startServer(config, { handleSignals: false });
    port = Number(new URL(running.url).port);
  });
  afterAll(() => running?.close());

  it('answers genuine callbacks while slow connections are held, and closes the slow ones within the timeouts', async () => {
    // A first callback warms the store up, so the genuine ones below are answered at full speed.
    expect((await send(running.url, factory.make(69_999))).status).toBe(200);
    const head = `POST /callbacks HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"event_type":`;
    // A third send nothing, a third stop in the middle of their headers, a third send headers and then a
    // body one byte at a time, never finishing it.
    const silent = await Promise.all(Array.from({ length: SLOW / 3 }, () => open(port, '')));
    const partialHeaders = await Promise.all(
      Array.from({ length: SLOW / 3 }, () => open(port, 'POST /callbacks HTTP/1.1\r\nHost: 127')),
    );
    const dripping = await Promise.all(Array.from({ length: SLOW / 3 }, () => open(port, head)));
    const drip = setInterval(() => {
      for (const probe of dripping) if (probe.closedAt === undefined) probe.socket.write('1');
    }, 100);
    const slow = [...silent, ...partialHeaders, ...dripping];
    const attackStarted = Date.now();
    try {
      const callbacks = Array.from({ length: 20 }, (_, seq) => factory.make(seq + 70_000));
      const answers = await Promise.all(callbacks.map((callback) => send(running.url, callback)));
      const stillOpen = slow.filter((probe) => probe.closedAt === undefined).length;
      expect(answers.map((answer) => answer.status)).toEqual(callbacks.map(() => 200));
      expect(stillOpen).toBeGreaterThan(0);
      expect((await running.server.store.stats()).events.total).toBe(callbacks.length + 1);

      await until(() => slow.every((probe) => probe.closedAt !== undefined), 10_000);
    } finally {
      clearInterval(drip);
      for (const probe of slow) probe.socket.destroy();
    }
    const lifetimes = slow.map((probe) => (probe.closedAt ?? Infinity) - attackStarted);
    // The request timeout, plus the interval at which Node checks it, plus slack for a busy machine.
    expect(Math.max(...lifetimes)).toBeLessThan(REQUEST_TIMEOUT_MS + 2000);
    for (const probe of [...partialHeaders, ...dripping]) {
      expect(probe.received).toMatch(/^HTTP\/1\.1 408 /);
      expect(probe.received).toContain('"code":"LH_ERR_REQUEST_TIMEOUT"');
    }
    const metrics = await running.server.metrics.registry.getSingleMetricAsString(
      'livehooks_client_errors_total',
    );
    expect(metrics).toContain('code="LH_ERR_REQUEST_TIMEOUT"');
  });

  it('closes idle keep-alive connections', async () => {
    const probe = await open(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await until(() => probe.closedAt !== undefined, 5000);
    expect(probe.received).toMatch(/^HTTP\/1\.1 200 /);
    expect(probe.closedAt).toBeDefined();
  });
});

describeEachDialect('connection cap', (databases) => {
  it('closes connections beyond connections.max at once, and serves again once slow ones time out', async () => {
    const max = 20;
    const config = testConfig(databases, {
      host: '127.0.0.1',
      port: 0,
      connections: { headersTimeoutMs: 500, requestTimeoutMs: 500, max },
    });
    const running = await startServer(config, { handleSignals: false });
    const port = Number(new URL(running.url).port);
    const held: Probe[] = [];
    try {
      for (let i = 0; i < max; i++) held.push(await open(port, ''));
      const server = running.server.app.server;
      let count = 0;
      await until(() => {
        server.getConnections((_error, n) => (count = n));
        return count === max;
      }, 2000);
      expect(count).toBe(max);
      const extra = await open(port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
      await until(() => extra.closedAt !== undefined, 2000);
      expect(extra.closedAt).toBeDefined();
      expect(extra.received).toBe('');

      await until(() => held.every((probe) => probe.closedAt !== undefined), 5000);
      const answer = await send(running.url, factory.make(80_000));
      expect(answer.status).toBe(200);
    } finally {
      for (const probe of held) probe.socket.destroy();
      await running.close();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createServer, loadConfig, startServer, type LivehooksServer } from '../src/index.js';
import { TEST_API_TOKEN } from './support/test-secrets.js';

const dirs: string[] = [];
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function config() {
  const dataDir = mkdtempSync(join(tmpdir(), 'livehooks-sign-in-'));
  dirs.push(dataDir);
  return loadConfig({
    env: {},
    cwd: dataDir,
    flags: { host: '127.0.0.1', port: 0, dataDir, logLevel: 'silent', apiToken: TEST_API_TOKEN },
  });
}

/** A gateway whose clock the test moves. */
async function gatewayAt(clock: { now: number }): Promise<LivehooksServer> {
  const server = await createServer({ config: config(), now: () => clock.now });
  closers.push(() => server.close());
  return server;
}

function exchange(server: LivehooksServer, payload: string) {
  return server.app.inject({
    method: 'POST',
    url: '/sign-in',
    headers: { 'content-type': 'application/json' },
    payload,
  });
}

describe('POST /sign-in', () => {
  it('answers the API token once for an issued code, and refuses it 401 when used again', async () => {
    const server = await gatewayAt({ now: Date.now() });
    const code = server.signInCodes.issue();
    expect(code).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const first = await exchange(server, JSON.stringify({ code }));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ token: TEST_API_TOKEN });
    expect(first.headers['cache-control']).toBe('no-store');

    const again = await exchange(server, JSON.stringify({ code }));
    expect(again.statusCode).toBe(401);
    expect(again.json()).toMatchObject({ code: 'LH_ERR_UNAUTHORIZED' });
    expect(again.body).not.toContain(TEST_API_TOKEN);
  });

  it('refuses a code after its 10 minutes, and accepts it just before', async () => {
    const clock = { now: Date.now() };
    const server = await gatewayAt(clock);
    const late = server.signInCodes.issue();
    const inTime = server.signInCodes.issue();
    clock.now += 10 * 60 * 1000 - 1;
    expect((await exchange(server, JSON.stringify({ code: inTime }))).statusCode).toBe(200);
    clock.now += 1;
    const expired = await exchange(server, JSON.stringify({ code: late }));
    expect(expired.statusCode).toBe(401);
    expect(expired.json()).toMatchObject({ code: 'LH_ERR_UNAUTHORIZED' });
  });

  it('refuses a wrong code 401 without spending the real one, and a malformed body 400', async () => {
    const server = await gatewayAt({ now: Date.now() });
    const code = server.signInCodes.issue();
    const wrong = await exchange(
      server,
      JSON.stringify({ code: code.replace(/^./, (char) => (char === 'A' ? 'B' : 'A')) }),
    );
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toMatchObject({ code: 'LH_ERR_UNAUTHORIZED' });
    expect(wrong.body).not.toContain(TEST_API_TOKEN);
    for (const payload of ['', 'not json', '{}', '{"code":42}', 'null']) {
      const malformed = await exchange(server, payload);
      expect(malformed.statusCode, payload).toBe(400);
      expect(malformed.json()).toMatchObject({ code: 'LH_ERR_INVALID_QUERY' });
    }
    expect((await exchange(server, JSON.stringify({ code }))).statusCode).toBe(200);
  });

  it('gives startServer a one-time sign-in link to the dashboard', async () => {
    const running = await startServer(config(), { handleSignals: false });
    closers.push(() => running.close());
    const link = new URL(running.signInUrl);
    expect(`${link.origin}${link.pathname}`).toBe(`${running.url}/`);
    const code = /^#signin=([A-Za-z0-9_-]{43})$/.exec(link.hash)![1]!;
    const exchanged = async () =>
      fetch(`${running.url}/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
    const first = await exchanged();
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({ token: TEST_API_TOKEN });
    expect((await exchanged()).status).toBe(401);
  });
});

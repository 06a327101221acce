import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startCli, type CliProcess } from './support/cli.js';

const processes: CliProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);
afterEach(async () => {
  await Promise.all(processes.splice(0).map((process) => process.stop('SIGKILL')));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('livehooks serve sign-in link', () => {
  it('prints a one-time link whose code the gateway exchanges once for the API token', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'livehooks-serve-sign-in-'));
    dirs.push(dataDir);
    const server = startCli(['serve', '--port', '0', '--log-level', 'silent', '--data-dir', dataDir]);
    processes.push(server);
    const [, url, code] = await server.waitFor(
      /sign in {4}(http:\/\/127\.0\.0\.1:\d+)\/#signin=([\w-]{43}) {2}\(one-time link, valid 10 minutes\)/,
    );
    const [, token] = await server.waitFor(/API token {2}(lh_\S+)/);
    const exchange = () =>
      fetch(`${url}/sign-in`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ code }),
      });
    const first = await exchange();
    expect(await first.json()).toEqual({ token });
    expect((await exchange()).status).toBe(401);
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { catalog } from '@livehooks/core';
import { BIN, ensureBuilt, runCli } from './support/cli.js';
import { startFlakyProxy, type FlakyProxy } from './support/flaky-proxy.js';
import { startGateway, type TestGateway } from './support/gateway.js';

interface TriggerReport {
  total: number;
  delivered: number;
  failed: number;
  attempts: number;
  callbacks: {
    delivered: boolean;
    policy: string;
    attempts: { number: number; status?: number; ok: boolean; error?: string }[];
    body: string;
  }[];
}

let gateway: TestGateway;
const proxies: FlakyProxy[] = [];

beforeAll(async () => {
  await ensureBuilt();
  gateway = await startGateway();
}, 180_000);
afterAll(async () => {
  await gateway.close();
});
afterEach(async () => {
  await Promise.all(proxies.splice(0).map((proxy) => proxy.close()));
});

async function stored(type?: string) {
  const { items } = await gateway.running.server.store.listEvents({
    limit: 500,
    ...(type ? { types: [type] } : {}),
  });
  return items;
}

describe('livehooks trigger', () => {
  it('lists every catalog type with --list', async () => {
    const result = await runCli(['trigger', '--list', '--json']);
    expect(result.code).toBe(0);
    const rows = JSON.parse(result.stdout) as { type: string; samples: string[] }[];
    expect(rows.map((row) => row.type)).toEqual([...new Set(catalog.map((definition) => definition.type))]);
    expect(rows.find((row) => row.type === 'css.screenshot')?.samples.length).toBeGreaterThan(0);

    const text = await runCli(['trigger', '--list']);
    expect(text.code).toBe(0);
    for (const definition of catalog) expect(text.stdout).toContain(definition.type);
  });

  it('delivers a signed CSS callback that the gateway stores', async () => {
    const result = await runCli([
      'trigger',
      'css.screenshot',
      '--url',
      gateway.callbackUrl,
      '--set',
      'stream_id=cli-one',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/attempt 1 at [\d:.]+: 200 \{"code":0\}/);
    expect(result.stdout).toContain('delivered after 1 attempt');
    const events = (await stored('css.screenshot')).filter((event) => event.subject.streamId === 'cli-one');
    expect(events).toHaveLength(1);
    expect(events[0]?.auth.method).toBe('css-md5');
  });

  it('delivers a count of TRTC callbacks at a rate, each stored once', async () => {
    const before = (await stored('trtc.moderation.result')).length;
    const started = Date.now();
    const result = await runCli([
      'trigger',
      'trtc.moderation.result',
      '--url',
      gateway.callbackUrl,
      '--count',
      '6',
      '--rate',
      '20',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as TriggerReport;
    expect(report).toMatchObject({ total: 6, delivered: 6, failed: 0, attempts: 6 });
    expect(report.callbacks.every((callback) => callback.policy === 'trtc')).toBe(true);
    // 6 starts at 20 per second span at least 250 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    const events = await stored('trtc.moderation.result');
    expect(events.length - before).toBe(6);
    expect(events.every((event) => event.auth.method === 'trtc-hmac' && event.duplicates === 0)).toBe(true);
  });

  it('retries through failed answers, and the gateway stores the callback once', async () => {
    const proxy = await startFlakyProxy(gateway.callbackUrl, 2);
    proxies.push(proxy);
    const result = await runCli([
      'trigger',
      'css.moderation.image',
      '--url',
      proxy.url,
      '--set',
      'streamId=flaky-css',
      '--retry-scale',
      '0.0001',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as TriggerReport;
    expect(report.callbacks[0]?.attempts.map((attempt) => attempt.status)).toEqual([502, 502, 200]);
    expect(report.callbacks[0]?.policy).toBe('css-standard');
    // Every retry carried the same bytes, and the gateway answered 200 to each (new, then duplicates).
    expect(proxy.requests.map((request) => request.upstreamStatus)).toEqual([200, 200, 200]);
    expect(new Set(proxy.requests.map((request) => request.body.toString())).size).toBe(1);
    const events = (await stored('css.moderation.image')).filter(
      (event) => event.subject.streamId === 'flaky-css',
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.duplicates).toBe(2);
  });

  it('retries a TRTC callback at once after a failure', async () => {
    const proxy = await startFlakyProxy(gateway.callbackUrl, 1);
    proxies.push(proxy);
    const result = await runCli([
      'trigger',
      'trtc.room.entered',
      '--url',
      proxy.url,
      '--set',
      'EventInfo.UserId=flaky-trtc',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as TriggerReport;
    expect(report.callbacks[0]?.attempts.map((attempt) => attempt.status)).toEqual([502, 200]);
    // No scaling: TRTC's first retry is immediate (https://trtc.io/document/39558).
    expect(proxy.requests[1]!.at - proxy.requests[0]!.at).toBeLessThan(1000);
    const events = (await stored('trtc.room.entered')).filter(
      (event) => event.subject.userId === 'flaky-trtc',
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.duplicates).toBe(1);
  });

  it('exits 3 when the receiver refuses the signature, and the gateway stores nothing', async () => {
    const result = await runCli([
      'trigger',
      'css.screenshot',
      '--url',
      gateway.callbackUrl,
      '--key',
      'notTheGatewayKey',
      '--set',
      'stream_id=wrong-key',
      '--no-retry',
      '--json',
    ]);
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as TriggerReport;
    expect(report).toMatchObject({ delivered: 0, failed: 1 });
    expect(report.callbacks[0]?.attempts).toHaveLength(1);
    expect(report.callbacks[0]?.attempts[0]?.status).toBe(401);
    expect((await stored('css.screenshot')).some((event) => event.subject.streamId === 'wrong-key')).toBe(
      false,
    );
    expect(result.stdout + result.stderr).not.toContain('notTheGatewayKey');
  });

  it('gives up after the timeout of each attempt and exits 3', async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as AddressInfo;
      const result = await runCli([
        'trigger',
        'css.screenshot',
        '--url',
        `http://127.0.0.1:${port}/`,
        '--timeout',
        '200',
        '--retry-scale',
        '0.0001',
        '--json',
      ]);
      expect(result.code).toBe(3);
      const report = JSON.parse(result.stdout) as TriggerReport;
      expect(report.callbacks[0]?.policy).toBe('css-screenshot');
      expect(report.callbacks[0]?.attempts).toHaveLength(6);
      expect(report.callbacks[0]?.attempts.every((attempt) => attempt.error === 'timeout after 200 ms')).toBe(
        true,
      );
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('prints the requests without sending them with --dry-run', async () => {
    const result = await runCli([
      'trigger',
      'css.screenshot',
      '--url',
      gateway.callbackUrl,
      '--set',
      'stream_id=dry-run',
      '--count',
      '2',
      '--dry-run',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const requests = JSON.parse(result.stdout) as { body: string }[];
    expect(requests).toHaveLength(2);
    expect(JSON.parse(requests[0]!.body)).toMatchObject({ event_type: 200, stream_id: 'dry-run' });
    expect(requests[0]).toMatchObject({ method: 'POST', url: gateway.callbackUrl });
    const text = await runCli(['trigger', 'css.screenshot', '--url', gateway.callbackUrl, '--dry-run']);
    expect(text.stdout.split('\n')[0]).toBe(`POST ${gateway.callbackUrl}`);
    expect((await stored('css.screenshot')).some((event) => event.subject.streamId === 'dry-run')).toBe(
      false,
    );
  });

  it('exits 2 for an unknown type or a malformed --set', async () => {
    const unknown = await runCli(['trigger', 'css.screenshots']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown event type "css.screenshots"');
    const malformed = await runCli(['trigger', 'css.screenshot', '--set', 'novalue', '--dry-run']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain('expected field=value');
    const badFlag = await runCli(['trigger', 'css.screenshot', '--count', 'many']);
    expect(badFlag.code).toBe(2);
  });

  it('shows examples and exit codes in --help', async () => {
    const result = await runCli(['trigger', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Examples:');
    expect(result.stdout).toContain('Exit codes:');
  });

  it('says at the first refusal of an unsigned type to use the ingest secret URL or --dev, and names each wait', async () => {
    const result = await runCli([
      'trigger',
      'css.monitor.stream_broken',
      '--url',
      gateway.callbackUrl,
      '--retry-scale',
      '0.0001',
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('LH_ERR_SIGNATURE_MISSING');
    const hints = result.stderr.split('\n').filter((line) => line.includes('Tencent never signs'));
    expect(hints).toHaveLength(1);
    expect(hints[0]).toContain(`${gateway.url}/callbacks/<ingest secret>`);
    expect(hints[0]).toContain('livehooks serve --dev');
    // Said before the retries run, not after: the hint is written when attempt 1 fails.
    expect(result.stdout).toMatch(/attempt 2 in \d+ s \(Tencent's retry policy; --no-retry sends once\)/);
  });

  it('says which key flag to pass when the gateway does not know the key', async () => {
    const css = await runCli([
      'trigger',
      'css.screenshot',
      '--url',
      gateway.callbackUrl,
      '--key',
      'notTheGatewayKey',
      '--no-retry',
    ]);
    expect(css.code).toBe(3);
    expect(css.stderr).toMatch(
      /does not know the key .*LH_ERR_SIGNATURE_MISMATCH.*--key, or start the gateway with livehooks serve --dev/,
    );
    const trtc = await runCli([
      'trigger',
      'trtc.room.created',
      '--url',
      gateway.callbackUrl,
      '--trtc-key',
      'wrong',
      '--no-retry',
      '--json',
    ]);
    expect(trtc.code).toBe(3);
    expect(trtc.stderr).toContain('--trtc-key and --sdk-app-id');
    expect(() => JSON.parse(trtc.stdout) as unknown).not.toThrow();
  });

  const hasScript = (() => {
    try {
      execFileSync('script', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  it.skipIf(!hasScript)(
    'counts down to each retry on a terminal',
    async () => {
      // script(1) gives the command a pseudo-terminal, as a user's shell does.
      const command = [process.execPath, BIN, 'trigger', 'trtc.room.created', '--url', gateway.callbackUrl]
        .concat(['--trtc-key', 'wrong', '--retry-scale', '0.05'])
        .map((word) => `'${word}'`)
        .join(' ');
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        env: { ...process.env, NO_COLOR: '1' },
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(3);
      // Redrawn in place (carriage return, erase line) every second, then cleared before the next attempt.
      const clearLine = '\r\u001b[2K';
      expect(output).toContain(`${clearLine}  attempt 3 in 1 s (Ctrl+C stops)`);
      expect(output).toMatch(new RegExp(`${clearLine.replace('[', '\\[')} {2}\\S+ attempt 3 at`));
      expect(output).not.toContain("Tencent's retry policy");
    },
    20_000,
  );
});

import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, createReceiver, type AnyLivehooksEvent } from '@livehooks/core';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, startCli, type CliProcess } from './support/cli.js';
import { API_TOKEN, startGateway, type TestGateway } from './support/gateway.js';

/** Keys of the local receiver: not the gateway's, so only a re-signed callback verifies. */
const LOCAL = { css: 'local-css-key-for-listen', sdkAppId: '1400009999', trtc: 'local-trtc-key-for-listen' };

const gateways: TestGateway[] = [];
const processes: CliProcess[] = [];
const servers: Server[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);
afterEach(async () => {
  await Promise.all(processes.splice(0).map((process) => process.stop('SIGKILL')));
  await Promise.all(gateways.splice(0).map((gateway) => gateway.close()));
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function listenOn(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks`;
}

/** A receiver built with `@livehooks/core` that verifies with the local keys only. */
async function startLocalReceiver(): Promise<{
  url: string;
  events: AnyLivehooksEvent[];
  refused: string[];
}> {
  const events: AnyLivehooksEvent[] = [];
  const refused: string[] = [];
  const receiver = createReceiver({
    css: { keys: [LOCAL.css] },
    trtc: { keys: { [LOCAL.sdkAppId]: LOCAL.trtc } },
  });
  receiver.onAny((event) => void events.push(event));
  receiver.onError((error) => void refused.push(error.code));
  return { url: await listenOn(createServer(createNodeMiddleware(receiver))), events, refused };
}

/** Sends a signed sample with its stream (CSS) or room (TRTC) id set. */
async function trigger(gateway: TestGateway, type: string, streamOrRoom: string): Promise<void> {
  const field = type.startsWith('trtc.')
    ? 'EventInfo.RoomId'
    : type === 'css.moderation.image'
      ? 'streamId'
      : 'stream_id';
  const set = `${field}=${streamOrRoom}`;
  const result = await runCli(['trigger', type, '--url', gateway.callbackUrl, '--set', set]);
  expect(result.code, result.stderr).toBe(0);
}

async function storedIds(gateway: TestGateway): Promise<string[]> {
  const response = await fetch(`${gateway.url}/api/events?limit=500`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  const page = (await response.json()) as { items: { id: string }[] };
  return page.items.map((item) => item.id).reverse();
}

interface Forwarded {
  id: string;
  type: string;
  status?: number;
  resigned: boolean;
  latencyMs: number;
  error?: string;
}

function forwards(listen: CliProcess): Forwarded[] {
  return listen
    .stdout()
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Forwarded);
}

describe('livehooks listen', () => {
  it('forwards every new event once, re-signed for the local keys, across a gateway restart', async () => {
    const first = await startGateway();
    dirs.push(first.dataDir);
    const port = Number(new URL(first.url).port);
    // Stored before listen starts: never forwarded.
    await trigger(first, 'css.screenshot', 'before-listen');
    const local = await startLocalReceiver();
    const listen = startCli([
      'listen',
      ...first.apiArgs,
      '--forward-to',
      local.url,
      '--css-key',
      LOCAL.css,
      '--trtc-key',
      LOCAL.trtc,
      '--sdk-app-id',
      LOCAL.sdkAppId,
      '--json',
    ]);
    processes.push(listen);
    await listen.waitFor(/forwarding new events/, { stream: 'stderr' });

    await trigger(first, 'css.screenshot', 'one');
    await trigger(first, 'trtc.room.created', '9001');
    await trigger(first, 'css.moderation.image', 'two');
    await expect.poll(() => local.events.length, { timeout: 10_000 }).toBe(3);

    await first.running.close();
    await listen.waitFor(/connection lost|stream ended/, { stream: 'stderr' });
    const second = await startGateway({}, { dataDir: first.dataDir, port });
    gateways.push(second);
    // Stored while listen is still waiting to reconnect: it comes from the backlog.
    await trigger(second, 'css.screenshot', 'while-away');
    await trigger(second, 'trtc.room.created', '9002');
    await listen.waitFor(/reconnected/, { stream: 'stderr', timeoutMs: 20_000 });
    await trigger(second, 'css.screenshot', 'after-restart');
    await expect.poll(() => local.events.length, { timeout: 10_000 }).toBe(6);

    const stored = await storedIds(second);
    const printed = forwards(listen);
    // No gaps, no repeats, in the order stored: everything after the first event, once.
    expect(printed.map((item) => item.id)).toEqual(stored.slice(1));
    expect(printed.every((item) => item.status === 200 && item.resigned)).toBe(true);
    expect(local.refused).toEqual([]);
    expect(local.events.map((event) => event.subject.streamId ?? event.subject.roomId)).toEqual([
      'one',
      '9001',
      'two',
      'while-away',
      '9002',
      'after-restart',
    ]);
    expect(local.events.map((event) => event.auth.method)).toEqual([
      'css-md5',
      'trtc-hmac',
      'css-md5',
      'css-md5',
      'trtc-hmac',
      'css-md5',
    ]);
    expect(await listen.stop('SIGTERM')).toBe(0);
    expect(listen.stderr()).not.toMatch(/livehooks:/);
  }, 90_000);

  it('forwards only the --types asked for, the original bytes and signature, and prints answers escaped', async () => {
    const gateway = await startGateway();
    gateways.push(gateway);
    const bodies: { body: string; sign: string | undefined }[] = [];
    const url = await listenOn(
      createServer((request, response) => {
        const chunks: Buffer[] = [];
        request.on('data', (chunk: Buffer) => chunks.push(chunk));
        request.on('end', () => {
          bodies.push({ body: Buffer.concat(chunks).toString('utf8'), sign: request.headers.sign as string });
          response.writeHead(500).end('\x1b[2J\x1b]0;pwned\x07 failed');
        });
      }),
    );
    const listen = startCli(['listen', ...gateway.apiArgs, '--forward-to', url, '--types', 'trtc.room.*']);
    processes.push(listen);
    await listen.waitFor(/forwarding new events/, { stream: 'stderr' });
    await trigger(gateway, 'css.screenshot', 'not-asked');
    await trigger(gateway, 'trtc.room.created', '7001');
    await trigger(gateway, 'trtc.room.created', '7002');
    const lines = await listen.waitFor(/(^.*trtc\.room\.created.*\n){2}/m);

    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} {2}trtc\.room\.created {2}[0-9a-f-]{36} {2}✗ 500 /m);
    expect(lines[0]).toContain('\\x1b[2J\\x1b]0;pwned\\x07 failed');
    expect(listen.stdout()).not.toContain('\x1b');
    expect(listen.stdout()).not.toContain('css.screenshot');
    // Without keys the bytes and Sign are Tencent's, exactly as the gateway stored them.
    const stored = (await (
      await fetch(`${gateway.url}/api/events/${/[0-9a-f-]{36}/.exec(lines[0])![0]}`, {
        headers: { authorization: `Bearer ${API_TOKEN}` },
      })
    ).json()) as { raw: string; headers: Record<string, string> };
    expect(bodies[0]).toEqual({ body: stored.raw, sign: stored.headers.sign });
    expect(await listen.stop('SIGINT')).toBe(0);
  }, 60_000);

  it('exits 6 when the token is refused, and 2 without --forward-to', async () => {
    const gateway = await startGateway();
    gateways.push(gateway);
    const refused = await runCli([
      'listen',
      '--server',
      gateway.url,
      '--token',
      'wrong-token-wrong-token',
      '--forward-to',
      'http://127.0.0.1:9/callbacks',
    ]);
    expect(refused.code).toBe(6);
    expect((await runCli(['listen', ...gateway.apiArgs])).code).toBe(2);
  });
});

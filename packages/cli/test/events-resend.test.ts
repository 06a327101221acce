import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNodeMiddleware, createReceiver, type AnyLivehooksEvent } from '@livehooks/core';
import { TEST_KEYS } from '@livehooks/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './support/cli.js';
import { API_TOKEN, startGateway, type TestGateway } from './support/gateway.js';

/** Keys of the local receiver: not the gateway's, so only a re-signed callback verifies there. */
const LOCAL = { css: 'local-css-key-for-resend', sdkAppId: '1400008888', trtc: 'local-trtc-key-for-resend' };

let gateway: TestGateway;
const servers: Server[] = [];
/** Stored ids by type, oldest first. */
const ids: Record<string, string> = {};

async function listenOn(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/callbacks`;
}

/** A receiver built with `@livehooks/core`, verifying with the given keys. */
async function startReceiver(keys: { css: string; sdkAppId: string; trtc: string }): Promise<{
  url: string;
  events: AnyLivehooksEvent[];
}> {
  const events: AnyLivehooksEvent[] = [];
  const receiver = createReceiver({
    css: { keys: [keys.css] },
    trtc: { keys: { [keys.sdkAppId]: keys.trtc } },
  });
  receiver.onAny((event) => void events.push(event));
  return { url: await listenOn(createServer(createNodeMiddleware(receiver))), events };
}

beforeAll(async () => {
  await ensureBuilt();
  gateway = await startGateway();
  for (const [type, set] of [
    ['css.screenshot', 'stream_id=resend-css'],
    ['trtc.moderation.result', 'EventInfo.RoomId=resend-room'],
  ] as const) {
    const result = await runCli(['trigger', type, '--url', gateway.callbackUrl, '--set', set]);
    expect(result.code, result.stderr).toBe(0);
  }
  const response = await fetch(`${gateway.url}/api/events`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  for (const item of ((await response.json()) as { items: { id: string; type: string }[] }).items)
    ids[item.type] = item.id;
}, 180_000);
afterAll(async () => {
  for (const server of servers) {
    server.closeAllConnections();
    server.close();
  }
  await gateway.close();
});

describe('livehooks events resend', () => {
  it("sends Tencent's original bytes and signature, verified by a receiver with the gateway's keys", async () => {
    const receiver = await startReceiver({
      css: TEST_KEYS.css,
      sdkAppId: TEST_KEYS.trtc.sdkAppId,
      trtc: TEST_KEYS.trtc.key,
    });
    const id = ids['trtc.moderation.result']!;
    const result = await runCli([
      'events',
      'resend',
      id.slice(0, 28),
      '--to',
      receiver.url,
      ...gateway.apiArgs,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(
      new RegExp(`trtc\\.moderation\\.result  ${id}  → 200 .* in \\d+(\\.\\d+)? ms`),
    );
    expect(result.stdout).not.toContain('re-signed');
    expect(receiver.events.map((event) => event.type)).toEqual(['trtc.moderation.result']);
    expect(receiver.events[0]!.subject.roomId).toBe('resend-room');
  });

  it('re-signs for the local keys, and the local receiver accepts what it refused unsigned for it', async () => {
    const receiver = await startReceiver(LOCAL);
    const css = ids['css.screenshot']!;
    const refused = await runCli([
      'events',
      'resend',
      css,
      '--to',
      receiver.url,
      ...gateway.apiArgs,
      '--json',
    ]);
    expect(refused.code).toBe(3);
    const answer = JSON.parse(refused.stdout) as { status: number; resigned: boolean; body: string };
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.resigned).toBe(false);
    expect(receiver.events).toHaveLength(0);

    const accepted = await runCli([
      'events',
      'resend',
      css,
      '--to',
      receiver.url,
      '--css-key',
      LOCAL.css,
      ...gateway.apiArgs,
    ]);
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain('(re-signed)');
    const trtc = await runCli([
      'events',
      'resend',
      ids['trtc.moderation.result']!,
      '--to',
      receiver.url,
      '--trtc-key',
      LOCAL.trtc,
      '--sdk-app-id',
      LOCAL.sdkAppId,
      ...gateway.apiArgs,
    ]);
    expect(trtc.code, trtc.stderr).toBe(0);
    expect(receiver.events.map((event) => event.type)).toEqual(['css.screenshot', 'trtc.moderation.result']);
    expect(receiver.events[0]!.subject.streamId).toBe('resend-css');
    expect(accepted.stderr).not.toContain(LOCAL.css);
  });

  it('prints a refusing answer escaped and exits 3; 3 too when nothing answers', async () => {
    const url = await listenOn(
      createServer((_, response) => {
        response.writeHead(502, { 'content-type': 'text/plain' });
        response.end('upstream down\x1b[2J\x1b]0;pwned\x07\u202e');
      }),
    );
    const result = await runCli([
      'events',
      'resend',
      ids['css.screenshot']!,
      '--to',
      url,
      ...gateway.apiArgs,
    ]);
    expect(result.code).toBe(3);
    expect(result.stdout).toContain('✗ 502 upstream down\\x1b[2J\\x1b]0;pwned\\x07\\u202e in ');
    for (const raw of ['\x1b', '\x07', '\u202e']) expect(result.stdout).not.toContain(raw);

    const unreachable = await runCli([
      'events',
      'resend',
      ids['css.screenshot']!,
      '--to',
      'http://127.0.0.1:9/callbacks',
      ...gateway.apiArgs,
    ]);
    expect(unreachable.code).toBe(3);
    expect(unreachable.stdout).toContain('ECONNREFUSED');
  });

  it('exits 7 for an id no stored event starts with, before sending anything', async () => {
    const result = await runCli([
      'events',
      'resend',
      'ffffffff',
      '--to',
      'http://127.0.0.1:9/callbacks',
      ...gateway.apiArgs,
    ]);
    expect(result.code).toBe(7);
    expect(result.stderr).toContain('no stored event has an id starting with "ffffffff"');
  });
});

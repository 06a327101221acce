import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Delivery } from '@livehooks/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './support/cli.js';
import { API_TOKEN, startGateway, type TestGateway } from './support/gateway.js';

let gateway: TestGateway;
let endpoint: Server;
/** Whether the sinks' endpoint refuses: it answers 500 with a reason phrase carrying U+202E (as UTF-8). */
let refusing = true;
/** The webhook ids (event ids) the endpoint accepted, per path. */
const accepted: Record<string, string[]> = { '/hook': [], '/spare': [] };

async function deliveries(query = ''): Promise<Delivery[]> {
  const response = await fetch(`${gateway.url}/api/deliveries?limit=500${query}`, {
    headers: { authorization: `Bearer ${API_TOKEN}` },
  });
  return ((await response.json()) as { items: Delivery[] }).items;
}

/** Waits until every delivery the query lists is in one of the states. */
async function settle(query: string, states: readonly string[], count: number): Promise<Delivery[]> {
  for (let tries = 0; ; tries++) {
    const items = await deliveries(query);
    if (items.length === count && items.every((item) => states.includes(item.status))) return items;
    if (tries > 200) throw new Error(`deliveries did not settle: ${JSON.stringify(items)}`);
    await sleep(50);
  }
}

beforeAll(async () => {
  await ensureBuilt();
  endpoint = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (refusing) {
        response.writeHead(500, Buffer.from('down\u202eJ', 'utf8').toString('latin1'));
        response.end();
        return;
      }
      accepted[request.url!]?.push(String(request.headers['webhook-id']));
      response.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => endpoint.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}`;
  gateway = await startGateway({
    dispatch: { pollMs: 30, retry: { scheduleMs: [40], jitter: 0 } },
    sinks: [
      { name: 'hook', type: 'webhook', url: `${base}/hook` },
      { name: 'spare', type: 'webhook', url: `${base}/spare` },
    ],
  });
  for (const stream of ['dl-a', 'dl-b']) {
    const result = await runCli([
      'trigger',
      'css.screenshot',
      '--url',
      gateway.callbackUrl,
      '--set',
      `stream_id=${stream}`,
    ]);
    expect(result.code, result.stderr).toBe(0);
  }
  // Two attempts each (one retry after 40 ms), then dead.
  await settle('', ['dead'], 4);
}, 180_000);
afterAll(async () => {
  await gateway.close();
  endpoint.closeAllConnections();
  endpoint.close();
});

describe('livehooks deliveries', () => {
  it('lists the dead deliveries of one sink, as lines and as JSON', async () => {
    const json = await runCli([
      'deliveries',
      'list',
      '--status',
      'dead',
      '--sink',
      'hook',
      '--json',
      ...gateway.apiArgs,
    ]);
    expect(json.code, json.stderr).toBe(0);
    const page = JSON.parse(json.stdout) as { items: Delivery[]; nextCursor: string | null };
    expect(page.items).toHaveLength(2);
    expect(page.items.map(({ sink, status, attempts }) => ({ sink, status, attempts }))).toEqual([
      { sink: 'hook', status: 'dead', attempts: 2 },
      { sink: 'hook', status: 'dead', attempts: 2 },
    ]);
    expect(page.nextCursor).toBeNull();

    const lines = await runCli(['deliveries', 'list', '--limit', '3', ...gateway.apiArgs]);
    expect(lines.code, lines.stderr).toBe(0);
    const printed = lines.stdout.trim().split('\n');
    expect(printed).toHaveLength(3);
    expect(printed[0]).toMatch(
      /dead {2}(hook|spare) {2}css\.screenshot {2}\S+ {2}2 attempts {2}HTTP 500 down/,
    );
    // The endpoint's reason phrase reaches the terminal escaped.
    expect(lines.stdout).toContain('HTTP 500 down\\u202eJ');
    expect(lines.stdout).not.toContain('\u202e');
    expect(lines.stderr).toContain('more: add --cursor ');
  });

  it('retries one delivery by id, then every dead one of a sink, then all', async () => {
    refusing = false;
    const [first, second] = await deliveries('&sink=hook');
    // A unique start of the id is enough.
    const one = await runCli(['deliveries', 'retry', first!.id.slice(0, -4), ...gateway.apiArgs]);
    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(
      new RegExp(`${first!.id} .* pending {2}hook {2}css\\.screenshot {2}${first!.eventId}`),
    );
    await settle('&status=delivered', ['delivered'], 1);
    expect(accepted['/hook']).toEqual([first!.eventId]);

    const hook = await runCli([
      'deliveries',
      'retry',
      '--dead',
      '--sink',
      'hook',
      '--json',
      ...gateway.apiArgs,
    ]);
    expect(hook.code, hook.stderr).toBe(0);
    expect(JSON.parse(hook.stdout)).toEqual({ retried: 1 });
    await settle('&sink=hook', ['delivered'], 2);
    expect(accepted['/hook']).toEqual([first!.eventId, second!.eventId]);
    expect((await deliveries('&sink=spare')).map((item) => item.status)).toEqual(['dead', 'dead']);

    const all = await runCli(['deliveries', 'retry', '--dead', ...gateway.apiArgs]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout.trim()).toBe('retrying 2 dead deliveries');
    await settle('', ['delivered'], 4);
    expect(accepted['/spare']).toHaveLength(2);
  });

  it('exits 2 without an id or --dead, 7 for an unknown delivery, 5 for a sink the gateway lacks', async () => {
    const neither = await runCli(['deliveries', 'retry', ...gateway.apiArgs]);
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('give either a delivery id or --dead');
    const both = await runCli([
      'deliveries',
      'retry',
      '00000000-0000-7000-8000-000000000000',
      '--dead',
      ...gateway.apiArgs,
    ]);
    expect(both.code).toBe(2);
    const unknown = await runCli([
      'deliveries',
      'retry',
      '00000000-0000-7000-8000-000000000000',
      ...gateway.apiArgs,
    ]);
    expect(unknown.code).toBe(7);
    const shared = (await deliveries('')).map((item) => item.id.slice(0, 8));
    const common = shared.find((prefix, index) => shared.indexOf(prefix) !== index)!;
    const ambiguous = await runCli(['deliveries', 'retry', common, ...gateway.apiArgs]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('is the start of several delivery ids');
    const status = await runCli(['deliveries', 'list', '--status', 'lost', ...gateway.apiArgs]);
    expect(status.code).toBe(2);
    const sink = await runCli(['deliveries', 'list', '--sink', 'nowhere', ...gateway.apiArgs]);
    expect(sink.code).toBe(5);
    expect(sink.stderr).toContain('sink "nowhere" is not configured (configured: hook, spare)');
  });
});

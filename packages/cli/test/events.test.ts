import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, startCli } from './support/cli.js';
import { API_TOKEN, startGateway, type TestGateway } from './support/gateway.js';

interface Envelope {
  id: string;
  type: string;
  family: string;
  subject: { streamId?: string; userId?: string };
  raw?: string;
  headers?: Record<string, string>;
  duplicates: number;
}

let gateway: TestGateway;
const outDir = mkdtempSync(join(tmpdir(), 'livehooks-cli-out-'));

beforeAll(async () => {
  await ensureBuilt();
  gateway = await startGateway();
  for (const stream of ['ev-a', 'ev-b', 'ev-c']) {
    const result = await runCli([
      'trigger',
      'css.screenshot',
      '--url',
      gateway.callbackUrl,
      '--set',
      `stream_id=${stream}`,
    ]);
    expect(result.code).toBe(0);
  }
  const trtc = await runCli([
    'trigger',
    'trtc.moderation.result',
    '--url',
    gateway.callbackUrl,
    '--set',
    'EventInfo.RoomId=ev-room',
  ]);
  expect(trtc.code).toBe(0);
}, 180_000);
afterAll(async () => {
  await gateway.close();
  rmSync(outDir, { recursive: true, force: true });
});

describe('livehooks events list', () => {
  it('lists stored events newest first, one line each', async () => {
    const result = await runCli(['events', 'list', ...gateway.apiArgs]);
    expect(result.code).toBe(0);
    const lines = result.stdout.trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toContain('trtc.moderation.result');
    expect(lines[0]).toContain('room=ev-room');
    expect(lines[3]).toMatch(/css\.screenshot\s+stream=ev-a\s+stream ev-a screenshot/);
  });

  it('filters by type and stream, and pages with a cursor', async () => {
    const byStream = await runCli(['events', 'list', ...gateway.apiArgs, '--stream', 'ev-b', '--json']);
    expect(byStream.code).toBe(0);
    expect(
      (JSON.parse(byStream.stdout) as { items: Envelope[] }).items.map((e) => e.subject.streamId),
    ).toEqual(['ev-b']);

    const first = JSON.parse(
      (
        await runCli([
          'events',
          'list',
          ...gateway.apiArgs,
          '--type',
          'css.screenshot',
          '--limit',
          '2',
          '--json',
        ])
      ).stdout,
    ) as { items: Envelope[]; nextCursor: string };
    expect(first.items.map((e) => e.subject.streamId)).toEqual(['ev-c', 'ev-b']);
    const second = await runCli([
      'events',
      'list',
      ...gateway.apiArgs,
      '--type',
      'css.screenshot',
      '--limit',
      '2',
      '--cursor',
      first.nextCursor,
    ]);
    expect(second.stdout).toContain('stream=ev-a');
    expect(second.stdout).not.toContain('stream=ev-b');
  });

  it('exits 6 with a wrong token and 5 when the gateway is unreachable', async () => {
    const refused = await runCli([
      'events',
      'list',
      '--server',
      gateway.url,
      '--token',
      'not-the-token-at-all',
    ]);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('refused the API token');
    expect(refused.stderr).not.toContain('not-the-token-at-all');
    const unreachable = await runCli([
      'events',
      'list',
      '--server',
      'http://127.0.0.1:9',
      '--token',
      'x'.repeat(20),
    ]);
    expect(unreachable.code).toBe(5);
    expect(unreachable.stderr).toContain('cannot reach the gateway at http://127.0.0.1:9');
  });

  it('filters by family, user and words', async () => {
    const list = async (...args: string[]) =>
      (
        JSON.parse((await runCli(['events', 'list', ...gateway.apiArgs, '--json', ...args])).stdout) as {
          items: Envelope[];
        }
      ).items;
    const trtc = await list('--family', 'trtc');
    expect(trtc.map((event) => event.type)).toEqual(['trtc.moderation.result']);
    const userId = trtc[0]!.subject.userId!;
    expect((await list('--user', userId)).map((event) => event.id)).toEqual([trtc[0]!.id]);
    expect((await list('--search', 'ev-b')).map((event) => event.subject.streamId)).toEqual(['ev-b']);
  });

  it('exits 2 for an unknown type with the nearest known types, and for a page above 500, before asking the gateway', async () => {
    const unreachable = ['--server', 'http://127.0.0.1:9', '--token', 'x'.repeat(20)];
    const unknown = await runCli(['events', 'list', '--type', 'css.screenshott', ...unreachable]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown event type "css.screenshott"; did you mean css.screenshot');
    const tooLarge = await runCli(['events', 'list', '--limit', '1000', ...unreachable]);
    expect(tooLarge.code).toBe(2);
    expect(tooLarge.stderr).toContain('expected at most 500');
    // Patterns are the receiver's: a dot prefix and `.*`; a star inside a word is not one.
    const midWord = await runCli(['events', 'list', '--type', 'css.screen*', ...unreachable]);
    expect(midWord.code).toBe(2);
    expect(midWord.stderr).toContain('unknown event type "css.screen*"');
    const byPattern = await runCli(['events', 'list', '--type', 'css.*', ...gateway.apiArgs, '--json']);
    const items = (JSON.parse(byPattern.stdout) as { items: Envelope[] }).items;
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((event) => event.family === 'css')).toBe(true);
  });

  it('says that no token was found, and where it looked, instead of a refusal', async () => {
    const result = await runCli(['events', 'list', '--server', gateway.url], { cwd: outDir });
    expect(result.code).toBe(6);
    expect(result.stderr).toContain(
      `none was found (looked at --token, LIVEHOOKS_API_TOKEN, ${join(outDir, 'data', 'api-token')}, `,
    );
    expect(result.stderr).toMatch(/livehooks\/gateways\.json \(http:\/\/127\.0\.0\.1:\d+\)\)/);
    expect(result.stderr).not.toContain('refused');
  });

  it('takes the token from LIVEHOOKS_API_TOKEN', async () => {
    const result = await runCli(['events', 'list', '--server', gateway.url, '--limit', '1'], {
      env: { LIVEHOOKS_API_TOKEN: gateway.apiArgs[3]! },
    });
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('livehooks events show', () => {
  it('shows one event with its raw body and headers, and prints the raw bytes alone with --raw', async () => {
    const list = JSON.parse(
      (await runCli(['events', 'list', ...gateway.apiArgs, '--stream', 'ev-a', '--json'])).stdout,
    ) as {
      items: Envelope[];
    };
    const id = list.items[0]!.id;
    const shown = await runCli(['events', 'show', id, ...gateway.apiArgs]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`id          ${id}`);
    expect(shown.stdout).toContain('auth        css-md5');
    expect(shown.stdout).toContain('content-type: application/json');

    const json = JSON.parse(
      (await runCli(['events', 'show', id, ...gateway.apiArgs, '--json'])).stdout,
    ) as Envelope;
    const raw = await runCli(['events', 'show', id, ...gateway.apiArgs, '--raw']);
    expect(raw.stdout).toBe(json.raw);
    expect(JSON.parse(raw.stdout)).toMatchObject({ event_type: 200, stream_id: 'ev-a' });
  });

  it('takes a unique start of an id, and lists the candidates of one that several ids start with', async () => {
    const ids = (
      JSON.parse((await runCli(['events', 'list', ...gateway.apiArgs, '--json'])).stdout) as {
        items: Envelope[];
      }
    ).items.map((event) => event.id);
    const target = ids[1]!;
    let length = 1;
    while (ids.filter((id) => id.startsWith(target.slice(0, length))).length > 1) length++;
    const shown = await runCli(['events', 'show', target.slice(0, length), ...gateway.apiArgs, '--json']);
    expect(shown.code).toBe(0);
    expect((JSON.parse(shown.stdout) as Envelope).id).toBe(target);

    let common = 0;
    while (ids.every((id) => id[common] === target[common])) common++;
    const ambiguous = await runCli(['events', 'show', target.slice(0, common), ...gateway.apiArgs]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toContain('is the start of several event ids');
    for (const id of ids) expect(ambiguous.stderr).toContain(id);
  });

  it('exits 7 for an id the gateway does not have', async () => {
    const result = await runCli([
      'events',
      'show',
      '01a20000-0000-7000-8000-000000000000',
      ...gateway.apiArgs,
    ]);
    expect(result.code).toBe(7);
  });

  it('feeds verify: a stored TRTC event verifies with its own headers', async () => {
    const list = JSON.parse(
      (await runCli(['events', 'list', ...gateway.apiArgs, '--type', 'trtc.moderation.result', '--json']))
        .stdout,
    ) as { items: Envelope[] };
    const shown = await runCli(['events', 'show', list.items[0]!.id, ...gateway.apiArgs, '--json']);
    const verified = await runCli(['verify', '-', '--key', 'livehooksTestTrtcKey'], { input: shown.stdout });
    expect(verified.stdout).toContain('✓ verifies (TRTC, verified)');
    expect(verified.code).toBe(0);
  });
});

describe('livehooks events export', () => {
  it('writes every matching event as one JSON line', async () => {
    const result = await runCli(['events', 'export', ...gateway.apiArgs, '--type', 'css.screenshot']);
    expect(result.code).toBe(0);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Envelope);
    expect(lines.map((e) => e.subject.streamId)).toEqual(['ev-c', 'ev-b', 'ev-a']);
    expect(lines[0]?.raw).toBeUndefined();
    expect(result.stderr).toContain('exported 3 events');
  });

  it('writes CSV with a header row, and a JSON array', async () => {
    const csv = await runCli([
      'events',
      'export',
      ...gateway.apiArgs,
      '--format',
      'csv',
      '--type',
      'css.screenshot',
    ]);
    expect(csv.code).toBe(0);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toBe(
      'id,received_at,occurred_at,type,family,source,app_id,sdk_app_id,stream_id,room_id,task_id,user_id,summary,auth,stale,duplicates',
    );
    expect(rows.slice(1).map((row) => row.split(',')[8])).toEqual(['ev-c', 'ev-b', 'ev-a']);

    const json = await runCli(['events', 'export', ...gateway.apiArgs, '--format', 'json']);
    expect(json.code).toBe(0);
    expect((JSON.parse(json.stdout) as Envelope[]).map((event) => event.type)).toEqual([
      'trtc.moderation.result',
      'css.screenshot',
      'css.screenshot',
      'css.screenshot',
    ]);
  });

  it('writes to a file, with raw bodies and headers when asked', async () => {
    const out = join(outDir, 'export.ndjson');
    const result = await runCli(['events', 'export', ...gateway.apiArgs, '--with-raw', '--out', out]);
    expect(result.code).toBe(0);
    const lines = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Envelope);
    expect(lines).toHaveLength(4);
    expect(
      lines.every((e) => typeof e.raw === 'string' && e.headers?.['content-type'] === 'application/json'),
    ).toBe(true);
    expect(result.stderr).toContain(`exported 4 events to ${out}`);
  });

  it('exits 1 when the output file cannot be written', async () => {
    const result = await runCli([
      'events',
      'export',
      ...gateway.apiArgs,
      '--out',
      join(outDir, 'missing', 'x.ndjson'),
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `livehooks: cannot write ${join(outDir, 'missing', 'x.ndjson')}: its folder ${join(outDir, 'missing')} does not exist\n`,
    );
  });
});

describe('gateway and token discovery', () => {
  it('takes the gateway from LIVEHOOKS_SERVER and the token from the data dir of the gateway configuration', async () => {
    const dataDir = join(outDir, 'configured-data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'api-token'), `${API_TOKEN}\n`);
    const result = await runCli(['events', 'list', '--limit', '1', '--verbose'], {
      cwd: outDir,
      env: { LIVEHOOKS_SERVER: gateway.url, LIVEHOOKS_DATA_DIR: dataDir },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`gateway ${gateway.url} (from LIVEHOOKS_SERVER)`);
    expect(result.stderr).toContain(`API token from ${join(dataDir, 'api-token')}`);
    expect(result.stderr).not.toContain(API_TOKEN);
  });

  it('finds the token of a gateway serve started, from any directory', async () => {
    const home = join(outDir, 'home');
    const serveDir = join(outDir, 'serve');
    mkdirSync(serveDir, { recursive: true });
    const env = { XDG_CONFIG_HOME: join(home, 'config') };
    const serve = startCli(['serve', '--dev', '--port', '0', '--log-level', 'silent'], {
      cwd: serveDir,
      env,
    });
    try {
      const [, url] = await serve.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      const result = await runCli(['events', 'list', '--server', url!, '--verbose'], { cwd: outDir, env });
      expect(result.code).toBe(0);
      expect(result.stderr).toContain(
        `API token from ${join(serveDir, 'data', 'api-token')} (recorded by serve)`,
      );
    } finally {
      await serve.stop();
    }
  }, 60_000);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSender, freshSample, loadSamples } from '@livehooks/fixtures';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, startCli, type CliProcess } from './support/cli.js';

interface Banner {
  host: string;
  port: number;
  everyInterface: boolean;
  urls: string[];
  url: string;
  callbackUrl: string;
  dashboardUrl: string;
  apiUrl: string;
  apiToken?: string;
  apiTokenSource: string;
  database: string;
  dev: boolean;
  warnings: string[];
}

const processes: CliProcess[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'livehooks-serve-'));
  dirs.push(dir);
  return dir;
}

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);
afterEach(async () => {
  await Promise.all(processes.splice(0).map((process) => process.stop('SIGKILL')));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function serve(args: string[], env: Record<string, string> = {}, cwd?: string): CliProcess {
  const server = startCli(['serve', '--port', '0', '--log-level', 'silent', ...args], {
    env,
    ...(cwd ? { cwd } : {}),
  });
  processes.push(server);
  return server;
}

describe('livehooks serve', () => {
  it('starts on SQLite with flags and environment, prints its URLs and token, stores callbacks, stops on SIGTERM', async () => {
    const dataDir = tempDir();
    const server = serve(['--json', '--data-dir', dataDir, '--css-keys', 'serveCssKey'], {
      LIVEHOOKS_TRTC_KEYS: '1400000777:serveTrtcKey',
    });
    const [line] = await server.waitFor(/^\{.*\}$/m);
    const banner = JSON.parse(line) as Banner;
    expect(banner.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(banner).toMatchObject({
      callbackUrl: `${banner.url}/callbacks`,
      dashboardUrl: `${banner.url}/`,
      apiUrl: `${banner.url}/api`,
      apiTokenSource: 'generated',
      database: join(dataDir, 'livehooks.db'),
      dev: false,
    });
    expect(banner.apiToken).toMatch(/^lh_/);

    const css = await runCli([
      'trigger',
      'css.screenshot',
      '--url',
      banner.callbackUrl,
      '--key',
      'serveCssKey',
      '--set',
      'stream_id=served',
    ]);
    expect(css.code).toBe(0);
    const trtc = await runCli(['trigger', 'trtc.room.created', '--url', banner.callbackUrl], {
      env: { LIVEHOOKS_TRTC_KEYS: '1400000777:serveTrtcKey' },
    });
    expect(trtc.code).toBe(0);
    // The token serve generated is found under the data directory without --token.
    const list = await runCli(['events', 'list', '--server', banner.url, '--json'], {
      env: { LIVEHOOKS_DATA_DIR: dataDir },
    });
    expect(list.code).toBe(0);
    expect((JSON.parse(list.stdout) as { items: { type: string }[] }).items.map((e) => e.type)).toEqual([
      'trtc.room.created',
      'css.screenshot',
    ]);

    expect(await server.stop('SIGTERM')).toBe(0);
    const db = new Database(join(dataDir, 'livehooks.db'), { readonly: true });
    try {
      expect(db.prepare('select count(*) as n from events').get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }
  });

  it('prints a readable summary, and with --dev accepts what trigger signs by default', async () => {
    const cwd = tempDir();
    const server = serve(['--dev'], {}, cwd);
    const [, url] = await server.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
    await server.waitFor(/Ctrl\+C/);
    const text = server.stdout();
    expect(text).toMatch(/API token {2}lh_\S+ {2}\(generated, kept in .*data\/api-token\)/);
    expect(text).toContain(`dashboard  ${url}/`);
    expect(text).toContain('warning: development mode');

    const result = await runCli([
      'trigger',
      'css.moderation.image',
      '--url',
      `${url}/callbacks`,
      '--count',
      '3',
    ]);
    expect(result.code).toBe(0);
    const list = await runCli(['events', 'list', '--server', url!], { cwd });
    expect(list.code).toBe(0);
    expect(list.stdout.trim().split('\n')).toHaveLength(3);
  });

  it('refuses invalid configuration with one line per problem and exits 8', async () => {
    const result = await runCli(['serve', '--port', '70000', '--log-level', 'loud'], {
      env: { LIVEHOOKS_CSS_KEYS: 'has space' },
    });
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('flag port: "70000" is not a TCP port');
    expect(result.stderr).toContain('flag logLevel: "loud" is not a log level');
    expect(result.stderr).toContain('LIVEHOOKS_CSS_KEYS: key 1 contains spaces (the key is not shown)');
    expect(result.stderr).not.toContain('has space');
    // One problem per line, not an escaped \n.
    expect(result.stderr.split('\n')).toContain(
      '  - flag port: "70000" is not a TCP port (an integer from 0 to 65535)',
    );
    const missing = await runCli(['serve', '--config', 'does-not-exist.json']);
    expect(missing.code).toBe(8);
    expect(missing.stderr).toMatch(
      /config file \S*does-not-exist\.json: no such file; check the path given to --config \(ENOENT\)/,
    );
  });

  it('aligns the comments of the tour in the top-level help', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    const tour = result.stdout.split('\n').filter((line) => line.startsWith('  $ npx livehooks'));
    expect(tour).toHaveLength(2);
    for (const line of tour) expect(line).toMatch(/\S {2,}# \S/);
    expect(new Set(tour.map((line) => line.indexOf('#'))).size).toBe(1);
  });

  it('keeps a configured API token out of its output', async () => {
    const token = 'configured-token-0123456789';
    const server = serve(['--json', '--data-dir', tempDir()], { LIVEHOOKS_API_TOKEN: token });
    const banner = JSON.parse((await server.waitFor(/^\{.*\}$/m))[0]) as Banner;
    expect(banner.apiTokenSource).toBe('config');
    expect(server.stdout()).not.toContain(token);
    const list = await runCli(['events', 'list', '--server', banner.url], {
      env: { LIVEHOOKS_API_TOKEN: token },
    });
    expect(list.code).toBe(0);
  });

  it('exits 8 when the port is taken', async () => {
    const first = serve(['--json', '--data-dir', tempDir()]);
    const [line] = await first.waitFor(/^\{.*\}$/m);
    const port = new URL((JSON.parse(line) as Banner).url).port;
    const second = await runCli(['serve', '--port', port, '--data-dir', tempDir(), '--log-level', 'silent']);
    expect(second.code).toBe(8);
    expect(second.stderr).toContain(
      `cannot listen on 0.0.0.0:${port}: the port is already in use (another gateway?); choose another with --port`,
    );
  });

  it('stores every type trigger can send with --dev, the CSS types Tencent never signs included', async () => {
    const server = serve(['--json', '--dev', '--data-dir', tempDir()]);
    const banner = JSON.parse((await server.waitFor(/^\{.*\}$/m))[0]) as Banner;
    const types = [...new Set(loadSamples().map((sample) => sample.type))];
    const unsigned = types.filter((type) => {
      const sample = freshSample(type);
      return sample.family === 'css' && !('sign' in sample.payload);
    });
    expect(unsigned).toHaveLength(13);
    const sender = createSender({ url: banner.callbackUrl, noRetry: true });
    try {
      const results = await Promise.all(types.map((type) => sender.trigger(type)));
      expect(types.filter((_, index) => !results[index]!.delivered)).toEqual([]);
    } finally {
      sender.close();
    }
    const cli = await runCli(['trigger', 'css.monitor.stream_broken', '--url', banner.callbackUrl]);
    expect(cli.code).toBe(0);
    const response = await fetch(`${banner.apiUrl}/events?limit=200`, {
      headers: { authorization: `Bearer ${banner.apiToken}` },
    });
    const stored = new Set(
      ((await response.json()) as { items: { type: string }[] }).items.map((e) => e.type),
    );
    expect(types.filter((type) => !stored.has(type))).toEqual([]);
  });

  it('prints the --json summary as the first and only line of standard output; logs go to standard error', async () => {
    const server = startCli([
      'serve',
      '--port',
      '0',
      '--json',
      '--data-dir',
      tempDir(),
      '--log-level',
      'info',
    ]);
    processes.push(server);
    await server.waitFor(/^\{.*\}$/m);
    await server.waitFor(/livehooks gateway listening/, { stream: 'stderr' });
    const lines = server.stdout().trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ dev: false, apiTokenSource: 'generated' });
    expect(server.stderr()).toMatch(/"msg":"no ingest secret/);
  });

  it('names the bound address: every interface for 0.0.0.0, with the addresses it is reachable at', async () => {
    const json = serve(['--json', '--host', '0.0.0.0', '--data-dir', tempDir()]);
    const banner = JSON.parse((await json.waitFor(/^\{.*\}$/m))[0]) as Banner;
    expect(banner).toMatchObject({
      host: '0.0.0.0',
      everyInterface: true,
      url: `http://127.0.0.1:${banner.port}`,
    });
    expect(banner.urls[0]).toBe(banner.url);
    const text = serve(['--host', '0.0.0.0', '--data-dir', tempDir()]);
    const [line] = await text.waitFor(/^livehooks gateway listening on .*$/m);
    expect(line).toMatch(
      /^livehooks gateway listening on 0\.0\.0\.0 port \d+ \(every interface\): http:\/\/127\.0\.0\.1:\d+/,
    );
    const loopback = serve(['--json', '--host', '127.0.0.1', '--data-dir', tempDir()]);
    const specific = JSON.parse((await loopback.waitFor(/^\{.*\}$/m))[0]) as Banner;
    expect(specific).toMatchObject({ host: '127.0.0.1', everyInterface: false, urls: [specific.url] });
  });

  it('warns that --dev on a non-loopback host exposes the published test keys', async () => {
    const exposed = serve(['--json', '--dev', '--host', '0.0.0.0', '--data-dir', tempDir()]);
    const banner = JSON.parse((await exposed.waitFor(/^\{.*\}$/m))[0]) as Banner;
    expect(
      banner.warnings.filter((w) => w.startsWith('--dev on 0.0.0.0: the published test keys')),
    ).toHaveLength(1);
    const local = serve(['--json', '--dev', '--data-dir', tempDir()]);
    const loopback = JSON.parse((await local.waitFor(/^\{.*\}$/m))[0]) as Banner;
    expect(loopback.warnings.some((w) => w.startsWith('--dev on'))).toBe(false);
  });

  it('says why the store cannot be opened, in words, and exits 8', async () => {
    const refused = await runCli([
      'serve',
      '--port',
      '0',
      '--database-url',
      'postgres://u:secretpw@127.0.0.1:9/x',
    ]);
    expect(refused.code).toBe(8);
    expect(refused.stderr).toContain('nothing accepts connections at 127.0.0.1:9 (ECONNREFUSED)');
    expect(refused.stderr).not.toContain('secretpw');
    // Without a user in the URL, pg falls back to $USER; with none, PostgreSQL refuses the start-up packet.
    const noUser = await runCli(
      ['serve', '--port', '0', '--database-url', 'postgres://127.0.0.1:5432/test'],
      {
        env: { USER: '' },
      },
    );
    expect(noUser.code).toBe(8);
    expect(noUser.stderr).toContain('the database URL names no user');
    expect(noUser.stderr).not.toContain('startup packet');
  });
});

describe('livehooks db', () => {
  it('migrates, reports stats and prunes events past their retention', async () => {
    const dataDir = tempDir();
    const migrate = await runCli(['db', 'migrate', '--data-dir', dataDir, '--json']);
    expect(migrate.code).toBe(0);
    expect((JSON.parse(migrate.stdout) as { applied: string[] }).applied.length).toBeGreaterThan(0);
    expect((await runCli(['db', 'migrate', '--data-dir', dataDir])).stdout).toContain('up to date');

    const server = serve(['--json', '--data-dir', dataDir, '--dev']);
    const banner = JSON.parse((await server.waitFor(/^\{.*\}$/m))[0]) as Banner;
    expect(
      (await runCli(['trigger', 'css.screenshot', '--url', banner.callbackUrl, '--count', '3'])).code,
    ).toBe(0);
    expect((await runCli(['trigger', 'trtc.room.created', '--url', banner.callbackUrl])).code).toBe(0);
    await server.stop('SIGTERM');

    const stats = await runCli(['db', 'stats', '--data-dir', dataDir, '--json']);
    expect(stats.code).toBe(0);
    expect(JSON.parse(stats.stdout)).toMatchObject({
      dialect: 'sqlite',
      events: { total: 4, byType: { 'css.screenshot': 3, 'trtc.room.created': 1 } },
    });
    const text = await runCli(['db', 'stats', '--data-dir', dataDir]);
    expect(text.stdout).toMatch(/events {6}4/);

    // Two of the events were received 100 days ago: their receipt time and their time-ordered
    // UUIDv7 ids (whose first 48 bits are the receipt time in ms) say so.
    const db = new Database(join(dataDir, 'livehooks.db'));
    try {
      const rows = db
        .prepare("select id, received_at from events where type = 'css.screenshot' order by id limit 2")
        .all() as { id: string; received_at: number }[];
      const update = db.prepare('update events set id = ?, received_at = ? where id = ?');
      for (const row of rows) {
        const receivedAt = Number(row.received_at) - 100 * 86_400_000;
        const hex = receivedAt.toString(16).padStart(12, '0');
        const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}${row.id.slice(13)}`;
        update.run(id, receivedAt, row.id);
      }
    } finally {
      db.close();
    }
    const prune = await runCli([
      'db',
      'prune',
      '--data-dir',
      dataDir,
      '--retention-event-days',
      '30',
      '--json',
    ]);
    expect(prune.code).toBe(0);
    expect(JSON.parse(prune.stdout)).toMatchObject({ deleted: { events: 2 }, retention: { eventDays: 30 } });
    expect(JSON.parse((await runCli(['db', 'stats', '--data-dir', dataDir, '--json'])).stdout)).toMatchObject(
      {
        events: { total: 2 },
      },
    );
  });

  it('exits 8 when the store cannot be reached', async () => {
    const result = await runCli([
      'db',
      'stats',
      '--database-url',
      'postgres://nobody:secretpw@127.0.0.1:9/none',
    ]);
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('cannot');
    expect(result.stderr).not.toContain('secretpw');
  });
});

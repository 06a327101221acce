import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli, startCli } from './support/cli.js';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function benchSchemas(): Promise<string[]> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "select schema_name as name from information_schema.schemata where schema_name like 'lh_bench_%'",
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

describe('livehooks bench', () => {
  it('runs the ingest benchmark against the bare server and the gateway, with a durability check', async () => {
    const result = await runCli(
      // An unreachable PostgreSQL keeps the run to the bare server and SQLite.
      [
        'bench',
        '--duration',
        '1',
        '--connections',
        '4',
        '--bodies',
        '150000',
        '--pg-url',
        'postgres://bench@127.0.0.1:9/none',
      ],
      { timeoutMs: 170_000 },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/CSS 200 screenshot \/ bare node:http: \d+ req\/s, p99 \d+ ms/);
    expect(result.stdout).toMatch(/\/ lean durable receiver: \d+ req\/s, .* 0 acknowledged but missing/);
    expect(result.stdout).toMatch(/\/ livehooks serve, SQLite: \d+ req\/s, .* 0 acknowledged but missing/);
    expect(result.stdout).toMatch(/CSS 200 screenshot: SQLite [\d.]+ of lean \(aim >= 0\.75\)/);
  }, 180_000);

  it('drops its PostgreSQL schema when stopped by SIGTERM, and says it is still running through silences', async () => {
    const before = new Set(await benchSchemas());
    const bench = startCli(
      ['bench', '--duration', '6', '--connections', '4', '--bodies', '20000', '--pg-url', PG_URL],
      { timeoutMs: 170_000 },
    );
    let schema: string | undefined;
    for (let waited = 0; schema === undefined && waited < 160_000; waited += 250) {
      schema = (await benchSchemas()).find((name) => !before.has(name));
      if (schema === undefined) await sleep(250);
    }
    expect(schema).toBeDefined();
    expect(await bench.stop('SIGTERM')).toBe(130);
    expect(bench.stderr()).toMatch(/bench: stopped \(SIGTERM\); schemas? [\w, ]+ dropped/);
    expect(bench.stderr()).toContain(schema!);
    expect(bench.stderr()).toMatch(/bench: still running, \d+ s in \(last: /);
    expect(await benchSchemas()).not.toContain(schema);
  }, 180_000);

  it('says "stopped" on Ctrl+C', async () => {
    const bench = startCli(['bench', '--pg-url', 'postgres://bench@127.0.0.1:9/none']);
    await bench.waitFor(/ingest benchmark/);
    expect(await bench.stop('SIGINT')).toBe(130);
    expect(bench.stderr()).toContain('bench: stopped (SIGINT)');
    expect(bench.stderr()).not.toContain('failed');
  }, 60_000);

  it('refuses a load that is not a positive number', async () => {
    const result = await runCli(['bench', '--connections', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a positive integer');
  });
});

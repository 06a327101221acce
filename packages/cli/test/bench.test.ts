import { beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './support/cli.js';

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
    expect(result.stdout).toMatch(/bare node:http\s+\d+ req\/s {2}p50 \d+ ms {2}p99 \d+ ms/);
    expect(result.stdout).toMatch(/gateway, SQLite\s+\d+ req\/s .* 0 acknowledged but missing/);
    expect(result.stdout).toMatch(/gateway, SQLite: [\d.]+ of bare throughput/);
  }, 180_000);

  it('refuses a load that is not a positive number', async () => {
    const result = await runCli(['bench', '--connections', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('expected a positive integer');
  });
});

import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './support/cli.js';

const root = mkdtempSync(join(tmpdir(), 'livehooks-store-open-'));

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function dataDir(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

describe('a store file that is not a SQLite database', () => {
  it.each([
    ['serve', ['serve', '--port', '0', '--log-level', 'silent']],
    ['db stats', ['db', 'stats']],
  ])('makes %s say so in one line and exit 8 within seconds', async (name, args) => {
    const dir = dataDir(name.replace(' ', '-'));
    // As after `echo x > data/livehooks.db`.
    writeFileSync(join(dir, 'livehooks.db'), 'x\n');
    const started = Date.now();
    const result = await runCli([...args, '--data-dir', dir], { timeoutMs: 30_000 });
    expect(Date.now() - started).toBeLessThan(15_000);
    expect(result.code).toBe(8);
    expect(result.stderr).toBe(
      `livehooks: the store cannot open the SQLite database ${join(dir, 'livehooks.db')}: the file is not a SQLite database\n`,
    );
  });
});

describe('livehooks db stats', () => {
  it('says a store is missing, exits 8 and creates nothing', async () => {
    const dir = join(root, 'missing', 'data');
    const result = await runCli(['db', 'stats', '--data-dir', dir]);
    expect(result.code).toBe(8);
    expect(result.stderr).toBe(
      `livehooks: the store cannot open the SQLite database ${join(dir, 'livehooks.db')}: it does not exist\n`,
    );
    expect(existsSync(join(root, 'missing'))).toBe(false);
  });

  it('says an empty database holds no store, and leaves it without a schema', async () => {
    const dir = dataDir('empty');
    new Database(join(dir, 'livehooks.db')).close();
    const result = await runCli(['db', 'stats', '--data-dir', dir]);
    expect(result.code).toBe(8);
    expect(result.stderr).toContain('holds no livehooks store yet');
    const db = new Database(join(dir, 'livehooks.db'));
    try {
      expect(db.prepare('select name from sqlite_master').all()).toEqual([]);
    } finally {
      db.close();
    }
    expect(readdirSync(dir).filter((file) => !file.startsWith('livehooks.db'))).toEqual([]);
  });
});

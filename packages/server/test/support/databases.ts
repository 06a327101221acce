import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe } from 'vitest';

/** The PostgreSQL the integration suites use; trust auth on loopback. */
export const PG_URL = process.env.LIVEHOOKS_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function probe(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await client.end().catch(() => {});
  }
}

const pgProblem = await probe(PG_URL);
if (pgProblem !== undefined) {
  const unreachable = `PostgreSQL at ${PG_URL} is unreachable (${pgProblem})`;
  // CI must test both dialects: a missing database there is a failure, not a skip.
  if (process.env.CI === 'true') {
    throw new Error(
      `${unreachable}; CI=true requires the PostgreSQL suites. Start it or set LIVEHOOKS_TEST_PG_URL.`,
    );
  }
  console.warn(`${unreachable}: the PostgreSQL suites are skipped. Start it or set LIVEHOOKS_TEST_PG_URL.`);
}

/** Whether the PostgreSQL suites run. */
export const postgresAvailable = pgProblem === undefined;

export type DialectName = 'sqlite' | 'postgres';

/** Hands out fresh, isolated databases of one dialect and removes them after the suite. */
export interface TestDatabases {
  dialect: DialectName;
  /** A database URL no other test uses: a new SQLite file, or a new PostgreSQL schema. */
  fresh(): string;
  /** A fresh temporary directory (data dir). */
  tempDir(): string;
}

let counter = 0;

function createTestDatabases(dialect: DialectName): TestDatabases {
  const dirs: string[] = [];
  const schemas: string[] = [];
  const tempDir = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'livehooks-test-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    if (schemas.length === 0) return;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    try {
      for (const schema of schemas) await client.query(`drop schema if exists "${schema}" cascade`);
    } finally {
      await client.end();
    }
  });
  return {
    dialect,
    tempDir,
    fresh() {
      if (dialect === 'sqlite') return join(tempDir(), 'livehooks.db');
      const schema = `lh_test_${process.pid}_${Date.now().toString(36)}_${++counter}`;
      schemas.push(schema);
      return withSchema(PG_URL, schema);
    },
  };
}

/** `url` with a `schema` query parameter. */
export function withSchema(url: string, schema: string): string {
  const parsed = new URL(url);
  parsed.searchParams.set('schema', schema);
  return parsed.toString();
}

/**
 * Declares a suite once per dialect against real databases: SQLite in a temp dir, and PostgreSQL in a
 * schema of its own (skipped with a message when PostgreSQL is unreachable, failed under CI=true).
 */
export function describeEachDialect(title: string, body: (databases: TestDatabases) => void): void {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const declare = dialect === 'postgres' && !postgresAvailable ? describe.skip : describe;
    declare(`${title} [${dialect}]`, () => body(createTestDatabases(dialect)));
  }
}

import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from './database.js';
import type { DialectProfile } from './dialect-profile.js';

/**
 * SQLite error codes that blame the statement's values, not the database (https://sqlite.org/rescode.html).
 * Everything else (BUSY, LOCKED, IOERR, FULL, READONLY, CANTOPEN, ...) means the store is unavailable.
 */
const DATA_ERROR = /^SQLITE_(CONSTRAINT|TOOBIG|MISMATCH|RANGE)/;

/** How long a writer waits for another process's write lock before the batch fails with 503. */
const BUSY_TIMEOUT_MS = 2000;

/** The SQLite profile: text ids (lowercase UUIDs compare in time order), JSON as text, raw bytes as blobs. */
export function sqliteProfile(path: string): DialectProfile {
  return {
    name: 'sqlite',
    types: { id: 'text', json: 'text', bytes: 'blob' },
    // SQLITE_MAX_VARIABLE_NUMBER is 32766 since SQLite 3.32.
    maxParameters: 32766,
    isDataError: (error) =>
      typeof (error as { code?: unknown }).code === 'string' &&
      DATA_ERROR.test((error as { code: string }).code),
    schema: undefined,
    prepare: async () => {},
    description: `SQLite ${path}`,
  };
}

/**
 * Opens (and creates) a SQLite database file for the gateway: WAL journal with `synchronous=FULL`, so a
 * committed transaction survives power loss, not only a process crash (https://sqlite.org/pragma.html#pragma_synchronous).
 */
export function createSqliteKysely(path: string): { db: Kysely<Database>; profile: DialectProfile } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new BetterSqlite3(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, profile: sqliteProfile(path) };
}

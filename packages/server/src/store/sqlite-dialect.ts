import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely } from 'kysely';
import type { Database } from './database.js';
import type { DialectProfile } from './dialect-profile.js';
import { SqliteWorkerDialect } from './sqlite-worker-dialect.js';

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
 * The connection runs on a worker thread ({@link SqliteWorkerDialect}).
 */
export function createSqliteKysely(path: string): { db: Kysely<Database>; profile: DialectProfile } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const pragmas = [
    'journal_mode = WAL',
    'synchronous = FULL',
    `busy_timeout = ${BUSY_TIMEOUT_MS}`,
    // 32 MiB of page cache keeps the hot index pages of a busy gateway in memory.
    'cache_size = -32768',
  ];
  const dialect = new SqliteWorkerDialect({ path, pragmas });
  const db = new Kysely<Database>({ dialect });
  return {
    db,
    profile: { ...sqliteProfile(path), executeTransaction: (queries) => dialect.executeTransaction(queries) },
  };
}

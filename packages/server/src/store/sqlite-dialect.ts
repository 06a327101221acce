import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { LivehooksError } from '@livehooks/core';
import { Kysely, sql, type Expression, type SqlBool } from 'kysely';
import type { Database } from './database.js';
import { allOf, containsPattern, sqlName, type DialectProfile, type TextSearch } from './dialect-profile.js';
import { SqliteWorkerDialect } from './sqlite-worker-dialect.js';

/**
 * SQLite error codes that blame the statement's values, not the database (https://sqlite.org/rescode.html).
 * Everything else (BUSY, LOCKED, IOERR, FULL, READONLY, CANTOPEN, ...) means the store is unavailable.
 */
const DATA_ERROR = /^SQLITE_(CONSTRAINT|TOOBIG|MISMATCH|RANGE)/;

/** What a failure to open a file means, by SQLite result code (https://sqlite.org/rescode.html). */
const OPEN_FAILURES: Readonly<Record<string, string>> = {
  SQLITE_NOTADB: 'the file is not a SQLite database',
  SQLITE_CORRUPT: 'the database file is corrupt',
  SQLITE_CANTOPEN: 'the file cannot be opened',
  SQLITE_READONLY: 'the file is read-only',
};

/** How long a writer waits for another process's write lock before the batch fails with 503. */
const BUSY_TIMEOUT_MS = 2000;

/** SQLite's FTS5 trigram tokenizer needs at least three characters to use its index (sqlite.org/fts5.html#the_trigram_tokenizer). */
const TRIGRAM = 3;
/** Rows per multi-row insert into a search index. */
const INDEX_ROWS_PER_INSERT = 500;

/** A name the gateway writes into SQL as it is, as SQLite keeps it in the schema. */
const raw = (name: string) => sql.raw(sqlName(name));

/** An FTS5 table `<table>_fts` with the `trigram` tokenizer beside the searched table, filled by the writer. */
const sqliteTextSearch: TextSearch = {
  async createIndex(db, { table, key, column }) {
    await sql`create virtual table ${raw(`${table}_fts`)} using fts5(${raw(key)} unindexed, ${raw(column)}, tokenize = 'trigram')`.execute(
      db,
    );
  },
  async add(db, { table, key, column }, rows) {
    const fts = raw(`${table}_fts`);
    for (let start = 0; start < rows.length; start += INDEX_ROWS_PER_INSERT) {
      const values = rows
        .slice(start, start + INDEX_ROWS_PER_INSERT)
        .map((row) => sql`(${row.key}, ${row.text})`);
      await sql`insert into ${fts} (${raw(key)}, ${raw(column)}) values ${sql.join(values)}`.execute(db);
    }
  },
  async clear(db, { table }) {
    await sql`delete from ${raw(`${table}_fts`)}`.execute(db);
  },
  matches({ table, key, column }, terms) {
    const long = terms.filter((term) => [...term].length >= TRIGRAM);
    const short = terms.filter((term) => [...term].length < TRIGRAM);
    const conditions: Expression<SqlBool>[] = short.map(
      (term) => sql<SqlBool>`${sql.ref(`${table}.${column}`)} like ${containsPattern(term)} escape '\\'`,
    );
    if (long.length > 0) {
      const fts = raw(`${table}_fts`);
      const query = long.map((term) => `"${term.replace(/"/g, '""')}"`).join(' ');
      conditions.unshift(
        sql<SqlBool>`${sql.ref(`${table}.${key}`)} in (select ${sql.ref(key)} from ${fts} where ${fts} match ${query})`,
      );
    }
    return allOf(conditions);
  },
};

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
    // Busy, locked, I/O, full, read-only, cannot-open, corrupt and out-of-memory results
    // (https://sqlite.org/rescode.html).
    isOutage: (error) => {
      const code = (error as { code?: unknown } | null | undefined)?.code;
      return (
        typeof code === 'string' &&
        /^SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|CORRUPT|NOTADB|NOMEM|PROTOCOL)/.test(code)
      );
    },
    schema: undefined,
    prepare: async () => {},
    description: `SQLite ${path}`,
    // One process writes a SQLite file, and `BEGIN IMMEDIATE` serialises its writers.
    skipLocked: false,
    lockTransaction: async () => {},
    async createQueueTrigger(db, { name, table, key, queue, column }) {
      await sql`create trigger ${raw(name)} after insert on ${raw(table)}
      begin insert into ${raw(queue)} (${raw(column)}) values (new.${raw(key)}); end`.execute(db);
    },
    textSearch: sqliteTextSearch,
  };
}

/**
 * Opens a SQLite database file for the gateway: WAL journal with `synchronous=FULL`, so a committed transaction
 * survives power loss, not only a process crash (https://sqlite.org/pragma.html#pragma_synchronous). The file and
 * its directory are created unless `create` is false. It reads the file before it resolves: a missing file (with
 * `create: false`), a file that is not a SQLite database or one that cannot be opened fails with
 * `LH_ERR_STORE_UNAVAILABLE`, naming the file. The connection runs on a worker thread ({@link SqliteWorkerDialect}).
 */
export async function openSqliteKysely(
  path: string,
  options: { create: boolean },
): Promise<{ db: Kysely<Database>; profile: DialectProfile }> {
  if (path !== ':memory:') {
    if (options.create) mkdirSync(dirname(path), { recursive: true });
    else if (!existsSync(path)) {
      throw LivehooksError.of('LH_ERR_STORE_UNAVAILABLE', {
        action: `open the SQLite database ${path}`,
        reason: 'it does not exist',
      });
    }
  }
  const pragmas = [
    'journal_mode = WAL',
    'synchronous = FULL',
    `busy_timeout = ${BUSY_TIMEOUT_MS}`,
    // 32 MiB of page cache keeps the hot index pages of a busy gateway in memory.
    'cache_size = -32768',
  ];
  const dialect = new SqliteWorkerDialect({ path, pragmas });
  const db = new Kysely<Database>({ dialect });
  try {
    // Reads the header and the schema: a file that is not a database fails here, not in the first query.
    await sql`select count(*) from sqlite_master`.execute(db);
  } catch (cause) {
    await db.destroy();
    const code = (cause as { code?: unknown }).code;
    const reason = (typeof code === 'string' ? OPEN_FAILURES[code] : undefined) ?? (cause as Error).message;
    throw LivehooksError.of(
      'LH_ERR_STORE_UNAVAILABLE',
      { action: `open the SQLite database ${path}`, reason },
      { cause },
    );
  }
  return {
    db,
    profile: {
      ...sqliteProfile(path),
      executeTransaction: (queries) => dialect.executeTransaction(queries),
      hostInWriter: (name, url, options, onMessage) => dialect.host(name, url, options, onMessage),
    },
  };
}

import { Kysely, PostgresDialect, sql, type SqlBool } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import { allOf, containsPattern, sqlName, type DialectProfile, type TextSearch } from './dialect-profile.js';

/** PostgreSQL type OIDs read differently from pg's defaults. */
const INT8_OID = 20;
const JSON_OID = 114;
const JSONB_OID = 3802;

/**
 * SQLSTATE classes that blame the statement's values: 22 data exception, 23 integrity constraint
 * violation, 54 program limit exceeded (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 */
const DATA_ERROR = /^(22|23|54)/;

/** Options for {@link createPostgresKysely}. */
export interface PostgresOptions {
  connectionString: string;
  schema: string;
  /** Pool size. Default 10. */
  poolSize?: number;
  /** Called when an idle pooled connection fails (e.g. the server restarted); the pool replaces it. */
  onIdleError?: (error: Error) => void;
}

/**
 * `pg_trgm`'s GIN index `<table>_<column>_trgm` serves `ILIKE '%term%'`
 * (postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX) and follows the table by itself. Creating the
 * extension needs the right to (it is a trusted extension since PostgreSQL 13); without it the same queries
 * run as scans.
 */
const postgresTextSearch: TextSearch = {
  async createIndex(db, { table, column }) {
    // A refused CREATE EXTENSION must not abort the migration's transaction: try it under a savepoint.
    await sql`savepoint livehooks_pg_trgm`.execute(db);
    try {
      // In `public`, not the gateway's schema: the extension is database-wide, and a schema dropped with
      // CASCADE would take the other schemas' trigram indexes with it.
      await sql`create extension if not exists pg_trgm with schema public`.execute(db);
      await sql`release savepoint livehooks_pg_trgm`.execute(db);
    } catch {
      await sql`rollback to savepoint livehooks_pg_trgm`.execute(db);
    }
    const found = await sql<{ schema: string }>`
      select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'pg_trgm'`.execute(db);
    const schema = found.rows[0]?.schema;
    if (schema === undefined) return;
    await sql`create index ${sql.id(sqlName(`${table}_${column}_trgm`))} on ${sql.id(sqlName(table))} using gin (${sql.id(sqlName(column))} ${sql.id(schema)}.gin_trgm_ops)`.execute(
      db,
    );
  },
  async add() {},
  async clear() {},
  matches({ table, column }, terms) {
    return allOf(
      terms.map(
        (term) => sql<SqlBool>`${sql.ref(`${table}.${column}`)} ilike ${containsPattern(term)} escape '\\'`,
      ),
    );
  },
};

/** The PostgreSQL profile: `uuid` ids, `jsonb` documents, `bytea` raw bytes. */
export function postgresProfile(schema: string, description: string): DialectProfile {
  return {
    name: 'postgres',
    types: { id: 'uuid', json: 'jsonb', bytes: 'bytea' },
    maxParameters: 65535,
    isDataError: (error) =>
      typeof (error as { code?: unknown }).code === 'string' &&
      DATA_ERROR.test((error as { code: string }).code),
    // SQLSTATE classes 08 connection exception, 53 insufficient resources, 57 operator intervention and 58
    // system error (https://www.postgresql.org/docs/current/errcodes-appendix.html).
    isOutage: (error) => /^(08|53|57|58)[0-9A-Z]{3}$/.test(codeOf(error)),
    schema,
    prepare: async (db) => {
      try {
        await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
      } catch (error) {
        // Two replicas starting at once race on the catalog; losing that race is fine if the schema exists.
        const found = await sql`select 1 from pg_namespace where nspname = ${schema}`.execute(db);
        if (found.rows.length === 0) throw error;
      }
    },
    description,
    skipLocked: true,
    async lockTransaction(trx, name) {
      // Per schema: deployments sharing a database each have their own lock.
      await sql`select pg_advisory_xact_lock(hashtext(current_schema() || ${`.${name}`}))`.execute(trx);
    },
    async createQueueTrigger(db, { name, table, key, queue, column, function: fn }) {
      const raw = (part: string) => sql.raw(sqlName(part));
      const qualified = sql`${sql.id(schema)}.${raw(fn)}`;
      // The schema is spelled out: a trigger runs with the search_path of whoever inserts.
      await sql`create or replace function ${qualified}() returns trigger language plpgsql as $$
      begin
        insert into ${sql.id(schema)}.${raw(queue)} (${raw(column)}) values (new.${raw(key)});
        return null;
      end $$`.execute(db);
      await sql`create trigger ${raw(name)} after insert on ${raw(table)}
      for each row execute function ${qualified}()`.execute(db);
    },
    textSearch: postgresTextSearch,
  };
}

/**
 * Opens a pg pool for the gateway. Every connection's `search_path` is the configured schema, so several
 * deployments (or test runs) can share one database. Bigints (epoch milliseconds) are read as numbers and
 * JSON as text, so rows look the same as on SQLite.
 */
export function createPostgresKysely(options: PostgresOptions): {
  db: Kysely<Database>;
  profile: DialectProfile;
} {
  const url = new URL(options.connectionString);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.poolSize ?? 10,
    // Fail fast when the database is unreachable: a sender waits at most 5 s (TRTC,
    // https://trtc.io/document/39558).
    connectionTimeoutMillis: 3000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 10_000,
    options: `-c search_path=${options.schema}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === INT8_OID) return (value: string) => Number(value);
        if (oid === JSON_OID || oid === JSONB_OID) return (value: string) => value;
        return (
          format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid)
        ) as (value: string) => unknown;
      }) as typeof pg.types.getTypeParser,
    },
  });
  // A client that loses its connection emits 'error' (on the pool when idle, on the client when checked
  // out); unhandled, either would crash the process. The failed query itself rejects and is answered 503.
  pool.on('error', (error) => options.onIdleError?.(error));
  pool.on('connect', (client) => client.on('error', (error) => options.onIdleError?.(error)));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const description = `PostgreSQL ${url.host}${url.pathname} schema ${options.schema}`;
  return { db, profile: postgresProfile(options.schema, description) };
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : '';
}

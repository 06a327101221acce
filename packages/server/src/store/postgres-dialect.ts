import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from './database.js';
import type { DialectProfile } from './dialect-profile.js';

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

/** The PostgreSQL profile: `uuid` ids, `jsonb` documents, `bytea` raw bytes. */
export function postgresProfile(schema: string, description: string): DialectProfile {
  return {
    name: 'postgres',
    types: { id: 'uuid', json: 'jsonb', bytes: 'bytea' },
    maxParameters: 65535,
    isDataError: (error) =>
      typeof (error as { code?: unknown }).code === 'string' &&
      DATA_ERROR.test((error as { code: string }).code),
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

import type { ColumnDataType, CompiledQuery, Kysely, QueryResult } from 'kysely';
import type { Database } from './database.js';

/**
 * What differs between the two databases, as data rather than `if (postgres)` branches: column types,
 * statement limits, and which errors blame one row rather than the database.
 */
export interface DialectProfile {
  readonly name: 'sqlite' | 'postgres';
  /** Column types for the gateway's logical types. */
  readonly types: {
    /** UUIDv7 ids, compared byte-wise so they sort by time. */
    readonly id: ColumnDataType;
    /** JSON documents. */
    readonly json: ColumnDataType;
    /** Raw bytes. */
    readonly bytes: ColumnDataType;
  };
  /** The most bound parameters one statement may carry. */
  readonly maxParameters: number;
  /**
   * True when an error is caused by the data of a statement (a value the database refuses) rather than by
   * the database being unreachable, locked or full: the batch is then retried row by row, so one bad row
   * cannot hold back the others.
   */
  isDataError(error: unknown): boolean;
  /**
   * The PostgreSQL schema holding the tables (also Kysely's migration tables: introspection would otherwise
   * find another schema's), or undefined on SQLite.
   */
  readonly schema: string | undefined;
  /**
   * Runs compiled statements as one transaction in a single round trip, when the dialect can (the SQLite
   * worker); otherwise the store uses a Kysely transaction.
   */
  readonly executeTransaction?: (queries: readonly CompiledQuery[]) => Promise<QueryResult<unknown>[]>;
  /** Runs before the migrations, e.g. to create the PostgreSQL schema. */
  prepare(db: Kysely<Database>): Promise<void>;
  /** A one-line description of the database for logs, without credentials. */
  readonly description: string;
}

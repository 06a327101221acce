import type { HostedModule } from './sqlite-worker-dialect.js';
import {
  sql,
  type ColumnDataType,
  type CompiledQuery,
  type Expression,
  type Kysely,
  type QueryExecutorProvider,
  type QueryResult,
  type SqlBool,
} from 'kysely';
import type { Database } from './database.js';

/**
 * A trigger that queues every row a table gains: in the transaction that inserts the row, whatever code path
 * inserted it, the row's key is inserted into a queue table. Names are SQL identifiers written by the
 * gateway (lowercase letters, digits and `_`), never input.
 */
export interface QueueTrigger {
  /** The trigger's name. */
  readonly name: string;
  /** The table whose inserts are queued. */
  readonly table: string;
  /** The column of `table` that is queued. */
  readonly key: string;
  /** The queue table. */
  readonly queue: string;
  /** The column of `queue` that receives the key. */
  readonly column: string;
  /** The name of the function the trigger runs, where the database needs one (PostgreSQL). */
  readonly function: string;
}

/** A text column searched by substring, and the key column that identifies its rows. */
export interface TextColumn {
  readonly table: string;
  readonly key: string;
  readonly column: string;
}

/**
 * How one database searches a text column by substring, Chinese included. Word tokenizers split neither
 * Chinese nor Japanese, so both dialects index character trigrams: any substring of 3 characters or more
 * is found through the index; shorter terms (`北京`) fall back to a substring scan.
 */
export interface TextSearch {
  /** Creates the index structures of a column (inside a migration). */
  createIndex(db: Kysely<unknown>, text: TextColumn): Promise<void>;
  /** Adds newly written rows to the index, in the writer's transaction. */
  add(
    db: QueryExecutorProvider,
    text: TextColumn,
    rows: readonly { key: string; text: string }[],
  ): Promise<void>;
  /** Empties the index (before a rebuild). */
  clear(db: QueryExecutorProvider, text: TextColumn): Promise<void>;
  /** A condition on `text.table`, true when the column contains every term, case-insensitively. */
  matches(text: TextColumn, terms: readonly string[]): Expression<SqlBool>;
}

/**
 * What differs between the two databases, as data and capabilities rather than `if (postgres)` branches:
 * column types, statement limits, which errors blame one row rather than the database, how writers share
 * work, triggers and text search. Feature code asks for a capability, never for the dialect's name.
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
   * True when an error's code says the database cannot serve now (busy, unreachable, full, out of
   * resources) rather than that a statement is wrong: the request is answered 503 and retried later, not
   * 500.
   */
  isOutage(error: unknown): boolean;
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
  /**
   * Loads a module onto the thread that holds the connection, where it works on it without a round trip per
   * statement (the SQLite worker: `SqliteWorkerDialect.host`); undefined where the database is reached
   * over a network (PostgreSQL).
   */
  readonly hostInWriter?: (
    name: string,
    url: URL,
    options: unknown,
    onMessage: (body: unknown) => void,
  ) => Promise<HostedModule>;
  /** Runs before the migrations, e.g. to create the PostgreSQL schema. */
  prepare(db: Kysely<Database>): Promise<void>;
  /** A one-line description of the database for logs, without credentials. */
  readonly description: string;
  /**
   * True when several processes may claim rows of one table at once, each skipping the rows another holds
   * (`FOR UPDATE SKIP LOCKED`); false where writers are serialised and one process serves the database.
   */
  readonly skipLocked: boolean;
  /**
   * Holds the lock `name` until the transaction ends, so that one transaction at a time, across processes
   * sharing the database, runs what follows. Where writers are serialised already it does nothing.
   */
  lockTransaction(trx: QueryExecutorProvider, name: string): Promise<void>;
  /** Creates a {@link QueueTrigger} (inside a migration). */
  createQueueTrigger(db: Kysely<unknown>, trigger: QueueTrigger): Promise<void>;
  /** Substring search over a text column. */
  readonly textSearch: TextSearch;
}

/** `name` when it is a plain lowercase SQL identifier; throws otherwise, so it can be written into SQL. */
export function sqlName(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new TypeError(`not a plain SQL identifier: ${name}`);
  return name;
}

/** `term` as a LIKE pattern that matches it anywhere, its wildcards escaped with a backslash (`escape '\\'`). */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** A condition true when every one of `conditions` is (true when there are none). */
export function allOf(conditions: readonly Expression<SqlBool>[]): Expression<SqlBool> {
  return conditions.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

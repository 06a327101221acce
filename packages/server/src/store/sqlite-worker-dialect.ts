import { Worker } from 'node:worker_threads';
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type Kysely,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';

/** Options for {@link SqliteWorkerDialect}. */
export interface SqliteWorkerDialectOptions {
  /** The database file (created when missing), or `:memory:`. */
  path: string;
  /** Pragmas applied when the connection opens, e.g. `journal_mode = WAL`. */
  pragmas: readonly string[];
}

interface Result {
  rows?: Record<string, unknown>[];
  changes?: number;
  lastInsertRowid?: number | bigint;
}

interface Reply extends Result {
  id: number;
  results?: Result[];
  /** The answer of a hosted module. */
  result?: unknown;
  /** A message a hosted module sent of its own accord (no id), with its name. */
  hosted?: string;
  body?: unknown;
  error?: { message: string; code?: string };
  closed?: boolean;
}

/** A module running on the worker thread beside the connection ({@link SqliteWorkerDialect.host}). */
export interface HostedModule {
  /** Sends `body` to the module's `handle` and resolves with its answer. */
  request(body: unknown): Promise<unknown>;
}

function toQueryResult<R>(result: Result): QueryResult<R> {
  const rows = (result.rows ?? []).map(toBuffers) as R[];
  if (result.changes === undefined) return { rows };
  return {
    rows,
    numAffectedRows: BigInt(result.changes),
    ...(result.lastInsertRowid === undefined ? {} : { insertId: BigInt(result.lastInsertRowid) }),
  };
}

/** An error raised by SQLite in the worker, with its `SQLITE_*` code. */
class SqliteWorkerError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'SqliteError';
    this.code = code;
  }
}

/** Structured clone turns Buffers into Uint8Arrays; rows read as Buffers, as with better-sqlite3 itself. */
function toBuffers(row: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) {
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return row;
}

/**
 * SQLite does run DDL in transactions: migrations then run in one IMMEDIATE transaction, which also serialises
 * two processes migrating the same file (Kysely's SQLite adapter assumes a single process and takes no lock).
 */
class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

class Mutex {
  #tail: Promise<void> = Promise.resolve();
  #release: (() => void) | undefined;

  async lock(): Promise<void> {
    const previous = this.#tail;
    let release!: () => void;
    this.#tail = new Promise((resolve) => (release = resolve));
    await previous;
    this.#release = release;
  }

  unlock(): void {
    const release = this.#release;
    this.#release = undefined;
    release?.();
  }
}

class SqliteWorkerDriver implements Driver {
  readonly #options: SqliteWorkerDialectOptions;
  readonly #mutex = new Mutex();
  readonly #pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  readonly #hosted = new Map<string, (body: unknown) => void>();
  #worker: Worker | undefined;
  #nextId = 0;
  #connection: DatabaseConnection | undefined;

  constructor(options: SqliteWorkerDialectOptions) {
    this.#options = options;
  }

  #initialised: Promise<void> | undefined;

  /** Starts the worker once, whoever asks first: Kysely, or {@link executeTransaction}. */
  init(): Promise<void> {
    this.#initialised ??= this.#start();
    return this.#initialised;
  }

  /** Runs statements as one transaction in a single message to the worker. */
  async executeTransaction(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    await this.init();
    await this.#mutex.lock();
    try {
      const reply = await this.#send({
        transaction: queries.map((query) => ({ sql: query.sql, parameters: query.parameters })),
      });
      return (reply.results ?? []).map((result) => toQueryResult(result));
    } finally {
      this.#mutex.unlock();
    }
  }

  async #start(): Promise<void> {
    const worker = new Worker(new URL('./sqlite-worker.js', import.meta.url), {
      workerData: { path: this.#options.path, pragmas: this.#options.pragmas },
    });
    try {
      await new Promise<void>((resolve, reject) => {
        worker.once('message', (message: { ready: boolean; error?: { message: string; code?: string } }) => {
          if (message.ready) resolve();
          else reject(new SqliteWorkerError(message.error?.message ?? 'cannot open', message.error?.code));
        });
        worker.once('error', reject);
      });
    } catch (error) {
      // A worker that could not open the file still listens for queries and would keep the process alive.
      await worker.terminate();
      throw error;
    }
    worker.on('message', (reply: Reply) => {
      if (reply.hosted !== undefined) {
        this.#hosted.get(reply.hosted)?.(reply.body);
        return;
      }
      const pending = this.#pending.get(reply.id);
      if (pending === undefined) return;
      this.#settled(reply.id);
      if (reply.error !== undefined)
        pending.reject(new SqliteWorkerError(reply.error.message, reply.error.code));
      else pending.resolve(reply);
    });
    const fail = (error: Error): void => {
      this.#worker = undefined;
      for (const [id, pending] of this.#pending) {
        this.#settled(id);
        pending.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) =>
      fail(new SqliteWorkerError(`the SQLite worker exited (${code})`, 'SQLITE_IOERR')),
    );
    // Idle, the worker does not keep the process alive; a pending query does.
    worker.unref();
    this.#worker = worker;
    this.#connection = {
      executeQuery: async <R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> =>
        toQueryResult<R>(await this.#send({ sql: compiledQuery.sql, parameters: compiledQuery.parameters })),
      streamQuery: () => {
        throw new Error('streaming queries are not supported by the SQLite worker dialect');
      },
    };
  }

  /** Loads the module at `url` on the worker thread ({@link SqliteWorkerDialect.host}). */
  async host(
    name: string,
    url: URL,
    options: unknown,
    onMessage: (body: unknown) => void,
  ): Promise<HostedModule> {
    await this.init();
    this.#hosted.set(name, onMessage);
    await this.#send({ host: { name, url: url.href, options } });
    return { request: async (body) => (await this.#send({ to: name, body })).result };
  }

  #send(message: Record<string, unknown>): Promise<Reply> {
    const worker = this.#worker;
    if (worker === undefined) {
      return Promise.reject(new SqliteWorkerError('the SQLite worker is not running', 'SQLITE_IOERR'));
    }
    const id = ++this.#nextId;
    if (this.#pending.size === 0) worker.ref();
    return new Promise<Reply>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.postMessage({ id, ...message });
    });
  }

  #settled(id: number): void {
    this.#pending.delete(id);
    if (this.#pending.size === 0) this.#worker?.unref();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection, as with SQLite itself: queries and transactions take turns.
    await this.#mutex.lock();
    return this.#connection!;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    // IMMEDIATE takes the write lock up front: another process's writer waits (busy_timeout) instead of both
    // reading a snapshot and failing when one upgrades to write (SQLITE_BUSY_SNAPSHOT).
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  releaseConnection(): Promise<void> {
    this.#mutex.unlock();
    return Promise.resolve();
  }

  async destroy(): Promise<void> {
    const worker = this.#worker;
    if (worker === undefined) return;
    await this.#send({ close: true });
    await worker.terminate();
    this.#worker = undefined;
  }
}

/**
 * A Kysely dialect for SQLite (better-sqlite3) whose single connection lives on a worker thread: statements
 * run and commits reach the disk while the event loop keeps serving requests, unlike a synchronous driver
 * that blocks it for every fsync.
 *
 * @example
 * ```ts
 * const db = new Kysely<Database>({
 *   dialect: new SqliteWorkerDialect({ path: './data/livehooks.db', pragmas: ['journal_mode = WAL'] }),
 * });
 * ```
 */
export class SqliteWorkerDialect implements Dialect {
  readonly #driver: SqliteWorkerDriver;

  constructor(options: SqliteWorkerDialectOptions) {
    this.#driver = new SqliteWorkerDriver(options);
  }

  createDriver(): Driver {
    return this.#driver;
  }

  /**
   * Runs compiled statements as one transaction (BEGIN, statements, COMMIT; ROLLBACK on error) in a single
   * message to the worker, so a commit does not wait for the event loop between its statements.
   */
  executeTransaction(queries: readonly CompiledQuery[]): Promise<QueryResult<unknown>[]> {
    return this.#driver.executeTransaction(queries);
  }

  /**
   * Loads the module at `url` onto the worker thread, beside the connection: its `hostInWriter(context)` export
   * gets `{ database, options, post, runExclusive }` (the better-sqlite3 connection; `post(body)` sends a
   * message to `onMessage`; `runExclusive(work)` runs async work alone on the connection, outside any
   * transaction of this thread) and returns `{ handle(body) }`, which answers {@link HostedModule.request}. A
   * module working there pays no round trip per statement and leaves the event loop of this thread alone.
   */
  host(name: string, url: URL, options: unknown, onMessage: (body: unknown) => void): Promise<HostedModule> {
    return this.#driver.host(name, url, options, onMessage);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new TransactionalSqliteAdapter();
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

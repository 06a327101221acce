// The SQLite connection of a store, on a thread of its own: inserts, commits and their fsync run here, so the
// gateway's event loop keeps reading requests while a group commit reaches the disk. Modules hosted here (the
// projector) work on the same connection without a round trip per statement. Plain JavaScript so the same
// file runs from the sources (tests) and from dist.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

/** Prepared statements by SQL text: group commits reuse a handful of statement shapes. */
const STATEMENT_CACHE_SIZE = 256;

const port = parentPort;
let db;
try {
  db = new Database(workerData.path);
  for (const pragma of workerData.pragmas) db.pragma(pragma);
  port.postMessage({ ready: true });
} catch (error) {
  port.postMessage({ ready: false, error: { message: error.message, code: error.code } });
}

const statements = new Map();

function prepare(sql) {
  let statement = statements.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value);
    statements.set(sql, statement);
  }
  return statement;
}

/** Modules hosted on this thread, by name: `{ handle(body) }` answers the main thread's requests. */
const hosted = new Map();
/** Messages that arrived while a hosted module held the connection, handled in order once it is done. */
const held = [];
let exclusive = false;

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `work` of a hosted module alone on the connection: after the messages already queued, outside any
 * transaction the main thread has open, and with messages arriving meanwhile held until it is done.
 */
async function runExclusive(work) {
  await nextTurn();
  // A transaction of the main thread waits for its next statement: give it time rather than spin.
  while (exclusive || db.inTransaction) await new Promise((resolve) => setTimeout(resolve, 1));
  exclusive = true;
  try {
    return await work();
  } finally {
    exclusive = false;
    for (const message of held.splice(0)) handle(message);
  }
}

/** Imports a hosted module: TypeScript sources (tests) through tsx, built JavaScript as it is. */
async function importModule(url) {
  if (!url.endsWith('.ts')) return import(url);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(url, import.meta.url);
}

async function host(message) {
  const { name, url, options } = message.host;
  const module = await importModule(url);
  const post = (body) => port.postMessage({ hosted: name, body });
  hosted.set(name, await module.hostInWriter({ database: db, options, post, runExclusive }));
}

function reply(id, work) {
  work.then(
    (result) => port.postMessage({ id, result }),
    (error) => port.postMessage({ id, error: { message: error.message, code: error.code } }),
  );
}

port.on('message', handle);

function handle(message) {
  if (exclusive) {
    held.push(message);
    return;
  }
  if (message.host) {
    reply(message.id, host(message));
    return;
  }
  if (message.to !== undefined) {
    const module = hosted.get(message.to);
    reply(
      message.id,
      module === undefined
        ? Promise.reject(new Error(`nothing hosted as ${message.to}`))
        : module.handle(message.body),
    );
    return;
  }
  if (message.close) {
    try {
      db?.close();
    } finally {
      port.postMessage({ id: message.id, closed: true });
      port.close();
    }
    return;
  }
  if (message.transaction) {
    try {
      // better-sqlite3's transaction(): BEGIN IMMEDIATE, every statement, COMMIT; ROLLBACK when one throws.
      const results = db.transaction((queries) => queries.map(execute)).immediate(message.transaction);
      port.postMessage({ id: message.id, results });
    } catch (error) {
      port.postMessage({ id: message.id, error: { message: error.message, code: error.code } });
    }
    return;
  }
  try {
    port.postMessage({ id: message.id, ...execute(message) });
  } catch (error) {
    port.postMessage({ id: message.id, error: { message: error.message, code: error.code } });
  }
}

function execute(query) {
  const statement = prepare(query.sql);
  if (statement.reader) return { rows: statement.all(query.parameters) };
  const { changes, lastInsertRowid } = statement.run(query.parameters);
  return { rows: [], changes, lastInsertRowid };
}

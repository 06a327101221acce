// The SQLite connection of a store, on a thread of its own: inserts, commits and their fsync run here, so the
// gateway's event loop keeps reading requests while a group commit reaches the disk. Plain JavaScript so the
// same file runs from the sources (tests) and from dist.
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

port.on('message', (message) => {
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
});

function execute(query) {
  const statement = prepare(query.sql);
  if (statement.reader) return { rows: statement.all(query.parameters) };
  const { changes, lastInsertRowid } = statement.run(query.parameters);
  return { rows: [], changes, lastInsertRowid };
}

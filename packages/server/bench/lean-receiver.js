// The lean durable receiver of the ingest benchmark: node:http, the signature check, JSON.parse, a dedupe key,
// the row queued; one setImmediate commits the whole queue in one transaction (WAL, synchronous=FULL, INSERT OR
// IGNORE on the unique dedupe key, raw bytes kept) and only then answers every request of the batch. The same
// guarantee as the gateway (nothing acknowledged that is not on disk, duplicates absorbed), with nothing else.
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { createEventsTable, cssSigned, dedupeKeyOf, reportListening, trtcSigned } from './hand-written.js';

const db = new Database(process.env.BENCH_DB);
const insert = createEventsTable(db);
db.pragma('synchronous = FULL');
const commit = db.transaction((rows) => {
  for (const row of rows) insert.run(row.key, row.at, row.raw);
});
let queue = [];

function answer(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': body.length });
  response.end(body);
}

function flush() {
  const batch = queue;
  queue = [];
  try {
    commit(batch);
  } catch {
    for (const row of batch) answer(row.response, 503, '{"code":-1}');
    return;
  }
  for (const row of batch) answer(row.response, 200, '{"code":0}');
}

const server = createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const raw = Buffer.concat(chunks);
    const trtc = request.headers.sdkappid !== undefined;
    let body;
    try {
      if (trtc && !trtcSigned(request.headers, raw)) return answer(response, 401, '{"code":-1}');
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return answer(response, 400, '{"code":-1}');
    }
    if (!trtc && !cssSigned(request.url, body)) return answer(response, 401, '{"code":-1}');
    if (queue.length === 0) setImmediate(flush);
    queue.push({ key: dedupeKeyOf(body, raw), at: Date.now(), raw, response });
  });
});
server.listen(0, '127.0.0.1', () => reportListening(server));

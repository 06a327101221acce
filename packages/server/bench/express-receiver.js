// The Express receiver of the ingest benchmark, as Express users write one: express.json() (keeping the raw
// bytes for the TRTC HMAC), the signature check, one better-sqlite3 insert per request (WAL), then the answer.
import Database from 'better-sqlite3';
import express from 'express';
import { createEventsTable, cssSigned, dedupeKeyOf, reportListening, trtcSigned } from './hand-written.js';

const insert = createEventsTable(new Database(process.env.BENCH_DB));
const app = express();
app.use(
  express.json({
    verify: (request, _response, raw) => {
      request.raw = raw;
    },
  }),
);
app.post(['/callbacks', '/callbacks/:secret'], (request, response) => {
  const signed =
    request.headers.sdkappid === undefined
      ? cssSigned(request.path, request.body)
      : trtcSigned(request.headers, request.raw);
  if (!signed) return response.status(401).json({ code: -1 });
  insert.run(dedupeKeyOf(request.body, request.raw), Date.now(), request.raw);
  response.json({ code: 0 });
});
const server = app.listen(0, '127.0.0.1', () => reportListening(server));

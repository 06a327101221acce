// The webhook endpoint of the benchmarks, in a process of its own so that the load generator does not slow its
// answers: it answers 204 at once and records the first arrival of each event by its dedupe key. Over IPC,
// `{ arrivals: true }` is answered with those arrivals as [dedupe key, ms since the epoch] pairs, and
// `{ clear: true }` forgets them.
import { createServer } from 'node:http';

const arrivals = new Map();
const server = createServer({ keepAliveTimeout: 60_000 }, (request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const at = Date.now();
    const { dedupeKey } = JSON.parse(Buffer.concat(chunks).toString());
    if (!arrivals.has(dedupeKey)) arrivals.set(dedupeKey, at);
    response.writeHead(204).end();
  });
});
process.on('message', (message) => {
  if (message.clear) arrivals.clear();
  if (message.arrivals) process.send({ arrivals: [...arrivals] });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({
    url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hooks`,
  });
});

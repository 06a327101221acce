// The baseline of the ingest benchmark: a bare node:http server that reads the body and answers {"code":0}.
import { createServer } from 'node:http';

const server = createServer((request, response) => {
  request.on('data', () => {});
  request.on('end', () => {
    response.writeHead(200, { 'content-type': 'application/json', 'content-length': '10' });
    response.end('{"code":0}');
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.send?.({ url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` });
});

import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request that reached the proxy, and what the sender was told. */
export interface ProxiedRequest {
  at: number;
  body: Buffer;
  headers: Record<string, string | string[] | undefined>;
  /** The status the gateway answered. */
  upstreamStatus: number;
  /** The status the sender got. */
  answeredStatus: number;
}

/** A proxy in front of a receiver that loses the first answers, as a flaky network would. */
export interface FlakyProxy {
  url: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * Forwards every request to `target` (so the gateway stores the callback on the first attempt),
 * but answers the sender 502 for the first `failFirst` requests: Tencent's sender sees failures and
 * retries a callback the gateway already holds.
 */
export async function startFlakyProxy(target: string, failFirst: number): Promise<FlakyProxy> {
  const requests: ProxiedRequest[] = [];
  const upstream = new URL(target);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const forward = request(
        upstream,
        { method: 'POST', headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          const parts: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => parts.push(chunk));
          answer.on('end', () => {
            const fail = requests.length < failFirst;
            const status = fail ? 502 : (answer.statusCode ?? 500);
            requests.push({
              at: Date.now(),
              body,
              headers: req.headers,
              upstreamStatus: answer.statusCode ?? 0,
              answeredStatus: status,
            });
            res.writeHead(status, { 'content-type': 'application/json' });
            res.end(fail ? '{"code":502,"error":"bad gateway"}' : Buffer.concat(parts));
          });
        },
      );
      forward.on('error', () => {
        res.writeHead(502);
        res.end();
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${upstream.pathname}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

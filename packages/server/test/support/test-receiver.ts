import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver got. */
export interface ReceivedRequest {
  headers: IncomingMessage['headers'];
  body: string;
  url: string;
}

/** How the receiver answers the next request: a status, or `hang` (never answers). */
export type ReceiverBehaviour = number | 'hang';

/** A real HTTP receiver on loopback whose answers a test scripts. */
export interface TestReceiver {
  url: string;
  requests: ReceivedRequest[];
  /** Answers to give, in order; after them, `fallback`. */
  script: ReceiverBehaviour[];
  fallback: ReceiverBehaviour;
  /** The body answered with a 2xx. */
  answerBody: string;
  /** Forgets the requests and answers as it did when it started, for the next test. */
  reset(): void;
  close(): Promise<void>;
}

/** Starts a receiver on 127.0.0.1 with a random port. */
export async function startTestReceiver(fallback: ReceiverBehaviour = 200): Promise<TestReceiver> {
  const hanging = new Set<ServerResponse>();
  const receiver: TestReceiver = {
    url: '',
    requests: [],
    script: [],
    fallback,
    answerBody: '',
    reset: () => {
      receiver.requests.length = 0;
      receiver.script.length = 0;
      receiver.fallback = fallback;
      receiver.answerBody = '';
    },
    close: () =>
      new Promise((resolve) => {
        for (const response of hanging) response.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      receiver.requests.push({
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        url: request.url ?? '',
      });
      const behaviour = receiver.script.shift() ?? receiver.fallback;
      if (behaviour === 'hang') {
        hanging.add(response);
        return;
      }
      response.writeHead(behaviour, { 'content-type': 'application/json' }).end(receiver.answerBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  return receiver;
}

/** Polls `check` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(
    `condition not met within ${timeoutMs} ms${last instanceof Error ? `: ${last.message}` : ''}`,
  );
}

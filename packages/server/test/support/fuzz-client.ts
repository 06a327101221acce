import { request as httpRequest, Agent } from 'node:http';
import { connect } from 'node:net';

/** One HTTP answer as it came over the socket. */
export interface FuzzAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

/** What one request produced: the answers read (one, or more when the bytes held several requests). */
export interface FuzzExchange {
  answers: FuzzAnswer[];
  /** A socket-level failure (reset, timeout) that ended the exchange, if any. */
  failure?: string;
}

/** How long one request may take before the exchange counts as unanswered. */
const EXCHANGE_TIMEOUT_MS = 10_000;

/**
 * Sends well-formed requests with `node:http` over kept-alive loopback connections, the way a real
 * sender does; requests an HTTP client would refuse to send go through {@link sendRawBytes}.
 */
export function createHttpSender(port: number) {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  const attempt = (
    method: string,
    path: string,
    headers: readonly (readonly [string, string])[],
    body: Buffer,
    reuse: boolean,
  ) =>
    new Promise<FuzzExchange & { stale?: boolean }>((resolve) => {
      const flat: string[] = [];
      for (const [name, value] of headers) flat.push(name, value);
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          headers: flat,
          agent: reuse ? agent : false,
          timeout: EXCHANGE_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const out: Record<string, string> = {};
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
            }
            resolve({
              answers: [{ status: res.statusCode ?? 0, headers: out, body: Buffer.concat(chunks) }],
            });
          });
          res.on('error', (error) => resolve({ answers: [], failure: error.message }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      // A kept-alive socket the server closed while idle fails on reuse; that says nothing about this request.
      req.on('error', (error) => resolve({ answers: [], failure: error.message, stale: req.reusedSocket }));
      req.end(body);
    });
  return {
    async send(method: string, path: string, headers: readonly (readonly [string, string])[], body: Buffer) {
      const first = await attempt(method, path, headers, body, true);
      if (first.stale !== true) return first;
      return attempt(method, path, headers, body, false);
    },
    close() {
      agent.destroy();
    },
  };
}

/**
 * Writes `bytes` on a fresh loopback socket and reads until the server closes it (or the timeout),
 * then splits what came back into HTTP answers. `halfClose` ends the writing side after the bytes, like a
 * sender that gives up mid-body.
 */
export function sendRawBytes(
  port: number,
  bytes: Buffer,
  options: { halfClose: boolean; timeoutMs?: number },
): Promise<FuzzExchange> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    let failure: string | undefined;
    const timer = setTimeout(() => {
      failure = 'timed out';
      socket.destroy();
    }, options.timeoutMs ?? EXCHANGE_TIMEOUT_MS);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      // A complete answer to a request that asked to close ends the exchange even if the server lingers.
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      failure ??= error.code ?? error.message;
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const received = Buffer.concat(chunks);
      const answers = parseAnswers(received);
      resolve(failure === undefined ? { answers } : { answers, failure });
    });
    socket.write(bytes, () => {
      if (options.halfClose) socket.end();
    });
  });
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** Splits raw bytes into HTTP/1.1 answers (interim 1xx answers are skipped). */
export function parseAnswers(data: Buffer): FuzzAnswer[] {
  const answers: FuzzAnswer[] = [];
  let offset = 0;
  while (offset < data.length) {
    const headEnd = data.indexOf(HEAD_END, offset);
    if (headEnd === -1) {
      answers.push({ status: -1, headers: {}, body: data.subarray(offset) });
      break;
    }
    const [statusLine = '', ...lines] = data.subarray(offset, headEnd).toString('latin1').split('\r\n');
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? -1);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    offset = headEnd + HEAD_END.length;
    if (status >= 100 && status < 200) continue;
    let body: Buffer;
    if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      const parts: Buffer[] = [];
      for (;;) {
        const lineEnd = data.indexOf('\r\n', offset);
        if (lineEnd === -1) break;
        const size = Number.parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
        offset = lineEnd + 2;
        if (!(size > 0)) {
          offset = Math.min(data.length, offset + 2);
          break;
        }
        parts.push(data.subarray(offset, offset + size));
        offset += size + 2;
      }
      body = Buffer.concat(parts);
    } else if (headers['content-length'] !== undefined) {
      const length = Number(headers['content-length']);
      body = data.subarray(offset, offset + length);
      offset += length;
    } else {
      body = data.subarray(offset);
      offset = data.length;
    }
    answers.push({ status, headers, body });
  }
  return answers;
}

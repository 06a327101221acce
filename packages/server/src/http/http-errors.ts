import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { LivehooksError } from '@livehooks/core';
import type { FastifyError } from 'fastify';

/** An error raised by Fastify or Node's HTTP layer: a `code` and, for Fastify's own, a 4xx `statusCode`. */
type HttpLayerError = Pick<FastifyError, 'code' | 'message'> & { statusCode?: number };

/**
 * The {@link LivehooksError} answering an error raised by Fastify's routing or body reading, so every
 * answer has the `{ code, error }` shape and a stable code. Messages are written here, never taken from the
 * error: Fastify's quote the URL, which may carry the ingest secret.
 *
 * @example
 * ```ts
 * app.setErrorHandler((error, request, reply) => {
 *   const answer = toHttpError(error, { maxBodyBytes: 1_048_576 });
 *   if (answer) return reply.code(answer.status).send(answer.toJSON());
 * });
 * ```
 */
export function toHttpError(
  error: HttpLayerError,
  limits: { maxBodyBytes: number },
): LivehooksError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new LivehooksError(
        'LH_ERR_BODY_TOO_LARGE',
        `body exceeds the limit of ${limits.maxBodyBytes} bytes`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new LivehooksError(
        'LH_ERR_UNSUPPORTED_CONTENT',
        'the Content-Type header is not a valid media type',
      );
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new LivehooksError('LH_ERR_BODY_UNREADABLE', 'the body length does not match Content-Length');
    case 'FST_ERR_BAD_URL':
      return new LivehooksError('LH_ERR_BAD_REQUEST', 'the URL is not valid percent-encoding');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return new LivehooksError('LH_ERR_BAD_REQUEST', 'a path segment is too long', { status: 414 });
    case 'FST_ERR_VALIDATION':
      return new LivehooksError('LH_ERR_INVALID_QUERY', error.message.slice(0, 400));
  }
  const status = error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  // A body cut off mid-way (the client hung up, or the request timeout closed the connection).
  if (error.message === 'aborted' || error.code === 'ECONNRESET') {
    return new LivehooksError('LH_ERR_BODY_UNREADABLE', 'the body could not be read to its end');
  }
  return new LivehooksError('LH_ERR_BAD_REQUEST', `the request was refused (${error.code})`, { status });
}

/**
 * The error answering a request Node's HTTP parser refused before any route saw it (malformed request,
 * headers too large, headers or body too slow).
 */
export function toClientError(
  error: { code?: string | undefined },
  timeouts: { headersTimeoutMs: number; requestTimeoutMs: number },
): LivehooksError {
  switch (error.code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new LivehooksError(
        'LH_ERR_REQUEST_TIMEOUT',
        `the request headers did not arrive within ${timeouts.headersTimeoutMs} ms or the whole request within ${timeouts.requestTimeoutMs} ms`,
      );
    case 'HPE_HEADER_OVERFLOW':
      return new LivehooksError('LH_ERR_HEADERS_TOO_LARGE', 'the request headers exceed 16 KiB');
    default:
      return new LivehooksError('LH_ERR_BAD_REQUEST', 'the request is not well-formed HTTP/1.1');
  }
}

/**
 * Writes `error` as a complete HTTP answer on a raw socket and closes it, unless an answer already started
 * (a response in flight on that connection) or the client is gone.
 */
export function answerOnSocket(socket: Socket, error: LivehooksError): void {
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } | null })._httpMessage;
  if (socket.writable && inFlight?.headersSent !== true) {
    const body = JSON.stringify(error.toJSON());
    socket.write(
      `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}\r\n` +
        'Connection: close\r\nContent-Type: application/json; charset=utf-8\r\n' +
        `X-Content-Type-Options: nosniff\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy();
}

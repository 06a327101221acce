import { maxHeaderSize, STATUS_CODES } from 'node:http';
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
      return LivehooksError.of('LH_ERR_BODY_TOO_LARGE', { limit: limits.maxBodyBytes });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return LivehooksError.of('LH_ERR_UNSUPPORTED_CONTENT', { malformed: true });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return LivehooksError.of('LH_ERR_BODY_UNREADABLE', { reason: 'length-mismatch' });
    case 'FST_ERR_BAD_URL':
      return LivehooksError.of('LH_ERR_BAD_REQUEST', { reason: 'url-encoding' });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return LivehooksError.of('LH_ERR_BAD_REQUEST', { reason: 'path-segment-too-long' }, { status: 414 });
    case 'FST_ERR_VALIDATION':
      return LivehooksError.of('LH_ERR_INVALID_QUERY', { issue: error.message });
  }
  const status = error.statusCode;
  if (typeof status !== 'number' || status < 400 || status >= 500) return undefined;
  // A body cut off mid-way (the client hung up, or the request timeout closed the connection).
  if (error.message === 'aborted' || error.code === 'ECONNRESET') {
    return LivehooksError.of('LH_ERR_BODY_UNREADABLE', { reason: 'connection-closed' });
  }
  return LivehooksError.of('LH_ERR_BAD_REQUEST', { reason: 'refused', code: error.code }, { status });
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
      return LivehooksError.of('LH_ERR_REQUEST_TIMEOUT', timeouts);
    case 'HPE_HEADER_OVERFLOW':
      return LivehooksError.of('LH_ERR_HEADERS_TOO_LARGE', { limit: maxHeaderSize });
    default:
      return LivehooksError.of('LH_ERR_BAD_REQUEST', { reason: 'malformed-http' });
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

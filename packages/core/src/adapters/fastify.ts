import { LivehooksError } from '../errors/livehooks-error.js';
import type { CallbackResponse, Receiver } from '../receiver/create-receiver.js';

/** The part of a Fastify request the plugin uses. */
export interface FastifyRequestLike {
  readonly method: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body?: unknown;
}

/** The part of a Fastify reply the plugin uses. */
export interface FastifyReplyLike {
  code(statusCode: number): FastifyReplyLike;
  headers(values: Record<string, string>): FastifyReplyLike;
  send(payload?: unknown): FastifyReplyLike;
}

/** The part of a Fastify error the plugin reads. */
export interface FastifyErrorLike extends Error {
  readonly code?: string;
  readonly statusCode?: number;
}

/** The part of a Fastify instance the plugin uses, typed structurally so core does not import fastify. */
export interface FastifyInstanceLike {
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: (
      request: FastifyRequestLike,
      body: Uint8Array,
      done: (error: Error | null, body?: unknown) => void,
    ) => void,
  ): void;
  setErrorHandler(
    handler: (error: FastifyErrorLike, request: FastifyRequestLike, reply: FastifyReplyLike) => unknown,
  ): unknown;
  post(
    path: string,
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>,
  ): unknown;
}

/** Options for {@link createFastifyPlugin}. */
export interface LivehooksFastifyOptions {
  receiver: Receiver;
  /** The route's path inside the plugin's prefix. Default `/callbacks`. */
  path?: string;
}

function send(reply: FastifyReplyLike, response: CallbackResponse): FastifyReplyLike {
  return reply.code(response.status).headers(response.headers).send(response.body);
}

/** Fastify's own body errors, as the livehooks errors a receiver answers with. */
function bodyErrorOf(
  error: FastifyErrorLike,
  request: FastifyRequestLike,
  limit: number,
): LivehooksError | undefined {
  if (error.statusCode === 413) return LivehooksError.of('LH_ERR_BODY_TOO_LARGE', { limit });
  if (error.statusCode === 415) {
    const contentType = request.headers['content-type'];
    return LivehooksError.of('LH_ERR_UNSUPPORTED_CONTENT', {
      contentType: Array.isArray(contentType) ? contentType.join(', ') : (contentType ?? ''),
      malformed: true,
    });
  }
  if (error.code?.startsWith('FST_ERR_CTP_')) {
    return LivehooksError.of('LH_ERR_BODY_UNREADABLE', { reason: 'refused', code: error.code });
  }
  return undefined;
}

/**
 * The Fastify (5) plugin answering Tencent callbacks through a receiver with a POST route: register it
 * with the receiver in its options (it is the plugin itself, not a function returning one). In its own
 * encapsulated scope it replaces every content-type parser with one that keeps the raw bytes
 * (`parseAs: 'buffer'`), so routes outside the plugin keep Fastify's JSON parsing while TRTC
 * signatures are checked on the exact bytes (https://trtc.io/document/54912). Body errors Fastify raises
 * itself (too large, bad media type) are answered in the livehooks `{ code, error }` shape.
 *
 * @example
 * ```ts
 * const app = Fastify();
 * await app.register(createFastifyPlugin, { receiver, path: '/callbacks' });
 * await app.listen({ port: 8080 });
 * ```
 * @see https://www.tencentcloud.com/document/product/267/38080
 */
export function createFastifyPlugin(
  instance: FastifyInstanceLike,
  options: LivehooksFastifyOptions,
  done: (error?: Error) => void,
): void {
  const { receiver } = options;
  instance.removeAllContentTypeParsers();
  instance.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: receiver.maxBodyBytes },
    (_request, body, parsed) => parsed(null, body),
  );
  instance.setErrorHandler((error, request, reply) => {
    const bodyError = bodyErrorOf(error, request, receiver.maxBodyBytes);
    if (!bodyError) throw error;
    // Through the receiver, so onError hears about it like any other rejected callback.
    return receiver
      .handle({ method: request.method, headers: request.headers, readBody: () => Promise.reject(bodyError) })
      .then((response) => send(reply, response));
  });
  instance.post(options.path ?? '/callbacks', async (request, reply) => {
    const response = await receiver.handle({
      method: request.method,
      headers: request.headers,
      readBody: () => Promise.resolve(request.body instanceof Uint8Array ? request.body : new Uint8Array(0)),
    });
    return send(reply, response);
  });
  done();
}

/** @deprecated Use {@link createFastifyPlugin}. */
export const livehooksFastify = createFastifyPlugin;

import { createHash, timingSafeEqual } from 'node:crypto';
import {
  createEventId,
  isLivehooksError,
  LivehooksError,
  parseCallback,
  type Family,
  type ParseOptions,
} from '@livehooks/core';
import type { FastifyError, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import type { ServerConfig } from '../config/server-config.js';
import type { GatewayMetrics } from '../http/gateway-metrics.js';
import { createErrorHandler } from '../http/error-handler.js';
import { toHttpError } from '../http/http-errors.js';
import type { GroupCommitter } from '../store/group-committer.js';
import { exceedsJsonDepth, MAX_JSON_DEPTH } from './json-depth.js';
import { redactHeaders, redactPath } from '../http/redact.js';

/** What the ingest routes need. */
export interface IngestRoutesOptions {
  config: ServerConfig;
  committer: GroupCommitter;
  metrics: GatewayMetrics;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
  /** Called with an unexpected error of a callback request (a bug) before it is answered 503. */
  onUnexpectedError?: (error: unknown, request: FastifyRequest) => void;
}

/**
 * The body Tencent expects on success (HTTP 200, `{"code":0}` recommended: https://trtc.io/document/39558,
 * https://cloud.tencent.com/document/product/267/32744).
 */
const OK_BODY = '{"code":0}';
/** Bytes of a refused body kept in its rejection record. */
const BODY_HEAD_BYTES = 4096;
/**
 * Tencent reads at most 2000 bytes of a reply (header and body,
 * https://cloud.tencent.com/document/practice/647/51586); messages stay well under.
 */
const MAX_ERROR_MESSAGE = 400;
const EMPTY = Buffer.alloc(0);

/** Per-request facts for the access log line. */
export interface IngestLogContext {
  outcome: 'stored' | 'duplicate' | 'rejected' | 'unavailable';
  type?: string;
  eventId?: string;
  code?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    ingest: IngestLogContext | null;
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function errorBody(error: LivehooksError): { code: string; error: string } {
  const message =
    error.message.length > MAX_ERROR_MESSAGE
      ? `${error.message.slice(0, MAX_ERROR_MESSAGE)}…`
      : error.message;
  return { code: error.code, error: message };
}

/**
 * The ingest feature: the callback endpoints (docs/api.md "Callbacks"): `POST /callbacks` (family detected),
 * `/callbacks/css`, `/callbacks/trtc`, and the same under `/callbacks/<ingest secret>`. A callback is
 * verified and parsed by `parseCallback` on its raw bytes, committed by the group committer, and answered
 * `{"code":0}` only after its transaction committed; refusals are answered `{ code, error }` and recorded.
 * An unexpected error is answered 503, so Tencent sends the callback again.
 *
 * @example
 * ```ts
 * await app.register(ingestRoutes, { config, committer, metrics });
 * ```
 */
export const ingestRoutes: FastifyPluginCallback<IngestRoutesOptions> = (app, options, done) => {
  const { config, committer, metrics } = options;
  const now = options.now ?? Date.now;
  const secretDigest = config.ingestSecret === undefined ? undefined : digest(config.ingestSecret);

  const base: ParseOptions = {
    css: {
      keys: config.css.keys,
      skewSeconds: config.css.skewSeconds,
      rejectStale: config.css.rejectStale,
      allowUnsigned: config.css.allowUnsigned,
    },
    trtc: { keys: config.trtc.keys, allowUnsigned: config.trtc.allowUnsigned },
    maxBodyBytes: config.maxBodyBytes,
    now,
  };
  // CSS 314/321/328 carry no t/sign (https://cloud.tencent.com/document/product/267/56208,
  // https://www.tencentcloud.com/document/product/267/53310,
  // https://cloud.tencent.com/document/product/267/88050): a URL carrying the ingest secret is their only
  // proof.
  const onSecretUrl: ParseOptions = { ...base, css: { ...base.css, allowUnsigned: true } };
  const optionsFor = (family: Family | undefined, viaSecret: boolean): ParseOptions => {
    const options = viaSecret ? onSecretUrl : base;
    return family === undefined ? options : { ...options, family };
  };
  const parseOptions = {
    plain: {
      auto: optionsFor(undefined, false),
      css: optionsFor('css', false),
      trtc: optionsFor('trtc', false),
    },
    secret: {
      auto: optionsFor(undefined, true),
      css: optionsFor('css', true),
      trtc: optionsFor('trtc', true),
    },
  };

  const reject = async (
    request: FastifyRequest,
    reply: FastifyReply,
    error: LivehooksError,
    body: Buffer | undefined,
  ): Promise<FastifyReply> => {
    metrics.requests.inc({ outcome: 'rejected' });
    metrics.rejections.inc({ reason: error.code });
    request.ingest = { outcome: 'rejected', code: error.code };
    const declared = Number(request.headers['content-length']);
    const record = {
      id: createEventId(),
      receivedAt: now(),
      reason: error.code,
      status: error.status,
      message: errorBody(error).error,
      remoteAddress: request.ip,
      method: request.method,
      path: redactPath(request.url),
      headers: redactHeaders(request.headers, config.ingestSecret),
      bodySize: body?.byteLength ?? (Number.isSafeInteger(declared) ? declared : 0),
      bodyHead: body === undefined ? EMPTY : Buffer.from(body.subarray(0, BODY_HEAD_BYTES)),
    };
    const recorded = await committer.record(record);
    if (!recorded) request.log.warn({ reason: error.code }, 'rejection record not stored');
    return reply.code(error.status).send(errorBody(error));
  };

  const ingest = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: ParseOptions,
    viaSecret: boolean,
  ): Promise<FastifyReply> => {
    const body = Buffer.isBuffer(request.body) ? request.body : EMPTY;
    let event;
    try {
      if (exceedsJsonDepth(body)) {
        throw LivehooksError.of('LH_ERR_INVALID_JSON', { problem: 'depth', maxDepth: MAX_JSON_DEPTH });
      }
      event = parseCallback(body, request.headers, options);
    } catch (error) {
      if (!isLivehooksError(error)) throw error;
      return reject(request, reply, error, body);
    }
    if (viaSecret && event.auth.method === 'unsigned') event.auth.keyId = 'ingest-secret';
    try {
      const outcome = await committer.submit(event);
      request.ingest = { outcome, type: event.type, eventId: event.id };
      metrics.requests.inc({ outcome });
      if (outcome === 'stored') metrics.eventsStored.inc({ type: event.type });
      else metrics.duplicates.inc({ type: event.type });
      return reply.code(200).header('content-type', 'application/json').send(OK_BODY);
    } catch (error) {
      if (!isLivehooksError(error, 'LH_ERR_STORE_UNAVAILABLE')) throw error;
      request.ingest = { outcome: 'unavailable', type: event.type, code: error.code };
      metrics.requests.inc({ outcome: 'unavailable' });
      return reply.code(503).send(errorBody(error));
    }
  };

  const secretMatches = (candidate: string): boolean =>
    secretDigest !== undefined && timingSafeEqual(digest(candidate), secretDigest);

  const answerError = createErrorHandler(config, (error, request) => {
    options.onUnexpectedError?.(error, request);
    return LivehooksError.of('LH_ERR_STORE_UNAVAILABLE', { action: 'commit the callback; retry later' });
  });
  // Fastify refuses some bodies before the handler runs (too large, a malformed content type or length):
  // answer and record them like any refusal.
  app.setErrorHandler(async (error: FastifyError | LivehooksError, request, reply) => {
    const code = (error as { code?: unknown }).code;
    const refusal =
      typeof code === 'string' && code.startsWith('FST_ERR_CTP_') ? toHttpError(error, config) : undefined;
    return refusal === undefined
      ? answerError(error, request, reply)
      : reject(request, reply, refusal, undefined);
  });

  const route = { bodyLimit: config.maxBodyBytes };
  app.post('/callbacks', route, (request, reply) => ingest(request, reply, parseOptions.plain.auto, false));
  app.post('/callbacks/css', route, (request, reply) =>
    ingest(request, reply, parseOptions.plain.css, false),
  );
  app.post('/callbacks/trtc', route, (request, reply) =>
    ingest(request, reply, parseOptions.plain.trtc, false),
  );

  // A URL whose secret is wrong is answered as no route at all, with the secret redacted.
  const noRoute = (request: FastifyRequest) =>
    LivehooksError.of('LH_ERR_NOT_FOUND', { route: `${request.method} ${redactPath(request.url)}` });
  const notFound = (request: FastifyRequest, reply: FastifyReply, body: Buffer | undefined) =>
    reject(request, reply, noRoute(request), body);
  app.post('/callbacks/:secret', route, (request, reply) => {
    const { secret } = request.params as { secret: string };
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    return secretMatches(secret)
      ? ingest(request, reply, parseOptions.secret.auto, true)
      : notFound(request, reply, body);
  });
  app.post('/callbacks/:secret/:family', route, (request, reply) => {
    const { secret, family } = request.params as { secret: string; family: string };
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    if (!secretMatches(secret) || (family !== 'css' && family !== 'trtc'))
      return notFound(request, reply, body);
    return ingest(request, reply, parseOptions.secret[family], true);
  });

  // Every other method on a callback URL: 405 naming the one allowed (RFC 9110 §15.5.6). A URL whose
  // secret is wrong stays 404, as it is for POST.
  const notAllowed = (reply: FastifyReply): FastifyReply =>
    reply
      .code(405)
      .header('allow', 'POST')
      .send(LivehooksError.of('LH_ERR_METHOD_NOT_ALLOWED', { method: reply.request.method }).toJSON());
  const otherMethods = app.supportedMethods.filter((method) => method !== 'POST');
  const wrongMethod = { method: otherMethods, exposeHeadRoute: false } as const;
  for (const url of ['/callbacks', '/callbacks/css', '/callbacks/trtc']) {
    app.route({ ...wrongMethod, url, handler: (_request, reply) => notAllowed(reply) });
  }
  app.route({
    ...wrongMethod,
    url: '/callbacks/:secret',
    handler: (request, reply) => {
      const { secret } = request.params as { secret: string };
      if (!secretMatches(secret)) throw noRoute(request);
      return notAllowed(reply);
    },
  });
  app.route({
    ...wrongMethod,
    url: '/callbacks/:secret/:family',
    handler: (request, reply) => {
      const { secret, family } = request.params as { secret: string; family: string };
      if (!secretMatches(secret) || (family !== 'css' && family !== 'trtc')) throw noRoute(request);
      return notAllowed(reply);
    },
  });
  done();
};

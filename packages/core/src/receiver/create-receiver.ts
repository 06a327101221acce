import { isLivehooksError, LivehooksError } from '../errors/livehooks-error.js';
import type { AnyLivehooksEvent } from '../events/index.js';
import { normalizeHeaders, type HeadersInput } from '../parse/headers.js';
import { DEFAULT_MAX_BODY_BYTES, parseCallback, type ParseOptions } from '../parse/parse-callback.js';
import { bodyTooLarge, readWebBody } from './_read-web-body.js';
import { compileSelector, type EventMatching, type EventSelector } from './event-pattern.js';
import { HandlerError } from './handler-error.js';

/**
 * Options for {@link createReceiver}: the keys and rules {@link parseCallback} verifies with,
 * the body size limit, and optionally the hash backend (`createHashes('noble')` where `node:crypto`
 * is absent).
 *
 * @example
 * ```ts
 * const options: ReceiverOptions = { css: { keys: [process.env.CSS_KEY!] }, maxBodyBytes: 256 * 1024 };
 * ```
 */
export type ReceiverOptions = ParseOptions;

/**
 * A function called with each matching event. It may be async; the receiver awaits it before
 * answering, and a throw makes the answer 500 so Tencent retries (handlers must be idempotent).
 *
 * @example
 * ```ts
 * const handler: EventHandler<EventOf<'css.screenshot'>> = async (event) => save(event.data.pic_url);
 * ```
 */
export type EventHandler<E> = (event: E) => void | Promise<void>;

/**
 * A function called with every rejected callback and every handler failure.
 *
 * @example
 * ```ts
 * const onError: ErrorHandler = (error) => logger.warn({ code: error.code }, error.message);
 * ```
 */
export type ErrorHandler = (error: LivehooksError) => void | Promise<void>;

/**
 * Removes the handler it was returned for; calling it twice is harmless.
 *
 * @example
 * ```ts
 * const off = receiver.on('css.screenshot', handler);
 * off();
 * ```
 */
export type Unsubscribe = () => void;

/**
 * One HTTP request as an adapter sees it: the method, the headers in any common shape, and a
 * function that reads the raw body bytes (all an adapter for another framework has to supply).
 *
 * @example
 * ```ts
 * const request: CallbackRequest = {
 *   method: req.method,
 *   headers: req.headers,
 *   readBody: (limit) => readMyFrameworkBody(req, limit),
 * };
 * ```
 */
export interface CallbackRequest {
  method: string;
  headers: HeadersInput;
  /**
   * Resolves to the raw body. Must reject with a `LivehooksError` `LH_ERR_BODY_TOO_LARGE` rather than
   * read more than `limit` bytes, and with `LH_ERR_BODY_CONSUMED` when something else already read it.
   */
  readBody(limit: number): Promise<Uint8Array>;
}

/**
 * The answer to write back: status, headers and a small JSON body (`{"code":0}` or `{ code, error }`).
 *
 * @example
 * ```ts
 * const { status, headers, body } = await receiver.handle(request);
 * res.writeHead(status, headers).end(body);
 * ```
 */
export interface CallbackResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Verifies callbacks, turns them into typed events and runs the handlers registered for them.
 * Create one with {@link createReceiver}.
 *
 * @example
 * ```ts
 * const off = receiver.on('trtc.moderation.*', (event) => console.log(event.type, event.subject.taskId));
 * receiver.onError((error) => console.warn(error.code));
 * const event = await receiver.receive(rawBody, headers);
 * off();
 * ```
 */
export interface Receiver {
  /** The body size limit in bytes, for adapters that let their framework read the body. */
  readonly maxBodyBytes: number;
  /**
   * Registers a handler for an event type, a pattern (`'css.*'`, `'trtc.moderation.*'`, `'*'`) or a
   * list of both; the handler's event is typed accordingly. Throws `LH_ERR_UNKNOWN_EVENT_TYPE` for a
   * selector that matches nothing in the catalog.
   */
  on<const S extends EventSelector>(selector: S, handler: EventHandler<EventMatching<S>>): Unsubscribe;
  /** Registers a handler for every event. */
  onAny(handler: EventHandler<AnyLivehooksEvent>): Unsubscribe;
  /**
   * Registers a handler called with the `LivehooksError` of every rejected callback and every
   * {@link HandlerError}. If it throws, the answer becomes 500 `LH_ERR_HANDLER_FAILED`: a failure to
   * record a rejection is then retried by Tencent instead of lost.
   */
  onError(handler: ErrorHandler): Unsubscribe;
  /**
   * Verifies and parses one callback, runs every matching handler concurrently and awaits them all.
   * Resolves to the event; rejects with the `LivehooksError` of a rejected callback, or with a
   * {@link HandlerError} carrying every handler failure.
   */
  receive(rawBody: Uint8Array | string, headers?: HeadersInput): Promise<AnyLivehooksEvent>;
  /**
   * The one HTTP handler every adapter uses: checks the method and size, reads the raw body,
   * {@link Receiver.receive | receives} it and describes the answer. Never rejects.
   */
  handle(request: CallbackRequest): Promise<CallbackResponse>;
  /** Answers a Web-standard `Request` (Workers, Deno, Bun, Hono, Next.js route handlers). */
  handleRequest(request: Request): Promise<Response>;
}

interface Listener {
  matches(type: string): boolean;
  handler: EventHandler<AnyLivehooksEvent>;
}

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8' } as const;
const OK_BODY = '{"code":0}';
// Tencent wants the whole reply (headers and body) under 2000 bytes
// (https://cloud.tencent.com/document/practice/647/51586).
const MAX_ERROR_MESSAGE = 600;
const encoder = new TextEncoder();

function settle(run: () => void | Promise<void>): Promise<void> {
  return new Promise<void>((resolve) => resolve(run()));
}

/** Runs every function concurrently, awaits them all and collects what they threw, in order. */
async function failuresOf(runs: readonly (() => void | Promise<void>)[]): Promise<unknown[]> {
  const results = await Promise.allSettled(runs.map(settle));
  const failures: unknown[] = [];
  for (const result of results) if (result.status === 'rejected') failures.push(result.reason as unknown);
  return failures;
}

function asLivehooksError(error: unknown): LivehooksError {
  if (isLivehooksError(error)) return error;
  return LivehooksError.of('LH_ERR_INTERNAL', { during: 'handling the callback' }, { cause: error });
}

function answer(error: LivehooksError, extraHeaders: Record<string, string> = {}): CallbackResponse {
  const { code, error: message } = error.toJSON();
  const body = JSON.stringify({
    code,
    error: message.length > MAX_ERROR_MESSAGE ? `${message.slice(0, MAX_ERROR_MESSAGE)}…` : message,
  });
  return {
    status: error.status,
    headers: { ...JSON_HEADERS, 'content-length': String(encoder.encode(body).byteLength), ...extraHeaders },
    body,
  };
}

/**
 * Creates a receiver: register typed handlers with `on`, then feed it callbacks through
 * `receive`, `handleRequest` or a framework adapter. Verification is synchronous and needs no
 * Node API, so the same receiver runs in Node, Deno, Bun and Workers.
 *
 * @example
 * ```ts
 * const receiver = createReceiver({
 *   css: { keys: [process.env.CSS_CALLBACK_KEY!] },
 *   trtc: { keys: { '1400000001': process.env.TRTC_CALLBACK_KEY! } },
 * });
 * receiver.on('css.screenshot', (event) => console.log(event.data.pic_url));
 * receiver.on('trtc.moderation.*', async (event) => queue.push(event.subject.taskId));
 * export default { fetch: (request: Request) => receiver.handleRequest(request) };
 * ```
 * @see https://www.tencentcloud.com/document/product/267/38080
 * @see https://trtc.io/document/39558
 */
export function createReceiver(options: ReceiverOptions = {}): Receiver {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const parseOptions: ParseOptions = { ...options, maxBodyBytes };
  const listeners: Listener[] = [];
  const errorHandlers: ErrorHandler[] = [];

  function remover<T>(list: T[], entry: T): Unsubscribe {
    return () => {
      const index = list.indexOf(entry);
      if (index !== -1) list.splice(index, 1);
    };
  }

  async function report(error: LivehooksError): Promise<LivehooksError> {
    const failures = await failuresOf(errorHandlers.map((handler) => () => handler(error)));
    if (failures.length === 0) return error;
    if (error instanceof HandlerError) {
      error.errors.push(...failures);
      return error;
    }
    return LivehooksError.of(
      'LH_ERR_HANDLER_FAILED',
      { reporting: error.code },
      { cause: new AggregateError([error, ...failures], `onError failed while reporting ${error.code}`) },
    );
  }

  async function receive(rawBody: Uint8Array | string, headers?: HeadersInput): Promise<AnyLivehooksEvent> {
    let event: AnyLivehooksEvent;
    try {
      event = parseCallback(rawBody, headers, parseOptions);
    } catch (error) {
      throw await report(asLivehooksError(error));
    }
    // A snapshot: handlers that subscribe or unsubscribe while running do not change this delivery.
    const handlers = listeners.filter((listener) => listener.matches(event.type)).map((l) => l.handler);
    const errors = await failuresOf(handlers.map((handler) => () => handler(event)));
    if (errors.length > 0) throw await report(new HandlerError(event, errors, handlers.length));
    return event;
  }

  async function readBody(request: CallbackRequest, headers: Record<string, string>): Promise<Uint8Array> {
    const declared = headers['content-length']?.trim();
    // Refuse before reading a byte when the sender announces too much.
    if (declared && /^\d+$/.test(declared) && Number(declared) > maxBodyBytes) {
      throw bodyTooLarge(maxBodyBytes, Number(declared));
    }
    const raw = await request.readBody(maxBodyBytes);
    if (raw.byteLength > maxBodyBytes) throw bodyTooLarge(maxBodyBytes, raw.byteLength);
    return raw;
  }

  async function handle(request: CallbackRequest): Promise<CallbackResponse> {
    const method = request.method.toUpperCase();
    if (method !== 'POST') {
      const error = LivehooksError.of('LH_ERR_METHOD_NOT_ALLOWED', { method });
      return answer(error, { allow: 'POST' });
    }
    const headers = normalizeHeaders(request.headers);
    let raw: Uint8Array;
    try {
      raw = await readBody(request, headers);
    } catch (error) {
      return answer(await report(asLivehooksError(error)));
    }
    try {
      await receive(raw, headers);
    } catch (error) {
      return answer(asLivehooksError(error));
    }
    return {
      status: 200,
      headers: { ...JSON_HEADERS, 'content-length': String(OK_BODY.length) },
      body: OK_BODY,
    };
  }

  return {
    maxBodyBytes,
    on(selector, handler) {
      const listener: Listener = {
        matches: compileSelector(selector),
        handler: handler as EventHandler<AnyLivehooksEvent>,
      };
      listeners.push(listener);
      return remover(listeners, listener);
    },
    onAny(handler) {
      const listener: Listener = { matches: () => true, handler };
      listeners.push(listener);
      return remover(listeners, listener);
    },
    onError(handler) {
      const entry: ErrorHandler = (error) => handler(error);
      errorHandlers.push(entry);
      return remover(errorHandlers, entry);
    },
    receive,
    handle,
    async handleRequest(request) {
      const response = await handle({
        method: request.method,
        headers: request.headers,
        readBody: (limit) => readWebBody(request, limit),
      });
      return new Response(response.body, { status: response.status, headers: response.headers });
    },
  };
}

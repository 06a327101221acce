import type { Receiver } from '../receiver/create-receiver.js';
import { bodyConsumed, isBodyConsumed, readNodeBody, type NodeRequestLike } from './_node-body.js';

/** The part of a Koa `Context` the middleware uses. */
export interface KoaContextLike {
  readonly path: string;
  readonly req: NodeRequestLike;
  readonly request: { body?: unknown };
  status: number;
  body: unknown;
  set(field: Record<string, string>): void;
}

/** Options for {@link createKoaMiddleware}. */
export interface KoaMiddlewareOptions {
  /** Answer only requests to this path; others pass to the next middleware. Default: every request. */
  path?: string;
}

/** Koa middleware: `(ctx, next) => Promise<void>`. */
export type KoaMiddleware = (ctx: KoaContextLike, next: () => Promise<unknown>) => Promise<void>;

const HINT =
  'Mount createKoaMiddleware before the body parser (e.g. app.use(createKoaMiddleware(receiver)) before app.use(bodyParser())), or exclude its path from the body parser.';

/**
 * Creates Koa (2 or 3) middleware answering Tencent callbacks through a receiver, reading the raw
 * request stream `ctx.req`. Behind a body parser the raw bytes are gone (`ctx.request.rawBody` is
 * a re-decoded string, not the bytes Tencent signed), so it answers 500 `LH_ERR_BODY_CONSUMED`
 * explaining how to mount it.
 *
 * @example
 * ```ts
 * const app = new Koa();
 * app.use(createKoaMiddleware(receiver, { path: '/callbacks' }));
 * app.use(bodyParser());
 * ```
 * @see https://www.tencentcloud.com/document/product/267/38080
 */
export function createKoaMiddleware(receiver: Receiver, options: KoaMiddlewareOptions = {}): KoaMiddleware {
  return async (ctx, next) => {
    if (options.path !== undefined && ctx.path !== options.path) {
      await next();
      return;
    }
    const req = ctx.req;
    const response = await receiver.handle({
      method: req.method ?? 'GET',
      headers: req.headers,
      readBody: (limit) => {
        if (isBodyConsumed(req)) {
          const what =
            ctx.request.body !== undefined
              ? 'a body parser already parsed the request body into ctx.request.body'
              : 'another middleware already read the request body';
          return Promise.reject(bodyConsumed(what, HINT));
        }
        return readNodeBody(req, limit, HINT);
      },
    });
    ctx.status = response.status;
    ctx.set(response.headers);
    ctx.body = response.body;
  };
}

/** @deprecated Use {@link createKoaMiddleware}. */
export const koaMiddleware = createKoaMiddleware;

import type { Receiver } from '../receiver/create-receiver.js';
import { createWebHandler } from './web-handler.js';

/** The part of a Hono `Context` the handler uses: the Web-standard request. */
export interface HonoContextLike {
  req: { raw: Request };
}

/**
 * Creates a Hono handler answering Tencent callbacks through a receiver. It reads `c.req.raw`,
 * the untouched Web `Request`: Hono's own `c.req.json()` cache would re-serialise the body and
 * break TRTC signatures (https://trtc.io/document/54912), so no middleware may read the body first.
 *
 * @example
 * ```ts
 * const app = new Hono();
 * app.post('/callbacks', createHonoHandler(receiver));
 * export default app;
 * ```
 * @see https://www.tencentcloud.com/document/product/267/38080
 */
export function createHonoHandler(receiver: Receiver): (c: HonoContextLike) => Promise<Response> {
  const handle = createWebHandler(receiver);
  return (c) => handle(c.req.raw);
}

/** @deprecated Use {@link createHonoHandler}. */
export const honoHandler = createHonoHandler;

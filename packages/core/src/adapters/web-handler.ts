import type { Receiver } from '../receiver/create-receiver.js';

/** A Web-standard request handler: `(request) => Promise<Response>`. */
export type WebHandler = (request: Request) => Promise<Response>;

/**
 * Creates a handler of Web-standard `Request`s answering Tencent callbacks through a receiver, for
 * Workers, Deno, Bun and Next.js route handlers. It reads the request body itself: TRTC signs the raw
 * bytes (https://trtc.io/document/54912), so nothing may read the body before it.
 *
 * @example
 * ```ts
 * export default { fetch: createWebHandler(receiver) }; // Workers, Bun
 * Deno.serve(createWebHandler(receiver));
 * ```
 * @see https://www.tencentcloud.com/document/product/267/38080
 */
export function createWebHandler(receiver: Receiver): WebHandler {
  return (request) => receiver.handleRequest(request);
}

import type { Receiver } from '../receiver/create-receiver.js';
import { readNodeBody, type NodeRequestLike } from './_node-body.js';
import { respondFromNode, type NodeResponseLike } from './_node-response.js';

/** Options for {@link createNodeMiddleware}. */
export interface NodeMiddlewareOptions {
  /**
   * Answer only requests to this path (query string ignored); others go to `next`, or get an empty
   * 404 when there is none. Default: answer every request.
   */
  path?: string;
}

/** A Node `http` request listener that is also Connect/Express middleware. */
export type NodeMiddleware = (
  req: NodeRequestLike,
  res: NodeResponseLike,
  next?: (error?: unknown) => void,
) => void;

const HINT =
  'Mount the livehooks middleware before any body parser, or exclude its path from the body parser.';

function pathnameOf(url: string | undefined): string {
  const path = url ?? '/';
  const query = path.indexOf('?');
  return query === -1 ? path : path.slice(0, query);
}

/**
 * Creates a request listener for `http.createServer` that answers Tencent callbacks through a
 * receiver; with a `next` argument it works as Connect or Express middleware too.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * const receiver = createReceiver({ css: { keys: [process.env.CSS_CALLBACK_KEY!] } });
 * receiver.on('css.screenshot', (event) => console.log(event.data.pic_url));
 * createServer(createNodeMiddleware(receiver, { path: '/callbacks' })).listen(8080);
 * ```
 * @see https://www.tencentcloud.com/document/product/267/38080
 */
export function createNodeMiddleware(
  receiver: Receiver,
  options: NodeMiddlewareOptions = {},
): NodeMiddleware {
  return (req, res, next) => {
    if (options.path !== undefined && pathnameOf(req.url) !== options.path) {
      if (next) {
        next();
      } else {
        res.writeHead(404, { 'content-length': '0' });
        res.end();
      }
      return;
    }
    const pending = receiver.handle({
      method: req.method ?? 'GET',
      headers: req.headers,
      readBody: (limit) => readNodeBody(req, limit, HINT),
    });
    respondFromNode(pending, res, next);
  };
}

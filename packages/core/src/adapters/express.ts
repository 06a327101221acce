import type { Receiver } from '../receiver/create-receiver.js';
import { bodyConsumed, isBodyConsumed, readNodeBody, type NodeRequestLike } from './_node-body.js';
import { respondFromNode, type NodeResponseLike } from './_node-response.js';

/** The part of an Express request the adapter uses: a Node request plus what a body parser left. */
export interface ExpressRequestLike extends NodeRequestLike {
  body?: unknown;
}

/** Express middleware: `(req, res, next) => void`. */
export type ExpressMiddleware = (
  req: ExpressRequestLike,
  res: NodeResponseLike,
  next: (error?: unknown) => void,
) => void;

const HINT =
  'Mount createExpressMiddleware before express.json() (or any body parser), or give its route express.raw({ type: "*/*" }) so the raw bytes reach it.';

/**
 * Creates Express (4 or 5) middleware answering Tencent callbacks through a receiver. It reads the
 * raw request stream itself; behind `express.raw()` it uses the Buffer that parser left in
 * `req.body`. Behind `express.json()` the raw bytes are gone, so it answers 500
 * `LH_ERR_BODY_CONSUMED` explaining how to mount it instead of failing every TRTC signature.
 *
 * @example
 * ```ts
 * const app = express();
 * app.post('/callbacks', createExpressMiddleware(receiver)); // before app.use(express.json())
 * app.use(express.json());
 * ```
 * @see https://www.tencentcloud.com/document/product/267/38080
 */
export function createExpressMiddleware(receiver: Receiver): ExpressMiddleware {
  return (req, res, next) => {
    const pending = receiver.handle({
      method: req.method ?? 'GET',
      headers: req.headers,
      readBody: (limit) => {
        // express.raw() keeps the exact bytes: the one parser it is safe to run first.
        if (req.body instanceof Uint8Array) return Promise.resolve(req.body);
        if (isBodyConsumed(req)) {
          const what =
            typeof req.body === 'string'
              ? 'a text body parser (express.text()) already decoded the request body'
              : req.body !== undefined && req.body !== null
                ? 'a body parser (express.json() or express.urlencoded()) already parsed the request body into req.body'
                : 'another middleware already read the request body';
          return Promise.reject(bodyConsumed(what, HINT));
        }
        return readNodeBody(req, limit, HINT);
      },
    });
    respondFromNode(pending, res, next);
  };
}

/** @deprecated Use {@link createExpressMiddleware}. */
export const expressMiddleware = createExpressMiddleware;

import { LivehooksError } from '../errors/livehooks-error.js';
import { bodyTooLarge, concatBytes, MAX_DISCARDED_BYTES } from '../receiver/_read-web-body.js';

/** The part of a Node readable stream the body reader uses, typed structurally. */
export interface NodeBodyStream {
  /** Node ≥ 12.9: the stream emitted `end`. */
  readonly readableEnded?: boolean;
  /** Node ≥ 16.7: someone read from the stream. */
  readonly readableDidRead?: boolean;
  on(event: 'data', listener: (chunk: Uint8Array | string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeListener(event: 'data' | 'end' | 'close' | 'error', listener: (...args: never[]) => void): unknown;
  resume(): unknown;
  destroy(error?: Error): unknown;
}

/**
 * The part of a Node `http.IncomingMessage` the adapters use, typed structurally so core imports
 * neither `node:http` nor a framework's types.
 */
export interface NodeRequestLike extends NodeBodyStream {
  readonly method?: string | undefined;
  readonly url?: string | undefined;
  readonly headers: Record<string, string | string[] | undefined>;
}

const encoder = new TextEncoder();

/** Whether a body parser (or anything else) already read from the request stream. */
export function isBodyConsumed(request: NodeBodyStream): boolean {
  return request.readableEnded === true || request.readableDidRead === true;
}

/**
 * The error for a body another middleware read first. `hint` names the fix for the framework;
 * the reason is always the same: TRTC signs the exact bytes (https://trtc.io/document/54912).
 */
export function bodyConsumed(what: string, hint: string): LivehooksError {
  return LivehooksError.of('LH_ERR_BODY_CONSUMED', { what, hint });
}

/** Lets the rest of a refused body flow by unkept, cutting the connection past {@link MAX_DISCARDED_BYTES}. */
function discardRest(request: NodeBodyStream): void {
  let discarded = 0;
  const onData = (chunk: Uint8Array | string) => {
    discarded += chunk.length;
    if (discarded > MAX_DISCARDED_BYTES) {
      stop();
      request.destroy();
    }
  };
  const stop = () => {
    request.removeListener('data', onData);
    request.removeListener('end', stop);
    request.removeListener('error', stop);
  };
  request.on('data', onData);
  request.on('end', stop);
  request.on('error', stop);
  request.resume();
}

/**
 * Reads a Node request stream to its end as raw bytes, refusing past `limit` without buffering
 * beyond it. On overflow it stops collecting and lets the rest drain unkept, so the 413 answer
 * reaches the client instead of a reset connection.
 */
export function readNodeBody(request: NodeBodyStream, limit: number, hint: string): Promise<Uint8Array> {
  if (isBodyConsumed(request)) {
    return Promise.reject(bodyConsumed('the request body was already read by another middleware', hint));
  }
  return new Promise<Uint8Array>((resolve, reject) => {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const cleanup = () => {
      request.removeListener('data', onData);
      request.removeListener('end', onEnd);
      request.removeListener('error', onError);
      request.removeListener('close', onClose);
    };
    const onData = (chunk: Uint8Array | string) => {
      const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
      size += bytes.byteLength;
      if (size > limit) {
        cleanup();
        discardRest(request);
        reject(bodyTooLarge(limit));
        return;
      }
      chunks.push(bytes);
    };
    const onEnd = () => {
      cleanup();
      resolve(concatBytes(chunks, size));
    };
    const onError = (cause: Error) => {
      cleanup();
      reject(LivehooksError.of('LH_ERR_BODY_UNREADABLE', { reason: 'stream-failed' }, { cause }));
    };
    const onClose = () => {
      cleanup();
      reject(LivehooksError.of('LH_ERR_BODY_UNREADABLE', { reason: 'connection-closed' }));
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}

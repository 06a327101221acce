import { LivehooksError } from '../errors/livehooks-error.js';

/**
 * Copies chunks whose total length is known into one new byte array: the event keeps these bytes,
 * and a runtime may reuse the memory behind a chunk it handed over.
 */
export function concatBytes(chunks: readonly Uint8Array[], size: number): Uint8Array {
  const out = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return out;
}

/**
 * How much of an oversized body is read and thrown away after refusing it. Reading the rest lets the
 * 413 reach the sender and keeps a keep-alive connection usable; past this, the connection is cut.
 */
export const MAX_DISCARDED_BYTES = 64 * 1024 * 1024;

/** The error for a body past the limit; the same wording wherever the limit trips. */
export function bodyTooLarge(limit: number, size?: number): LivehooksError {
  return LivehooksError.of('LH_ERR_BODY_TOO_LARGE', { limit, size });
}

/** Reads the rest of a refused body without keeping it, up to {@link MAX_DISCARDED_BYTES}. */
async function discardRest(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  let discarded = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      discarded += value.byteLength;
      if (discarded > MAX_DISCARDED_BYTES) {
        await reader.cancel();
        return;
      }
    }
  } catch {
    // The sender went away while the rest was being discarded: nothing is waiting for it.
  }
}

/**
 * Reads a Web `Request` body chunk by chunk and stops at `limit + 1` bytes, so a body without a
 * Content-Length (chunked) is never buffered past the limit, unlike `request.arrayBuffer()`.
 */
export async function readWebBody(request: Request, limit: number): Promise<Uint8Array> {
  if (request.bodyUsed) {
    throw LivehooksError.of('LH_ERR_BODY_CONSUMED', {
      what: 'the Request body was already read (for example by `await c.req.json()` in an earlier middleware)',
      hint: 'Run the livehooks handler before anything reads the body.',
    });
  }
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let result: ReadableStreamReadResult<Uint8Array>;
    try {
      result = await reader.read();
    } catch (cause) {
      throw LivehooksError.of('LH_ERR_BODY_UNREADABLE', { reason: 'stream-failed' }, { cause });
    }
    if (result.done) return concatBytes(chunks, size);
    size += result.value.byteLength;
    if (size > limit) {
      void discardRest(reader);
      throw bodyTooLarge(limit);
    }
    chunks.push(result.value);
  }
}

import { Readable } from 'node:stream';
import { isLivehooksError } from '@livehooks/core';
import { describe, expect, it } from 'vitest';
import { readNodeBody } from '../../src/adapters/_node-body.js';
import { MAX_DISCARDED_BYTES } from '../../src/receiver/_read-web-body.js';

const MiB = 1024 * 1024;

function chunks(count: number, size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent === count) {
        this.push(null);
        return;
      }
      sent++;
      this.push(new Uint8Array(size).fill(0x61));
    },
  });
}

/** Resolves once the stream ended or was destroyed, including before the call. */
function settled(stream: Readable): Promise<void> {
  return new Promise((resolve) => {
    if (stream.readableEnded || stream.destroyed) resolve();
    stream.once('end', resolve);
    stream.once('close', resolve);
  });
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

describe('readNodeBody', () => {
  it('reads a body in many chunks into one copy of its bytes', async () => {
    const body = await readNodeBody(chunks(5, 1000), 5000, 'hint');
    expect(body.byteLength).toBe(5000);
    expect(body.every((byte) => byte === 0x61)).toBe(true);
  });

  it('refuses a stream that another reader already consumed, naming the fix', async () => {
    const stream = chunks(1, 10);
    for await (const _ of stream) void _;
    const error = await rejectionOf(readNodeBody(stream, 100, 'Mount it first.'));
    expect(isLivehooksError(error, 'LH_ERR_BODY_CONSUMED')).toBe(true);
    expect((error as Error).message).toContain('Mount it first.');
  });

  it('refuses past the limit, then discards the rest so the stream ends', async () => {
    const stream = chunks(20, 1000);
    const error = await rejectionOf(readNodeBody(stream, 2500, 'hint'));
    expect(isLivehooksError(error, 'LH_ERR_BODY_TOO_LARGE')).toBe(true);
    await settled(stream);
    expect(stream.readableEnded).toBe(true);
  });

  it('destroys a refused stream that goes on past the discard limit', async () => {
    const stream = chunks(MAX_DISCARDED_BYTES / MiB + 8, MiB);
    const error = await rejectionOf(readNodeBody(stream, 1024, 'hint'));
    expect(isLivehooksError(error, 'LH_ERR_BODY_TOO_LARGE')).toBe(true);
    await settled(stream);
    expect(stream.destroyed).toBe(true);
    expect(stream.readableEnded).toBe(false);
  });

  it('reports a stream that fails midway as LH_ERR_BODY_UNREADABLE', async () => {
    const stream = new Readable({ read() {} });
    const pending = readNodeBody(stream, 1000, 'hint');
    stream.push(new Uint8Array(10));
    stream.destroy(new Error('ECONNRESET'));
    const error = await rejectionOf(pending);
    expect(isLivehooksError(error, 'LH_ERR_BODY_UNREADABLE')).toBe(true);
  });
});

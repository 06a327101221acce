import { hmac } from '@noble/hashes/hmac.js';
import { md5 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type * as NodeCryptoModule from 'node:crypto';

type NodeCrypto = typeof NodeCryptoModule;

/** The hash functions the protocol code needs, all synchronous. */
export interface Hashes {
  readonly backend: 'node' | 'noble';
  md5Hex(text: string): string;
  sha256Hex(bytes: Uint8Array | string): string;
  hmacSha256(key: string, bytes: Uint8Array): Uint8Array;
}

const encoder = new TextEncoder();
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Lowercase hex of a byte array. */
export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += HEX[byte];
  return out;
}

function createNodeHashes(crypto: NodeCrypto): Hashes {
  // The one-shot `crypto.hash` (Node 20.12+) skips the Hash object and is about twice as fast for short input.
  const oneShot = (
    crypto as { hash?: (algorithm: string, data: Uint8Array | string, encoding: 'hex') => string }
  ).hash;
  return {
    backend: 'node',
    md5Hex: oneShot
      ? (text) => oneShot('md5', text, 'hex')
      : (text) => crypto.createHash('md5').update(text, 'utf8').digest('hex'),
    sha256Hex: oneShot
      ? (bytes) => oneShot('sha256', bytes, 'hex')
      : (bytes) => crypto.createHash('sha256').update(bytes).digest('hex'),
    hmacSha256: (key, bytes) => new Uint8Array(crypto.createHmac('sha256', key).update(bytes).digest()),
  };
}

function createNobleHashes(): Hashes {
  const bytesOf = (value: Uint8Array | string) => (typeof value === 'string' ? encoder.encode(value) : value);
  return {
    backend: 'noble',
    md5Hex: (text) => toHex(md5(encoder.encode(text))),
    sha256Hex: (bytes) => toHex(sha256(bytesOf(bytes))),
    hmacSha256: (key, bytes) => hmac(sha256, encoder.encode(key), bytes),
  };
}

/**
 * Picks `node:crypto` where the runtime offers it (Node, Bun, Deno) and `@noble/hashes` elsewhere:
 * CSS signs with MD5 (https://cloud.tencent.com/document/product/267/32744), which is not part of Web Crypto,
 * and verification must stay synchronous.
 */
export function createHashes(backend?: 'node' | 'noble'): Hashes {
  if (backend === 'noble') return createNobleHashes();
  const getBuiltin = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process
    ?.getBuiltinModule;
  const nodeCrypto = getBuiltin?.('node:crypto') as NodeCrypto | undefined;
  if (nodeCrypto) return createNodeHashes(nodeCrypto);
  if (backend === 'node') throw new Error('node:crypto is not available in this runtime');
  return createNobleHashes();
}

/** The hashes used by default in this runtime. */
export const hashes: Hashes = createHashes();

/** Compares two equal-purpose byte strings in time that depends only on their length. */
export function timingSafeEqualBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** Compares two strings in time that depends only on their length. */
export function timingSafeEqualString(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

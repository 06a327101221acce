import { hashes as defaultHashes, timingSafeEqualBytes, type Hashes } from '../crypto/hashes.js';
import { LivehooksError } from '../errors/livehooks-error.js';

const encoder = new TextEncoder();

function toBytes(body: Uint8Array | string): Uint8Array {
  return typeof body === 'string' ? encoder.encode(body) : body;
}

function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/**
 * Computes a TRTC callback signature: base64(HMAC-SHA256(key, raw body bytes)).
 *
 * @example
 * ```ts
 * const headers = { 'Content-Type': 'application/json', SdkAppId: '1400000001', Sign: signTrtc('key', body) };
 * ```
 * @see https://trtc.io/document/54912
 */
export function signTrtc(key: string, body: Uint8Array | string, hashes: Hashes = defaultHashes): string {
  return toBase64(hashes.hmacSha256(key, toBytes(body)));
}

/**
 * Verifies a TRTC `Sign` header over the exact bytes received, in constant time.
 * Throws `LH_ERR_SIGNATURE_MISSING` or `LH_ERR_SIGNATURE_MISMATCH`.
 *
 * @example
 * ```ts
 * verifyTrtcSignature(rawBody, request.headers.get('sign'), keys[request.headers.get('sdkappid')]);
 * ```
 * @see https://trtc.io/document/54912
 */
export function verifyTrtcSignature(
  body: Uint8Array | string,
  sign: string | undefined | null,
  key: string,
  hashes: Hashes = defaultHashes,
): void {
  if (!sign) {
    throw LivehooksError.of('LH_ERR_SIGNATURE_MISSING', { family: 'trtc' });
  }
  const received = fromBase64(sign.trim());
  // TRTC signs the raw bytes; a re-serialised body gives another HMAC (https://trtc.io/document/54912).
  const expected = hashes.hmacSha256(key, toBytes(body));
  if (!received || !timingSafeEqualBytes(received, expected)) {
    throw LivehooksError.of('LH_ERR_SIGNATURE_MISMATCH', {
      reason: received ? 'trtc-mismatch' : 'trtc-malformed',
    });
  }
}

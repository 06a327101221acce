import { hashes as defaultHashes, timingSafeEqualString, type Hashes } from '../crypto/hashes.js';
import { LivehooksError } from '../errors/livehooks-error.js';

/** Options for {@link verifyCssSignature}. */
export interface CssVerifyOptions {
  /** Callback keys currently valid; several during a rotation. */
  keys: readonly string[];
  /** Current time in milliseconds; injectable for tests. Defaults to `Date.now`. */
  now?: () => number;
  /** Seconds past `t` before a callback counts as stale. Default 0. */
  skewSeconds?: number;
  /** Throw `LH_ERR_CSS_SIGN_EXPIRED` for stale callbacks instead of reporting them. Default false. */
  rejectStale?: boolean;
  /** Hash implementation; defaults to the runtime's. */
  hashes?: Hashes;
}

/** The outcome of a successful CSS verification. */
export interface CssVerification {
  /** Index of the key that matched in `keys`. */
  keyIndex: number;
  /** `t` (the expiry) has passed by more than the allowed skew. */
  stale: boolean;
  /** The expiry `t`, in unix seconds. */
  expiresAt: number;
}

const T_PATTERN = /^\d{1,12}$/;
const SIGN_CACHE_SIZE = 256;
/**
 * Expected signs by key and `t`. Tencent's `t` has one-second resolution, so under load many callbacks
 * share it and the MD5 is computed once per key and second.
 */
const signCache = new Map<string, string>();

function expectedSign(key: string, t: string, hashes: Hashes): string {
  if (hashes !== defaultHashes) return hashes.md5Hex(key + t);
  const cacheKey = `${t}\u0000${key}`;
  let sign = signCache.get(cacheKey);
  if (sign === undefined) {
    sign = hashes.md5Hex(key + t);
    if (signCache.size >= SIGN_CACHE_SIZE) signCache.delete(signCache.keys().next().value!);
    signCache.set(cacheKey, sign);
  }
  return sign;
}

/** The decimal text of `t` that Tencent hashed, or undefined when `t` is not an integer. */
function tText(t: unknown): string | undefined {
  if (typeof t === 'number') return Number.isSafeInteger(t) && t >= 0 ? String(t) : undefined;
  if (typeof t === 'string' && T_PATTERN.test(t)) return t;
  return undefined;
}

/**
 * Computes a CSS callback signature: `md5_hex(key + t)`.
 *
 * @example
 * ```ts
 * const t = Math.floor(Date.now() / 1000) + 600;
 * const body = { ...payload, t, sign: signCss('my-key', t) };
 * ```
 * @see https://cloud.tencent.com/document/product/267/32744
 */
export function signCss(key: string, t: number | string, hashes: Hashes = defaultHashes): string {
  return hashes.md5Hex(key + String(t));
}

/**
 * Verifies the `t`/`sign` pair of a CSS callback against one or more keys, in constant time.
 * A correct signature whose expiry has passed is reported as `stale`, not as forged.
 *
 * @example
 * ```ts
 * const { stale } = verifyCssSignature({ t: body.t, sign: body.sign }, { keys: ['my-key'] });
 * ```
 * @see https://cloud.tencent.com/document/product/267/32744
 */
export function verifyCssSignature(
  fields: { t: unknown; sign: unknown },
  options: CssVerifyOptions,
): CssVerification {
  const { t, sign } = fields;
  if (t === undefined || t === null || sign === undefined || sign === null) {
    const missing = (['t', 'sign'] as const).filter((field) => fields[field] == null);
    throw LivehooksError.of('LH_ERR_SIGNATURE_MISSING', { family: 'css', missing });
  }
  if (options.keys.length === 0) {
    throw LivehooksError.of('LH_ERR_NO_KEY', { family: 'css' });
  }
  const text = tText(t);
  if (text === undefined || typeof sign !== 'string') {
    throw LivehooksError.of('LH_ERR_SIGNATURE_MISMATCH', {
      reason: 'css-malformed',
      tType: typeof t,
      signType: typeof sign,
    });
  }
  const hashes = options.hashes ?? defaultHashes;
  const received = sign.toLowerCase();
  let keyIndex = -1;
  // Every key is tried, so the time taken does not reveal which one matched.
  options.keys.forEach((key, index) => {
    if (timingSafeEqualString(expectedSign(key, text, hashes), received) && keyIndex === -1) keyIndex = index;
  });
  if (keyIndex === -1) {
    throw LivehooksError.of('LH_ERR_SIGNATURE_MISMATCH', {
      reason: 'css-mismatch',
      keyCount: options.keys.length,
    });
  }
  const expiresAt = Number(text);
  const nowSeconds = (options.now ?? Date.now)() / 1000;
  const stale = nowSeconds > expiresAt + (options.skewSeconds ?? 0);
  if (stale && options.rejectStale) {
    throw LivehooksError.of('LH_ERR_CSS_SIGN_EXPIRED', { t: text, secondsAgo: nowSeconds - expiresAt });
  }
  return { keyIndex, stale, expiresAt };
}

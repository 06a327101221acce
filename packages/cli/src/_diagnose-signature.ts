import { createHmac } from 'node:crypto';
import { signCss, signTrtc } from '@livehooks/core';
import { describeCallback, formatCjson } from '@livehooks/fixtures';

/** What `livehooks verify` found, from best to worst. */
export type Verdict =
  | 'verified'
  | 'expired'
  | 'unsigned-event'
  | 'missing-signature'
  | 'no-key'
  | 'wrong-app'
  | 'wrong-encoding'
  | 'whitespace-changed'
  | 're-serialised'
  | 'wrong-order'
  | 'malformed-signature'
  | 'wrong-key';

/** The explanation of one callback's signature; it never contains a key. */
export interface Diagnosis {
  family: 'css' | 'trtc';
  verdict: Verdict;
  /** The signature is correct and current. */
  verified: boolean;
  /** One sentence: what is wrong, or that nothing is. */
  message: string;
  /** What to do about it. */
  hints: string[];
  /** Which of the given keys matched (CSS: index in the list; TRTC: the SdkAppId). */
  matchedKey?: string;
  /** CSS: the expiry `t` in unix seconds. */
  expiresAt?: number;
  /** TRTC: the SdkAppId header. */
  sdkAppId?: string;
}

/** Everything `livehooks verify` knows about one callback. */
export interface DiagnoseInput {
  body: Uint8Array;
  /** Lowercase header names. */
  headers: Record<string, string>;
  family?: 'css' | 'trtc';
  cssKeys: readonly string[];
  /** TRTC keys by SdkAppId; `*` for a key given without an app. */
  trtcKeys: Readonly<Record<string, string>>;
  /** Verification time, ms. */
  now: number;
  /** Seconds past `t` still counted as current. */
  skewSeconds: number;
}

/**
 * CSS events Tencent sends without `t`/`sign`: their field tables and samples have none.
 * @see https://cloud.tencent.com/document/product/267/32744
 */
const UNSIGNED_CSS_EVENTS = new Set([314, 315, 321, 328, 343, 344, 345, 348, 349]);

const decoder = new TextDecoder();
const encoder = new TextEncoder();

interface Variant {
  bytes: Uint8Array;
  verdict: 'whitespace-changed' | 're-serialised';
  what: string;
}

/** Bodies the signed one may have become on its way: whitespace edits and re-serialisations. */
function bodyVariants(body: Uint8Array): Variant[] {
  const text = decoder.decode(body);
  const variants: Variant[] = [];
  const add = (candidate: string, verdict: Variant['verdict'], what: string) => {
    if (candidate !== text && !variants.some((variant) => decoder.decode(variant.bytes) === candidate)) {
      variants.push({ bytes: encoder.encode(candidate), verdict, what });
    }
  };
  add(
    text.replace(/\s+$/, ''),
    'whitespace-changed',
    'a trailing newline or spaces were added after signing',
  );
  add(`${text}\n`, 'whitespace-changed', 'a trailing newline was removed after signing');
  add(text.replace(/\r\n/g, '\n'), 'whitespace-changed', 'line endings were changed to CRLF after signing');
  add(
    text.replace(/(?<!\r)\n/g, '\r\n'),
    'whitespace-changed',
    'line endings were changed from CRLF to LF after signing',
  );
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return variants;
  }
  add(
    formatCjson(parsed),
    're-serialised',
    'Tencent signed its tab-indented (cJSON) form, and the body was re-serialised since',
  );
  add(
    JSON.stringify(parsed),
    're-serialised',
    'the body was signed compact (JSON.stringify) and re-formatted since',
  );
  add(
    JSON.stringify(parsed, null, 2),
    're-serialised',
    'the body was signed 2-space indented and re-formatted since',
  );
  add(
    JSON.stringify(parsed, null, 4),
    're-serialised',
    'the body was signed 4-space indented and re-formatted since',
  );
  add(
    JSON.stringify(parsed, null, '\t'),
    're-serialised',
    'the body was signed tab-indented and re-formatted since',
  );
  return variants;
}

const RAW_BYTES_HINT =
  'Verify the exact bytes received, before any JSON parser or logger touches them (TRTC signs the raw bytes: https://trtc.io/document/54912): use a raw body parser.';

function diagnoseTrtc(input: DiagnoseInput): Diagnosis {
  const sign = input.headers.sign?.trim();
  const sdkAppId = input.headers.sdkappid?.trim();
  const base = { family: 'trtc' as const, verified: false, ...(sdkAppId ? { sdkAppId } : {}) };
  if (!sign) {
    return {
      ...base,
      verdict: 'missing-signature',
      message: 'no Sign header: Tencent sends Sign and SdkAppId headers with every TRTC callback',
      hints: [
        'Pass the captured header with --sign (and --sdk-app-id), or check that your proxy forwards it.',
      ],
    };
  }
  const key = (sdkAppId ? input.trtcKeys[sdkAppId] : undefined) ?? input.trtcKeys['*'];
  const others = Object.entries(input.trtcKeys).filter(([app]) => app !== sdkAppId && app !== '*');
  if (key === undefined && others.length === 0) {
    return {
      ...base,
      verdict: 'no-key',
      message: `no TRTC key to verify with${sdkAppId ? ` for SdkAppId ${sdkAppId}` : ''}`,
      hints: ['Pass --key, or set LIVEHOOKS_TRTC_KEYS=sdkappid:key as the gateway reads it.'],
    };
  }
  const hints = sdkAppId
    ? []
    : ['The SdkAppId header is missing; Tencent sends it, and the gateway needs it to pick the key.'];
  if (key !== undefined) {
    if (signTrtc(key, input.body) === sign) {
      return {
        ...base,
        verified: true,
        verdict: 'verified',
        message: 'the Sign matches the body and the key',
        hints,
        matchedKey: sdkAppId ?? '*',
      };
    }
    const digest = createHmac('sha256', key).update(input.body).digest();
    if (sign.toLowerCase() === digest.toString('hex')) {
      return {
        ...base,
        verdict: 'wrong-encoding',
        message:
          'the Sign is the right HMAC written in hex; Tencent writes it in standard Base64 with padding',
        hints: [
          'Encode the HMAC-SHA256 digest with Base64 (not hex) when signing or comparing (https://trtc.io/document/54912).',
        ],
      };
    }
    if (sign === digest.toString('base64url')) {
      return {
        ...base,
        verdict: 'wrong-encoding',
        message:
          'the Sign is the right HMAC written in base64url; Tencent uses standard Base64 with + / and = padding',
        hints: ['Use standard Base64 (https://trtc.io/document/54912).'],
      };
    }
    for (const variant of bodyVariants(input.body)) {
      if (signTrtc(key, variant.bytes) === sign) {
        return {
          ...base,
          verdict: variant.verdict,
          message: `the key is right, but this is not the body that was signed: ${variant.what}`,
          hints: [RAW_BYTES_HINT, ...hints],
        };
      }
    }
  }
  for (const [app, otherKey] of others) {
    if (signTrtc(otherKey, input.body) === sign) {
      return {
        ...base,
        verdict: 'wrong-app',
        message: `the Sign matches the key of SdkAppId ${app}, but the SdkAppId header says ${sdkAppId ?? '(none)'}`,
        hints: [
          'Check which application the callback belongs to, and the SdkAppId header your proxy forwards.',
        ],
      };
    }
  }
  return {
    ...base,
    verdict: 'wrong-key',
    message:
      key === undefined
        ? `no key is configured for SdkAppId ${sdkAppId ?? '(none)'}, and no other key matches`
        : 'the Sign matches neither the body with this key nor any whitespace change or re-serialisation of it',
    hints: [
      'The key differs from the callback key in the TRTC console, or the body was altered beyond formatting.',
      ...hints,
    ],
  };
}

function diagnoseCss(input: DiagnoseInput, payload: Record<string, unknown> | undefined): Diagnosis {
  const base = { family: 'css' as const, verified: false };
  if (!payload) {
    return {
      ...base,
      verdict: 'malformed-signature',
      message: 'the body is not a JSON object, so it cannot carry the CSS t and sign fields',
      hints: ['Check that the file holds the body exactly as received.'],
    };
  }
  const { t, sign } = payload;
  const eventType = Number(payload.event_type);
  if (t === undefined && sign === undefined && UNSIGNED_CSS_EVENTS.has(eventType)) {
    return {
      ...base,
      verdict: 'unsigned-event',
      message: `Tencent sends CSS ${eventType} callbacks without a signature, so they cannot be verified by signature`,
      hints: [
        'Receive them on a URL carrying the ingest secret (LIVEHOOKS_INGEST_SECRET), or allow unsigned callbacks (livehooks serve --dev does).',
      ],
    };
  }
  if (t === undefined || sign === undefined) {
    const missing = [t === undefined ? 't' : undefined, sign === undefined ? 'sign' : undefined].filter(
      Boolean,
    );
    return {
      ...base,
      verdict: 'missing-signature',
      message: `the body has no ${missing.join(' and ')} field: CSS signs with t (expiry) and sign = md5(key + t) in the body`,
      hints: ['Set a callback key in the CSS callback template; without one Tencent sends no signature.'],
    };
  }
  const tText =
    typeof t === 'number' && Number.isSafeInteger(t)
      ? String(t)
      : typeof t === 'string' && /^\d{1,12}$/.test(t)
        ? t
        : undefined;
  if (tText === undefined || typeof sign !== 'string') {
    return {
      ...base,
      verdict: 'malformed-signature',
      message: `t must be an integer of unix seconds and sign a string (got t ${JSON.stringify(t)}, sign of type ${typeof sign})`,
      hints: [],
    };
  }
  const expiresAt = Number(tText);
  if (input.cssKeys.length === 0) {
    return {
      ...base,
      verdict: 'no-key',
      expiresAt,
      message: 'no CSS key to verify with',
      hints: ['Pass --key (repeatable for a rotation), or set LIVEHOOKS_CSS_KEYS as the gateway reads it.'],
    };
  }
  const received = sign.toLowerCase();
  const index = input.cssKeys.findIndex((key) => signCss(key, tText) === received);
  if (index === -1) {
    if (input.cssKeys.some((key) => signCss(tText, key) === received)) {
      return {
        ...base,
        verdict: 'wrong-order',
        expiresAt,
        message: 'sign is md5(t + key); Tencent computes md5(key + t), key first',
        hints: [
          'Concatenate the key, then the decimal t, then take the MD5 (https://cloud.tencent.com/document/product/267/32744).',
        ],
      };
    }
    return {
      ...base,
      verdict: 'wrong-key',
      expiresAt,
      message: `sign does not match md5(key + t) for any of the ${input.cssKeys.length} key(s) given`,
      hints: [
        'CSS signs only t, not the body: re-serialising or reformatting the body never breaks a CSS signature.',
        'The key differs from the CallbackKey of the CSS callback template, or t or sign were edited.',
      ],
    };
  }
  const matchedKey = String(index + 1);
  const hints = index > 0 ? [`It matches key #${matchedKey} of those given (a rotation in progress?).`] : [];
  const late = Math.floor(input.now / 1000) - expiresAt;
  if (late > input.skewSeconds) {
    return {
      ...base,
      verdict: 'expired',
      expiresAt,
      matchedKey,
      message: `the signature is correct, but t expired ${late} s ago (${new Date(expiresAt * 1000).toISOString()})`,
      hints: [
        'Tencent sets t 10 minutes ahead; a late retry or a replay arrives expired. The gateway keeps such callbacks flagged stale unless told to reject them.',
        'Check the receiving clock, or allow more skew (--skew).',
        ...hints,
      ],
    };
  }
  return {
    ...base,
    verified: true,
    verdict: 'verified',
    expiresAt,
    matchedKey,
    message: `sign matches md5(key + t) and t is current (expires ${new Date(expiresAt * 1000).toISOString()})`,
    hints,
  };
}

/**
 * Explains whether a callback verifies and, when it does not, the likeliest reason: missing
 * signature, wrong key, body re-serialised or whitespace changed (TRTC), `t` expired (CSS).
 * Keys are used, never reported.
 */
export function diagnoseSignature(input: DiagnoseInput): Diagnosis {
  const family = input.family ?? describeCallback(input.body, input.headers).family;
  if (family === 'trtc') return diagnoseTrtc(input);
  let payload: Record<string, unknown> | undefined;
  try {
    const value = JSON.parse(decoder.decode(input.body)) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value))
      payload = value as Record<string, unknown>;
  } catch {
    payload = undefined;
  }
  return diagnoseCss(input, payload);
}

import type { z } from 'zod';
import { hashes as defaultHashes, type Hashes } from '../crypto/hashes.js';
import type { EventAuth, Family, LivehooksEvent, Subject, ValidationIssue } from '../envelope.js';
import { LivehooksError } from '../errors/livehooks-error.js';
import type { AnyEventDefinition } from '../events/define-event.js';
import { readPath } from '../events/fields.js';
import type { AnyLivehooksEvent } from '../events/index.js';
import { cssUnknown, trtcUnknown } from '../events/unknown.js';
import { createEventId } from '../id.js';
import { verifyCssSignature, type CssVerifyOptions } from '../signature/css-signature.js';
import { verifyTrtcSignature } from '../signature/trtc-signature.js';
import { classify, sourceOf } from './classify.js';
import { keptHeaders, normalizeHeaders, type HeadersInput } from './headers.js';

/** CSS verification settings. */
export interface CssOptions {
  /** Callback keys; several during a rotation. */
  keys?: readonly string[];
  /** Seconds past the expiry `t` before a callback counts as stale. Default 0. */
  skewSeconds?: number;
  /** Reject stale callbacks (`LH_ERR_CSS_SIGN_EXPIRED`) instead of flagging them. Default false. */
  rejectStale?: boolean;
  /** Accept CSS callbacks that carry no `t`/`sign` (314, 321, 328). Default false. */
  allowUnsigned?: boolean;
}

/** TRTC verification settings. */
export interface TrtcOptions {
  /** Callback key per `SdkAppId`. */
  keys?: Readonly<Record<string, string>>;
  /** Accept TRTC callbacks without a `Sign` header. Default false. */
  allowUnsigned?: boolean;
}

/** Options for {@link parseCallback}. */
export interface ParseOptions {
  css?: CssOptions;
  trtc?: TrtcOptions;
  /** Treat the body as this family instead of detecting it (e.g. on `/callbacks/trtc`). */
  family?: Family;
  /** Largest accepted body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
  /** Hash implementation; defaults to the runtime's. */
  hashes?: Hashes;
}

/** Default body size limit: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });
const JSON_TYPE = /^(application\/(.+\+)?json|text\/(plain|json))$/i;
/** Fields that differ between a callback and its retries, left out of fallback dedupe keys. */
const VOLATILE_FIELDS = new Set(['t', 'sign', 'CallbackTs', 'CallbackMsTs']);

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fallbackDedupeKey(source: string, payload: Record<string, unknown>, hashes: Hashes): string {
  const stable: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) if (!VOLATILE_FIELDS.has(key)) stable[key] = value;
  return `${source}:sha256:${hashes.sha256Hex(stableStringify(stable))}`;
}

const splitPaths = new WeakMap<AnyEventDefinition, readonly string[][]>();

function dedupePathsOf(definition: AnyEventDefinition): readonly string[][] {
  let paths = splitPaths.get(definition);
  if (!paths) {
    paths = definition.dedupeKey.map((path) => path.split('.'));
    splitPaths.set(definition, paths);
  }
  return paths;
}

function dedupeKeyOf(
  definition: AnyEventDefinition,
  source: string,
  payload: Record<string, unknown>,
  hashes: Hashes,
): string {
  if (definition.dedupeKey.length === 0) return fallbackDedupeKey(source, payload, hashes);
  const parts = dedupePathsOf(definition).map((path) => {
    const value = readPath(payload, path);
    if (value === undefined || value === null) return '';
    return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean'
      ? String(value)
      : stableStringify(value);
  });
  return `${definition.type}:${parts.join('|')}`;
}

function detectFamily(headers: Record<string, string>, payload: Record<string, unknown>): Family {
  if ('EventGroupId' in payload) return 'trtc';
  if ('event_type' in payload) return 'css';
  throw new LivehooksError(
    'LH_ERR_UNKNOWN_CALLBACK',
    headers.sign !== undefined
      ? 'body carries a Sign header but no EventGroupId field'
      : 'body has neither event_type (CSS) nor EventGroupId (TRTC)',
  );
}

function decodeJson(raw: Uint8Array): Record<string, unknown> {
  let text: string;
  try {
    text = decoder.decode(raw);
  } catch (cause) {
    throw new LivehooksError('LH_ERR_INVALID_JSON', 'body is not valid UTF-8', { cause });
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new LivehooksError('LH_ERR_INVALID_JSON', `body is not valid JSON: ${(cause as Error).message}`, {
      cause,
    });
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new LivehooksError(
      'LH_ERR_UNSUPPORTED_CONTENT',
      `body is JSON but not an object (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`,
    );
  }
  return value as Record<string, unknown>;
}

function authenticateTrtc(
  raw: Uint8Array,
  headers: Record<string, string>,
  options: ParseOptions,
  hashes: Hashes,
): EventAuth {
  const sign = headers.sign;
  if (!sign && options.trtc?.allowUnsigned) return { method: 'unsigned', stale: false };
  if (!sign) throw new LivehooksError('LH_ERR_SIGNATURE_MISSING', 'TRTC callback has no Sign header');
  const sdkAppId = headers.sdkappid?.trim();
  if (!sdkAppId)
    throw new LivehooksError('LH_ERR_UNKNOWN_APP', 'TRTC callback has a Sign but no SdkAppId header');
  const key = options.trtc?.keys?.[sdkAppId];
  if (key === undefined) {
    throw new LivehooksError(
      'LH_ERR_UNKNOWN_APP',
      `no TRTC callback key configured for SdkAppId ${JSON.stringify(sdkAppId.slice(0, 32))}`,
    );
  }
  verifyTrtcSignature(raw, sign, key, hashes);
  return { method: 'trtc-hmac', keyId: `trtc:${sdkAppId}`, stale: false };
}

function authenticateCss(payload: Record<string, unknown>, options: ParseOptions, hashes: Hashes): EventAuth {
  const css = options.css ?? {};
  if (payload.t === undefined && payload.sign === undefined && css.allowUnsigned) {
    return { method: 'unsigned', stale: false };
  }
  const verifyOptions: CssVerifyOptions = { keys: css.keys ?? [], hashes };
  if (options.now) verifyOptions.now = options.now;
  if (css.skewSeconds !== undefined) verifyOptions.skewSeconds = css.skewSeconds;
  if (css.rejectStale !== undefined) verifyOptions.rejectStale = css.rejectStale;
  const verification = verifyCssSignature({ t: payload.t, sign: payload.sign }, verifyOptions);
  return { method: 'css-md5', keyId: `css:${verification.keyIndex}`, stale: verification.stale };
}

function issuesOf(error: z.ZodError): ValidationIssue[] {
  return error.issues.slice(0, 20).map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}

/**
 * Verifies, parses and normalises one callback from its raw body and headers. Throws a
 * {@link LivehooksError} with a stable code when the callback is not genuine or not readable;
 * a genuine callback of an unknown type, or one failing its schema, becomes `css.unknown` /
 * `trtc.unknown` and is never rejected.
 *
 * @example
 * ```ts
 * const event = parseCallback(rawBody, request.headers, {
 *   css: { keys: ['css-key'] },
 *   trtc: { keys: { '1400000001': 'trtc-key' } },
 * });
 * if (event.type === 'css.monitor.low_framerate') console.log(event.summary);
 * ```
 */
export function parseCallback(
  rawBody: Uint8Array | string,
  headersInput?: HeadersInput,
  options: ParseOptions = {},
): AnyLivehooksEvent {
  const hashes = options.hashes ?? defaultHashes;
  const now = options.now ?? Date.now;
  const receivedAt = now();
  const raw = typeof rawBody === 'string' ? encoder.encode(rawBody) : rawBody;
  const headers = normalizeHeaders(headersInput);
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  if (raw.byteLength > limit) {
    throw new LivehooksError(
      'LH_ERR_BODY_TOO_LARGE',
      `body is ${raw.byteLength} bytes; the limit is ${limit}`,
    );
  }
  const contentType = headers['content-type']?.split(';')[0]?.trim();
  if (contentType && !JSON_TYPE.test(contentType)) {
    throw new LivehooksError(
      'LH_ERR_UNSUPPORTED_CONTENT',
      `content type ${JSON.stringify(contentType.slice(0, 100))} is not JSON; Tencent sends application/json`,
    );
  }

  // TRTC signs the raw bytes: verify before parsing, so a forged body is never parsed (PROTOCOL.md §1).
  const trtcByHeader =
    options.family === 'trtc' || (options.family === undefined && headers.sign !== undefined);
  let auth = trtcByHeader ? authenticateTrtc(raw, headers, options, hashes) : undefined;
  const payload = decodeJson(raw);
  const family = options.family ?? (trtcByHeader ? 'trtc' : detectFamily(headers, payload));
  auth ??=
    family === 'trtc'
      ? authenticateTrtc(raw, headers, options, hashes)
      : authenticateCss(payload, options, hashes);

  let definition = classify(family, payload);
  const source = sourceOf(family, payload);
  let issues: ValidationIssue[] | undefined;
  let parsed: Record<string, unknown> = payload;
  const result = definition.schema.safeParse(payload);
  if (result.success) {
    parsed = result.data;
  } else {
    issues = issuesOf(result.error);
    definition = family === 'css' ? cssUnknown : trtcUnknown;
  }

  const data: unknown = definition.data(parsed);
  const subject: Subject = definition.subject(data, parsed);
  if (family === 'trtc' && subject.sdkAppId === undefined && headers.sdkappid) {
    subject.sdkAppId = headers.sdkappid.trim();
  }
  const event: LivehooksEvent = {
    id: createEventId(receivedAt),
    type: definition.type,
    family,
    source,
    dedupeKey: dedupeKeyOf(definition, source, payload, hashes),
    occurredAt: definition.occurredAt(data, parsed) ?? receivedAt,
    receivedAt,
    subject,
    data,
    summary: definition.summary(data, subject),
    payload,
    raw,
    headers: keptHeaders(headers),
    auth,
  };
  if (issues) event.issues = issues;
  return event as AnyLivehooksEvent;
}

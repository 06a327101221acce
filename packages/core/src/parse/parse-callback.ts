import type { z } from 'zod';
import { hashes as defaultHashes, type Hashes } from '../crypto/hashes.js';
import type { EventAuth, Family, LivehooksEvent, Subject, ValidationIssue } from '../envelope.js';
import { LivehooksError } from '../errors/livehooks-error.js';
import { compileSchema, INVALID } from '../events/_compile-schema.js';
import type { AnyEventDefinition } from '../events/define-event.js';
import { numberOf, numberText, ownEntry, readPath } from '../events/fields.js';
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
  /** Callback key per `SdkAppId`, as a record or a map; only the record's own keys count. */
  keys?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
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

/** Dedupe keys longer than this are hashed: the key is a unique index, and index entries are bounded (2704 bytes on PostgreSQL). */
const MAX_DEDUPE_KEY = 512;
/** Subject ids longer than this are left out of the subject (the payload keeps them): no Tencent id is near it. */
const MAX_SUBJECT_ID = 256;
/** Summaries are one line; longer ones are cut. */
const MAX_SUMMARY = 500;
/** Event times beyond what a `Date` can hold (year 275760) are not times. */
const MAX_TIME_MS = 8.64e15;

/**
 * JSON with object keys sorted, leaving out the top-level `omit` keys. Reads keys with `Object.keys`, so
 * a `__proto__` key that `JSON.parse` made an own property is written like any other.
 */
function stableStringify(value: unknown, omit?: ReadonlySet<string>): string {
  if (Array.isArray(value)) return `[${value.map((item) => stableStringify(item)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((key) => !omit?.has(key))
      .sort()
      .map((key) => `${JSON.stringify(key)}:${stableStringify((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function fallbackDedupeKey(prefix: string, payload: Record<string, unknown>, hashes: Hashes): string {
  return `${prefix}:sha256:${hashes.sha256Hex(stableStringify(payload, VOLATILE_FIELDS))}`;
}

const splitPaths = new WeakMap<AnyEventDefinition, readonly (readonly string[])[]>();

function dedupePathsOf(definition: AnyEventDefinition): readonly (readonly string[])[] {
  let paths = splitPaths.get(definition);
  if (!paths) {
    paths = definition.dedupeKey.map((path) => path.split('.'));
    splitPaths.set(definition, paths);
  }
  return paths;
}

/** {@link readPath} for a path already split into its segments. */
function readSegments(body: unknown, segments: readonly string[]): unknown {
  let value = body;
  for (let i = 0; i < segments.length; i++) {
    const key = segments[i]!;
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function dedupeKeyOf(
  definition: AnyEventDefinition,
  source: string,
  payload: Record<string, unknown>,
  hashes: Hashes,
): string {
  if (definition.dedupeKey.length === 0) return fallbackDedupeKey(source, payload, hashes);
  const { dedupeKeyRequires } = definition;
  if (dedupeKeyRequires && !dedupeKeyRequires.some((path) => present(readPath(payload, path)))) {
    return fallbackDedupeKey(definition.type, payload, hashes);
  }
  const paths = dedupePathsOf(definition);
  let key = '';
  for (let i = 0; i < paths.length; i++) {
    if (i > 0) key += '|';
    const value = readSegments(payload, paths[i]!);
    if (value === undefined || value === null) continue;
    key +=
      typeof value === 'string'
        ? value
        : typeof value === 'number'
          ? numberText(value)
          : typeof value === 'boolean'
            ? String(value)
            : stableStringify(value);
  }
  return key.length > MAX_DEDUPE_KEY
    ? `${definition.type}:sha256:${hashes.sha256Hex(key)}`
    : `${definition.type}:${key}`;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function keyOf(keys: TrtcOptions['keys'], sdkAppId: string): string | undefined {
  if (keys === undefined) return undefined;
  // The SdkAppId header is untrusted: `__proto__` or `constructor` must not read what a record inherits.
  const key: unknown =
    keys instanceof Map
      ? (keys as ReadonlyMap<string, string>).get(sdkAppId)
      : ownEntry(keys as Readonly<Record<string, string>>, sdkAppId);
  return typeof key === 'string' ? key : undefined;
}

/** Leaves over-long ids out of a subject, so an index on them never overflows. */
function boundedSubject(subject: Subject): void {
  for (const field of Object.keys(subject) as (keyof Subject)[]) {
    if ((subject[field]?.length ?? 0) > MAX_SUBJECT_ID) delete subject[field];
  }
}

/** An event time as stored: a whole number of ms a `Date` can hold, else undefined. */
function eventTime(ms: number | undefined): number | undefined {
  return ms !== undefined && Number.isFinite(ms) && ms > 0 && ms <= MAX_TIME_MS ? Math.round(ms) : undefined;
}

/** The media type of a `Content-Type` value, without its parameters (`; charset=utf-8`). */
function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const semicolon = contentType.indexOf(';');
  return (semicolon < 0 ? contentType : contentType.slice(0, semicolon)).trim();
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
  const key = keyOf(options.trtc?.keys, sdkAppId);
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

/** Why a body could not be classified: its type fields are not numbers (an object, an array, null, a word). */
function typeFieldIssues(family: Family, payload: Record<string, unknown>): ValidationIssue[] | undefined {
  const fields = family === 'css' ? ['event_type'] : ['EventGroupId', 'EventType'];
  const issues = fields
    .filter((field) => numberOf(payload[field]) === undefined)
    .map((path) => ({ path, message: 'expected a number or a numeric string' }));
  return issues.length > 0 ? issues : undefined;
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
  const contentType = mediaTypeOf(headers['content-type']);
  if (contentType && contentType !== 'application/json' && !JSON_TYPE.test(contentType)) {
    throw new LivehooksError(
      'LH_ERR_UNSUPPORTED_CONTENT',
      `content type ${JSON.stringify(contentType.slice(0, 100))} is not JSON; Tencent sends application/json`,
    );
  }

  // TRTC signs the raw bytes: verify before parsing, so a forged body is never parsed
  // (https://trtc.io/document/54912).
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
  let classifiedAs: string | undefined;
  let parsed: Record<string, unknown> = payload;
  // The compiled schema gives zod's answer for valid bodies at a fraction of the cost; zod itself
  // describes what fails (docs/performance.md).
  const valid = compileSchema(definition.schema)(payload);
  const result = valid === INVALID ? definition.schema.safeParse(payload) : undefined;
  if (result === undefined || result.success) {
    parsed = (result === undefined ? valid : result.data) as Record<string, unknown>;
    if (definition === cssUnknown || definition === trtcUnknown) issues = typeFieldIssues(family, payload);
  } else {
    issues = issuesOf(result.error);
    classifiedAs = definition.type;
    definition = family === 'css' ? cssUnknown : trtcUnknown;
  }

  const data: unknown = definition.data(parsed);
  const subject: Subject = definition.subject(data, parsed);
  if (family === 'trtc' && subject.sdkAppId === undefined && headers.sdkappid) {
    subject.sdkAppId = headers.sdkappid.trim();
  }
  boundedSubject(subject);
  const summary = definition.summary(data, subject);
  const event: LivehooksEvent = {
    id: createEventId(receivedAt),
    type: definition.type,
    family,
    source,
    dedupeKey: dedupeKeyOf(definition, source, payload, hashes),
    occurredAt: eventTime(definition.occurredAt(data, parsed)) ?? receivedAt,
    receivedAt,
    subject,
    data,
    summary: summary.length > MAX_SUMMARY ? `${summary.slice(0, MAX_SUMMARY - 1)}…` : summary,
    payload,
    raw,
    headers: keptHeaders(headers),
    auth,
  };
  if (issues) event.issues = issues;
  if (classifiedAs) event.classifiedAs = classifiedAs;
  return event as AnyLivehooksEvent;
}

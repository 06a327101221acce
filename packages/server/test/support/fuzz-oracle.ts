import { signCss, signTrtc } from '@livehooks/core';
import { TEST_KEYS } from '@livehooks/fixtures';
import { MAX_JSON_DEPTH } from '../../src/ingest/json-depth.js';
import { TEST_INGEST_SECRET } from './test-secrets.js';

/**
 * The answers DESIGN's "What a request gets" table allows for one request, worked out from the request
 * alone: a reference model of the gateway's contract, independent of its code paths.
 */
export interface Expectation {
  /** Allowed statuses, each with the `code`s its `{ code, error }` body may carry (`'*'`: any `LH_ERR_*`). */
  allowed: Map<number, ReadonlySet<string> | '*'>;
  /**
   * Whether a refusal must leave a rejection record: `true` when the request reaches a callback route,
   * `false` when it cannot, `'maybe'` when routing of an odd path is the router's choice.
   */
  recorded: boolean | 'maybe';
  /** Why: the route and the faults the model found, for failure messages. */
  reasons: string[];
}

/** A request as the gateway sees it once the bytes are framed. */
export interface ModelRequest {
  method: string;
  /** The request target as sent. */
  path: string;
  /** Header names lowercased; repeated headers joined with `, ` (as Node does for most headers). */
  headers: Record<string, string>;
  body: Buffer;
}

/** Options of the gateway under test that the model needs. */
export interface ModelConfig {
  maxBodyBytes: number;
}

const SIGNATURE_CODES = ['LH_ERR_SIGNATURE_MISSING', 'LH_ERR_SIGNATURE_MISMATCH', 'LH_ERR_UNKNOWN_APP'];
const TRTC_KEYS: Readonly<Record<string, string>> = { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key };
/** Content types that are JSON beyond doubt; others are refused or, for near-JSON ones, may be. */
const JSON_TYPE = /^application\/json$/i;
const NEAR_JSON_TYPE = /^(application\/([\w.+-]+\+)?json[\w-]*|text\/(plain|json)|json|application\/\*?)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

type Route =
  | { kind: 'ingest'; family: 'auto' | 'css' | 'trtc'; viaSecret: boolean }
  | { kind: 'miss' }
  | { kind: 'odd' }
  | { kind: 'elsewhere' };

/** Which route a path must reach; `odd` when the answer depends on how the router decodes it. */
function routeOf(target: string): Route {
  const path = target.split('?', 1)[0]!;
  if (path === '/callbacks') return { kind: 'ingest', family: 'auto', viaSecret: false };
  if (!path.startsWith('/callbacks/')) {
    return /^\/[\w/-]*$/.test(path) && !/^\/callbacks/i.test(path) ? { kind: 'elsewhere' } : { kind: 'odd' };
  }
  const segments = path.slice('/callbacks/'.length).split('/');
  // The router refuses parameters over 100 characters (414) before any route runs.
  if (segments.some((segment) => !/^[\w~-][\w.~-]{0,99}$/.test(segment))) return { kind: 'odd' };
  const [first, second] = segments;
  if (segments.length === 1) {
    if (first === 'css' || first === 'trtc') return { kind: 'ingest', family: first, viaSecret: false };
    return first === TEST_INGEST_SECRET
      ? { kind: 'ingest', family: 'auto', viaSecret: true }
      : { kind: 'miss' };
  }
  if (segments.length === 2) {
    if (first === TEST_INGEST_SECRET && (second === 'css' || second === 'trtc')) {
      return { kind: 'ingest', family: second, viaSecret: true };
    }
    // Fastify's router tries `/callbacks/:secret/:family` for any two segments, `css`/`trtc` first included.
    return { kind: 'miss' };
  }
  return { kind: 'elsewhere' };
}

/** Nesting depth of a JSON text, counted over brackets outside strings. */
function depthOf(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{' || char === '[') max = Math.max(max, ++depth);
    else if (char === '}' || char === ']') depth--;
  }
  return max;
}

/** The decimal text a genuine CSS `t` stands for: a non-negative integer, as a number or up to 12 digits. */
function cssTText(t: unknown): string | undefined {
  if (typeof t === 'number') return Number.isSafeInteger(t) && t >= 0 ? String(t) : undefined;
  if (typeof t === 'string' && /^\d{1,12}$/.test(t)) return t;
  return undefined;
}

class Verdict {
  readonly allowed = new Map<number, Set<string> | '*'>();
  /** True while nothing found makes the request non-genuine. */
  acceptable = true;
  readonly reasons: string[] = [];

  refuse(status: number, codes: readonly string[] | '*', reason: string, definite = true): void {
    const current = this.allowed.get(status);
    if (codes === '*' || current === '*') this.allowed.set(status, '*');
    else this.allowed.set(status, new Set([...(current ?? []), ...codes]));
    if (definite) this.acceptable = false;
    if (reason !== '') this.reasons.push(reason);
  }

  expectation(recorded: boolean | 'maybe'): Expectation {
    const allowed = new Map(this.allowed);
    if (this.acceptable) allowed.set(200, new Set());
    return { allowed, recorded, reasons: this.reasons };
  }
}

/** The faults of a body on an ingest route, as DESIGN's table and the signing protocols define them. */
function judgeCallback(
  verdict: Verdict,
  route: { family: 'auto' | 'css' | 'trtc'; viaSecret: boolean },
  request: ModelRequest,
  config: ModelConfig,
): void {
  const { headers, body } = request;
  if (body.byteLength > config.maxBodyBytes) {
    verdict.refuse(413, ['LH_ERR_BODY_TOO_LARGE'], 'body over the limit');
    return;
  }
  const type = headers['content-type']?.split(';', 1)[0]!.trim();
  if (type === undefined || !JSON_TYPE.test(type)) {
    const near = type === undefined || type === '' || NEAR_JSON_TYPE.test(type);
    verdict.refuse(400, ['LH_ERR_UNSUPPORTED_CONTENT'], `content type ${String(type)}`, !near);
  }
  if (headers['content-encoding'] !== undefined && !/^\s*identity\s*$/i.test(headers['content-encoding'])) {
    verdict.refuse(400, ['LH_ERR_UNSUPPORTED_CONTENT'], 'content encoding claimed', false);
  }
  const trtc = route.family === 'trtc' || (route.family === 'auto' && headers.sign !== undefined);
  if (trtc) judgeTrtcSignature(verdict, headers, body);

  let payload: unknown;
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    verdict.refuse(400, ['LH_ERR_INVALID_JSON'], 'invalid UTF-8');
    return;
  }
  if (depthOf(text) > MAX_JSON_DEPTH) {
    verdict.refuse(400, ['LH_ERR_INVALID_JSON'], 'nested too deep');
    return;
  }
  try {
    payload = JSON.parse(text);
  } catch {
    verdict.refuse(400, ['LH_ERR_INVALID_JSON'], 'not JSON');
    return;
  }
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    verdict.refuse(400, ['LH_ERR_UNSUPPORTED_CONTENT', 'LH_ERR_INVALID_JSON'], 'JSON but not an object');
    return;
  }
  if (trtc) return;
  const fields = payload as Record<string, unknown>;
  const family =
    route.family !== 'auto'
      ? route.family
      : Object.hasOwn(fields, 'EventGroupId')
        ? 'trtc'
        : Object.hasOwn(fields, 'event_type')
          ? 'css'
          : undefined;
  if (family === undefined) verdict.refuse(400, ['LH_ERR_UNKNOWN_CALLBACK'], 'neither CSS nor TRTC');
  else if (family === 'trtc') judgeTrtcSignature(verdict, headers, body);
  else judgeCssSignature(verdict, fields, route.viaSecret);
}

function judgeTrtcSignature(verdict: Verdict, headers: Record<string, string>, body: Buffer): void {
  const sign = headers.sign?.trim();
  const sdkAppId = headers.sdkappid?.trim();
  const key = sdkAppId !== undefined && Object.hasOwn(TRTC_KEYS, sdkAppId) ? TRTC_KEYS[sdkAppId] : undefined;
  // Standard padded Base64 of the HMAC-SHA256 of the raw bytes (https://trtc.io/document/54912).
  const wellFormed = sign !== undefined && /^[A-Za-z0-9+/]+={0,2}$/.test(sign) && sign.length % 4 === 0;
  const matches =
    wellFormed &&
    key !== undefined &&
    Buffer.from(sign, 'base64').equals(Buffer.from(signTrtc(key, body), 'base64'));
  if (!matches) {
    verdict.refuse(401, SIGNATURE_CODES, 'TRTC Sign does not match');
  }
}

function judgeCssSignature(verdict: Verdict, fields: Record<string, unknown>, viaSecret: boolean): void {
  if (fields.t === undefined && fields.sign === undefined) {
    if (!viaSecret) verdict.refuse(401, ['LH_ERR_SIGNATURE_MISSING'], 'unsigned CSS on a plain URL');
    return;
  }
  const t = cssTText(fields.t);
  const { sign } = fields;
  if (t === undefined || typeof sign !== 'string' || sign.toLowerCase() !== signCss(TEST_KEYS.css, t)) {
    verdict.refuse(401, SIGNATURE_CODES, 'CSS t/sign do not match');
  }
}

const COMMON_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);

/** What the gateway may answer to `request`, and whether a refusal must be recorded. */
export function expectAnswer(request: ModelRequest, config: ModelConfig): Expectation {
  const route = routeOf(request.path);
  const verdict = new Verdict();
  if (route.kind === 'elsewhere') {
    verdict.refuse(404, ['LH_ERR_NOT_FOUND'], `no route ${request.path}`);
    if (request.method !== 'POST') verdict.refuse(405, ['LH_ERR_METHOD_NOT_ALLOWED'], 'not POST');
    return verdict.expectation(false);
  }
  if (request.method !== 'POST') {
    // Tencent sends every callback as a POST: any other method on a callback URL is refused with 405.
    verdict.refuse(405, ['LH_ERR_METHOD_NOT_ALLOWED'], `${request.method} on a callback URL`);
    if (!COMMON_METHODS.has(request.method) || route.kind !== 'ingest') {
      verdict.refuse(404, ['LH_ERR_NOT_FOUND'], 'method unknown to the router, or not a callback URL');
      verdict.refuse(400, '*', 'method unknown to the HTTP parser');
    }
    return verdict.expectation('maybe');
  }
  if (route.kind === 'miss') {
    if (request.body.byteLength > config.maxBodyBytes) {
      verdict.refuse(413, ['LH_ERR_BODY_TOO_LARGE'], 'body over the limit');
    } else {
      verdict.refuse(404, ['LH_ERR_NOT_FOUND'], 'callback URL with a wrong secret or family');
    }
    return verdict.expectation(true);
  }
  if (route.kind === 'odd') {
    // The router may decode the path onto any callback route (then the body decides) or refuse it.
    const decoded = safeDecode(request.path.split('?', 1)[0]!);
    const viaSecret = decoded?.split('/').includes(TEST_INGEST_SECRET) ?? false;
    const families = (['auto', 'css', 'trtc'] as const).map((family) => {
      const one = new Verdict();
      judgeCallback(one, { family, viaSecret }, request, config);
      return one;
    });
    for (const one of families) {
      for (const [status, codes] of one.allowed)
        verdict.refuse(status, codes === '*' ? '*' : [...codes], '', false);
      verdict.reasons.push(...one.reasons);
    }
    verdict.acceptable = families.some((one) => one.acceptable);
    verdict.refuse(404, ['LH_ERR_NOT_FOUND'], `odd path ${request.path}`, false);
    verdict.refuse(400, '*', 'a path the router refuses', false);
    verdict.refuse(414, '*', 'a path segment the router finds too long', false);
    return verdict.expectation('maybe');
  }
  judgeCallback(verdict, route, request, config);
  return verdict.expectation(true);
}

function safeDecode(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

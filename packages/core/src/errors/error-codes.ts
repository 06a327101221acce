import type { Family } from '../envelope.js';

/** A value quoted as JSON and cut to `max` characters, so a message never carries a whole body. */
function quote(value: string, max = 100): string {
  return JSON.stringify(value.length > max ? `${value.slice(0, max)}…` : value);
}

const FAMILY_NAMES: Readonly<Record<Family, string>> = { css: 'CSS', trtc: 'TRTC' };

/**
 * Every error code livehooks produces: the HTTP status a receiver answers, what it means, how to solve
 * it, and the template that builds its message from typed parameters (values are quoted and cut there,
 * so no call site can leak a whole body). `docs/errors.md` is generated from this table.
 *
 * @example
 * ```ts
 * errorCodes.LH_ERR_BODY_TOO_LARGE.message({ limit: 1024, size: 4096 }); // 'body is 4096 bytes; the limit is 1024'
 * ```
 */
export const errorCodes = {
  LH_ERR_SIGNATURE_MISSING: {
    status: 401,
    meaning: 'The callback carries no signature: no `Sign` header (TRTC) or no `t`/`sign` fields (CSS).',
    solution:
      'Set a callback key in the Tencent console. CSS 314, 321 and 328 are never signed: receive them on a URL carrying the ingest secret, or allow unsigned callbacks explicitly.',
    message: (p: { family: 'trtc' } | { family: 'css'; missing: readonly ('t' | 'sign')[] }) =>
      p.family === 'trtc'
        ? 'TRTC callback has no Sign header'
        : `CSS callback has no ${p.missing.map((field) => `\`${field}\``).join(' and ')} field; expected t (expiry) and sign = md5(key + t)`,
  },
  LH_ERR_SIGNATURE_MISMATCH: {
    status: 401,
    meaning: 'The signature does not match any configured key.',
    solution:
      'Check that the key matches the console. For TRTC, verify the raw body bytes: a JSON body parser that re-serialises the body breaks the HMAC. `livehooks verify` explains a mismatch.',
    message: (
      p:
        | { reason: 'trtc-mismatch' }
        | { reason: 'trtc-malformed' }
        | { reason: 'css-malformed'; tType: string; signType: string }
        | { reason: 'css-mismatch'; keyCount: number },
    ) => {
      switch (p.reason) {
        case 'trtc-mismatch':
          return 'TRTC Sign does not match base64(HMAC-SHA256(key, raw body)); was the body re-serialised, or is the key wrong?';
        case 'trtc-malformed':
          return 'TRTC Sign is not standard padded Base64 of a 32-byte HMAC-SHA256';
        case 'css-malformed':
          return `CSS callback has a malformed signature: t must be an integer of unix seconds and sign a string (got t of type ${p.tType}, sign of type ${p.signType})`;
        case 'css-mismatch':
          return `CSS sign does not match md5(key + t) for any of the ${p.keyCount} configured key(s)`;
      }
    },
  },
  LH_ERR_UNKNOWN_APP: {
    status: 401,
    meaning: 'A TRTC callback names an `SdkAppId` for which no key is configured.',
    solution: 'Add `sdkAppId:key` to the TRTC keys (`LIVEHOOKS_TRTC_KEYS` or `trtc.keys`).',
    message: (p: { sdkAppId: string | undefined }) =>
      p.sdkAppId === undefined
        ? 'TRTC callback has a Sign but no SdkAppId header'
        : `no TRTC callback key configured for SdkAppId ${quote(p.sdkAppId, 32)}`,
  },
  LH_ERR_NO_KEY: {
    status: 401,
    meaning: 'A signed callback arrived for a family with no key configured.',
    solution: 'Configure the CSS callback key (`LIVEHOOKS_CSS_KEYS` or `css.keys`).',
    message: (p: { family: Family }) =>
      `${FAMILY_NAMES[p.family]} callback is signed but no ${FAMILY_NAMES[p.family]} callback key is configured`,
  },
  LH_ERR_CSS_SIGN_EXPIRED: {
    status: 401,
    meaning:
      'A correctly signed CSS callback whose expiry `t` has passed, with stale callbacks set to be rejected.',
    solution:
      'Check the receiving clock, raise the allowed skew, or accept stale callbacks (the default: they are kept and flagged `stale`).',
    message: (p: { t: string; secondsAgo: number }) =>
      `CSS callback is correctly signed but expired at t=${quote(p.t, 20)}, ${Math.round(p.secondsAgo)} s ago`,
  },
  LH_ERR_INVALID_JSON: {
    status: 400,
    meaning: 'The body is not valid UTF-8 JSON.',
    solution: 'Send the callback body exactly as Tencent sends it: a UTF-8 JSON object.',
    message: (
      p: { problem: 'utf8' } | { problem: 'syntax'; detail: string } | { problem: 'depth'; maxDepth: number },
    ) => {
      switch (p.problem) {
        case 'utf8':
          return 'body is not valid UTF-8';
        case 'syntax':
          return `body is not valid JSON: ${p.detail.slice(0, 200)}`;
        case 'depth':
          return `body nests deeper than ${p.maxDepth} levels`;
      }
    },
  },
  LH_ERR_UNSUPPORTED_CONTENT: {
    status: 400,
    meaning: 'The body is not a JSON object, or its content type is not JSON.',
    solution: 'Send `Content-Type: application/json` with a JSON object body.',
    message: (p: { contentType?: string | undefined; malformed?: boolean } | { bodyKind: string }) =>
      'bodyKind' in p
        ? `body is JSON but not an object (got ${p.bodyKind})`
        : `${p.contentType === undefined ? 'the Content-Type header' : `content type ${quote(p.contentType)}`} is ${p.malformed === true ? 'not a valid media type' : 'not JSON'}; Tencent sends application/json`,
  },
  LH_ERR_UNKNOWN_CALLBACK: {
    status: 400,
    meaning: 'The body is neither a CSS callback (`event_type`) nor a TRTC callback (`EventGroupId`).',
    solution:
      'Point only Tencent CSS and TRTC callbacks at this endpoint, or use `/callbacks/css` and `/callbacks/trtc`.',
    message: (p: { signHeader: boolean }) =>
      p.signHeader
        ? 'body carries a Sign header but no EventGroupId field'
        : 'body has neither event_type (CSS) nor EventGroupId (TRTC)',
  },
  LH_ERR_BODY_TOO_LARGE: {
    status: 413,
    meaning: 'The body exceeds the size limit (1 MiB by default).',
    solution: 'Tencent callbacks are a few KiB; raise `maxBodyBytes` only if a genuine callback is larger.',
    message: (p: { limit: number; size?: number | undefined }) =>
      p.size === undefined
        ? `body is larger than the limit of ${p.limit} bytes`
        : `body is ${p.size} bytes; the limit is ${p.limit}`,
  },
  LH_ERR_BODY_CONSUMED: {
    status: 500,
    meaning: 'A body parser consumed the request body before livehooks could read the raw bytes.',
    solution:
      'Mount the livehooks adapter before any JSON body parser (for example before `express.json()`), or use a raw body parser for its route.',
    message: (p: { what: string; hint: string }) =>
      `${p.what}, so the raw bytes are gone; TRTC signs the exact bytes and a re-serialised body fails verification. ${p.hint}`,
  },
  LH_ERR_BODY_UNREADABLE: {
    status: 400,
    meaning: 'The request body could not be read to its end: the connection closed or the stream failed.',
    solution:
      'Usually the sender gave up mid-request; Tencent retries. If it persists, check proxies in front of the receiver that cut or rewrite bodies.',
    message: (
      p:
        | { reason: 'stream-failed' | 'connection-closed' | 'length-mismatch' }
        | { reason: 'refused'; code: string },
    ) => {
      switch (p.reason) {
        case 'stream-failed':
          return 'the request body stream failed before its end';
        case 'connection-closed':
          return 'the connection closed before the request body ended';
        case 'length-mismatch':
          return 'the body length does not match Content-Length';
        case 'refused':
          return `the request body could not be read (${quote(p.code, 40)})`;
      }
    },
  },
  LH_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    meaning:
      'The callback endpoint was called with a method other than POST (the answer carries `Allow: POST`).',
    solution: 'Tencent sends every callback as an HTTP POST; point only callbacks at this URL.',
    message: (p: { method: string }) =>
      `method ${quote(p.method.toUpperCase(), 20)} is not allowed; Tencent sends callbacks as POST`,
  },
  LH_ERR_BAD_REQUEST: {
    status: 400,
    meaning:
      'The request is not well-formed HTTP: a malformed request line or header, no `Host` header, a URL that is not valid percent-encoding, or a path segment too long to route.',
    solution:
      'Send a well-formed HTTP/1.1 request. Tencent never sends such requests: look for a proxy in front of the gateway that rewrites them, or a client probing the gateway.',
    message: (
      p:
        | { reason: 'malformed-http' | 'url-encoding' | 'path-segment-too-long' }
        | { reason: 'refused'; code: string },
    ) => {
      switch (p.reason) {
        case 'malformed-http':
          return 'the request is not well-formed HTTP/1.1';
        case 'url-encoding':
          return 'the URL is not valid percent-encoding';
        case 'path-segment-too-long':
          return 'a path segment is too long';
        case 'refused':
          return `the request was refused (${quote(p.code, 40)})`;
      }
    },
  },
  LH_ERR_HEADERS_TOO_LARGE: {
    status: 431,
    meaning: 'The request headers exceed the HTTP server limit (16 KiB).',
    solution:
      'Tencent callbacks carry a few short headers; look for a proxy or client that adds large headers or cookies.',
    message: (p: { limit: number }) => `the request headers exceed the limit of ${p.limit} bytes`,
  },
  LH_ERR_REQUEST_TIMEOUT: {
    status: 408,
    meaning:
      'The request headers or body did not arrive in time (`connections.headersTimeoutMs`, `connections.requestTimeoutMs`); the connection is closed.',
    solution:
      'Tencent sends each callback at once; a slow request is a broken network path or a client holding connections open. Raise the timeouts only if genuine callbacks are cut.',
    message: (p: { headersTimeoutMs: number; requestTimeoutMs: number }) =>
      `the request headers did not arrive within ${p.headersTimeoutMs} ms or the whole request within ${p.requestTimeoutMs} ms`,
  },
  LH_ERR_UNKNOWN_EVENT_TYPE: {
    status: 500,
    meaning:
      'A handler was registered for an event type or pattern that matches nothing in the catalog (a typo, or an event this version does not know).',
    solution:
      'Use a type from `docs/events.md`, a prefix pattern such as `css.*` or `trtc.moderation.*`, or `*`; `css.unknown` and `trtc.unknown` receive events the catalog does not know.',
    message: (
      p:
        | { reason: 'no-match'; selector: string }
        | { reason: 'empty' }
        | { reason: 'not-a-string'; got: string },
    ) => {
      switch (p.reason) {
        case 'no-match':
          return `${quote(p.selector)} matches no event type; expected a catalog type (e.g. "css.screenshot"), a prefix pattern (e.g. "css.*") or "*"`;
        case 'empty':
          return 'an empty list of event types matches nothing';
        case 'not-a-string':
          return `an event type must be a string, got ${p.got}`;
      }
    },
  },
  LH_ERR_INTERNAL: {
    status: 500,
    meaning:
      'An unexpected error (a bug in livehooks); the request was not served. A callback is answered 500, so Tencent retries it.',
    solution:
      "Report it as a bug with the error's `cause` (the gateway logs it); a callback is not lost while Tencent retries it.",
    message: (p: { during: string } | { bug: string }) =>
      'bug' in p
        ? `a bug in livehooks: ${p.bug.slice(0, 1000)}`
        : `an unexpected error while ${p.during}; the request was not served`,
  },
  LH_ERR_HANDLER_FAILED: {
    status: 500,
    meaning: 'One or more of your event handlers threw; the callback is answered 500 so Tencent retries it.',
    solution:
      'See `errors` on the error for each handler failure. Handlers must be idempotent: retries repeat them.',
    message: (p: { failed: number; handlers: number; type: string; id: string } | { reporting: string }) =>
      'reporting' in p
        ? `an onError handler failed while reporting ${p.reporting}`
        : `${p.failed} of ${p.handlers} handlers failed for ${p.type} event ${p.id}`,
  },
  LH_ERR_STORE_UNAVAILABLE: {
    status: 503,
    meaning:
      'The gateway could not commit the callback to its database (unreachable, locked, or the commit queue is full); nothing was acknowledged.',
    solution:
      'Nothing to do for Tencent: it retries non-200 answers. Check `/readyz` and the database; the gateway recovers on its own when the database returns.',
    message: (p: { action: string; reason?: string | undefined; dialect?: string | undefined }) =>
      `the ${p.dialect === undefined ? '' : `${p.dialect} `}store cannot ${p.action}${p.reason === undefined ? '' : `: ${p.reason.slice(0, 300)}`}`,
  },
  LH_ERR_UNAUTHORIZED: {
    status: 401,
    meaning: 'An API request carries no bearer token or the wrong one.',
    solution:
      'Send `Authorization: Bearer <token>` with the API token (`LIVEHOOKS_API_TOKEN`, or the one generated and printed on first start).',
    message: (p: { reason: 'no-token' | 'wrong-token' | 'wrong-sign-in-code' }) => {
      switch (p.reason) {
        case 'no-token':
          return 'the API needs an Authorization: Bearer <token> header';
        case 'wrong-token':
          return 'the bearer token is not valid';
        case 'wrong-sign-in-code':
          return 'the sign-in code is wrong, expired or used already; open the link livehooks serve prints at start, or sign in with the API token';
      }
    },
  },
  LH_ERR_NOT_FOUND: {
    status: 404,
    meaning:
      'No route or no stored record matches the request (including a callback URL with a wrong ingest secret).',
    solution: 'Check the URL and the id; callback URLs must carry the configured ingest secret exactly.',
    message: (p: { what: string; id: string } | { route: string }) =>
      'route' in p ? `no route ${p.route.slice(0, 200)}` : `no ${p.what} ${quote(p.id, 80)}`,
  },
  LH_ERR_INVALID_QUERY: {
    status: 400,
    meaning: 'An API request has a malformed parameter (limit, cursor, since/until, ...).',
    solution: 'Fix the parameter named in the message; see `docs/api.md` for the accepted values.',
    message: (p: { parameter: string; expected: string; got?: string | undefined } | { issue: string }) =>
      'issue' in p
        ? p.issue.slice(0, 400)
        : `${p.parameter} must be ${p.expected}${p.got === undefined ? '' : ` (got ${quote(p.got, 80)})`}`,
  },
  LH_ERR_INVALID_CONFIG: {
    status: 500,
    meaning: 'The gateway configuration (environment, config file or flags) is invalid; start-up stops.',
    solution: 'Fix each problem listed, one per line; `docs/configuration.md` documents every option.',
    message: (p: { problems: readonly string[] }) =>
      p.problems.length === 1
        ? `invalid configuration: ${p.problems[0]}`
        : `invalid configuration (${p.problems.length} problems):\n${p.problems.map((line) => `  - ${line}`).join('\n')}`,
  },
} as const satisfies Record<
  string,
  { status: number; meaning: string; solution: string; message: (params: never) => string }
>;

/** A stable livehooks error code. */
export type ErrorCode = keyof typeof errorCodes;

/**
 * The parameters the message template of `code` takes.
 *
 * @example
 * ```ts
 * const params: ErrorParams<'LH_ERR_BODY_TOO_LARGE'> = { limit: 1024, size: 4096 };
 * ```
 */
export type ErrorParams<C extends ErrorCode> = Parameters<(typeof errorCodes)[C]['message']>[0];

/**
 * Builds the message of an error code from its parameters, with the code's template.
 *
 * @example
 * ```ts
 * errorMessage('LH_ERR_METHOD_NOT_ALLOWED', { method: 'GET' });
 * // 'method "GET" is not allowed; Tencent sends callbacks as POST'
 * ```
 */
export function errorMessage<C extends ErrorCode>(code: C, params: ErrorParams<C>): string {
  // Indexing with a generic code gives a union of templates TypeScript cannot call; C ties them together.
  const template = errorCodes[code].message as (params: ErrorParams<C>) => string;
  return template(params);
}

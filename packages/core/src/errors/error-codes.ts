/**
 * Every error code livehooks produces, with the HTTP status a receiver answers and how to solve it.
 * `docs/errors.md` is generated from this table.
 */
export const errorCodes = {
  LH_ERR_SIGNATURE_MISSING: {
    status: 401,
    meaning: 'The callback carries no signature: no `Sign` header (TRTC) or no `t`/`sign` fields (CSS).',
    solution:
      'Set a callback key in the Tencent console. CSS 314, 321 and 328 are never signed: receive them on a URL carrying the ingest secret, or allow unsigned callbacks explicitly.',
  },
  LH_ERR_SIGNATURE_MISMATCH: {
    status: 401,
    meaning: 'The signature does not match any configured key.',
    solution:
      'Check that the key matches the console. For TRTC, verify the raw body bytes: a JSON body parser that re-serialises the body breaks the HMAC. `livehooks verify` explains a mismatch.',
  },
  LH_ERR_UNKNOWN_APP: {
    status: 401,
    meaning: 'A TRTC callback names an `SdkAppId` for which no key is configured.',
    solution: 'Add `sdkAppId:key` to the TRTC keys (`LIVEHOOKS_TRTC_KEYS` or `trtc.keys`).',
  },
  LH_ERR_NO_KEY: {
    status: 401,
    meaning: 'A signed callback arrived for a family with no key configured.',
    solution: 'Configure the CSS callback key (`LIVEHOOKS_CSS_KEYS` or `css.keys`).',
  },
  LH_ERR_CSS_SIGN_EXPIRED: {
    status: 401,
    meaning:
      'A correctly signed CSS callback whose expiry `t` has passed, with stale callbacks set to be rejected.',
    solution:
      'Check the receiving clock, raise the allowed skew, or accept stale callbacks (the default: they are kept and flagged `stale`).',
  },
  LH_ERR_INVALID_JSON: {
    status: 400,
    meaning: 'The body is not valid UTF-8 JSON.',
    solution: 'Send the callback body exactly as Tencent sends it: a UTF-8 JSON object.',
  },
  LH_ERR_UNSUPPORTED_CONTENT: {
    status: 400,
    meaning: 'The body is not a JSON object, or its content type is not JSON.',
    solution: 'Send `Content-Type: application/json` with a JSON object body.',
  },
  LH_ERR_UNKNOWN_CALLBACK: {
    status: 400,
    meaning: 'The body is neither a CSS callback (`event_type`) nor a TRTC callback (`EventGroupId`).',
    solution:
      'Point only Tencent CSS and TRTC callbacks at this endpoint, or use `/callbacks/css` and `/callbacks/trtc`.',
  },
  LH_ERR_BODY_TOO_LARGE: {
    status: 413,
    meaning: 'The body exceeds the size limit (1 MiB by default).',
    solution: 'Tencent callbacks are a few KiB; raise `maxBodyBytes` only if a genuine callback is larger.',
  },
  LH_ERR_BODY_CONSUMED: {
    status: 500,
    meaning: 'A body parser consumed the request body before livehooks could read the raw bytes.',
    solution:
      'Mount the livehooks adapter before any JSON body parser (for example before `express.json()`), or use a raw body parser for its route.',
  },
  LH_ERR_BODY_UNREADABLE: {
    status: 400,
    meaning: 'The request body could not be read to its end: the connection closed or the stream failed.',
    solution:
      'Usually the sender gave up mid-request; Tencent retries. If it persists, check proxies in front of the receiver that cut or rewrite bodies.',
  },
  LH_ERR_METHOD_NOT_ALLOWED: {
    status: 405,
    meaning:
      'The callback endpoint was called with a method other than POST (the answer carries `Allow: POST`).',
    solution: 'Tencent sends every callback as an HTTP POST; point only callbacks at this URL.',
  },
  LH_ERR_BAD_REQUEST: {
    status: 400,
    meaning:
      'The request is not well-formed HTTP: a malformed request line or header, no `Host` header, a URL that is not valid percent-encoding, or a path segment too long to route.',
    solution:
      'Send a well-formed HTTP/1.1 request. Tencent never sends such requests: look for a proxy in front of the gateway that rewrites them, or a client probing the gateway.',
  },
  LH_ERR_HEADERS_TOO_LARGE: {
    status: 431,
    meaning: 'The request headers exceed the HTTP server limit (16 KiB).',
    solution:
      'Tencent callbacks carry a few short headers; look for a proxy or client that adds large headers or cookies.',
  },
  LH_ERR_REQUEST_TIMEOUT: {
    status: 408,
    meaning:
      'The request headers or body did not arrive in time (`connections.headersTimeoutMs`, `connections.requestTimeoutMs`); the connection is closed.',
    solution:
      'Tencent sends each callback at once; a slow request is a broken network path or a client holding connections open. Raise the timeouts only if genuine callbacks are cut.',
  },
  LH_ERR_UNKNOWN_EVENT_TYPE: {
    status: 500,
    meaning:
      'A handler was registered for an event type or pattern that matches nothing in the catalog (a typo, or an event this version does not know).',
    solution:
      'Use a type from `docs/events.md`, a prefix pattern such as `css.*` or `trtc.moderation.*`, or `*`; `css.unknown` and `trtc.unknown` receive events the catalog does not know.',
  },
  LH_ERR_INTERNAL: {
    status: 500,
    meaning:
      'livehooks failed unexpectedly while handling a callback; it is answered 500 so Tencent retries it.',
    solution:
      "Report it as a bug with the error's `cause`; the callback itself is not lost while Tencent retries.",
  },
  LH_ERR_HANDLER_FAILED: {
    status: 500,
    meaning: 'One or more of your event handlers threw; the callback is answered 500 so Tencent retries it.',
    solution:
      'See `errors` on the error for each handler failure. Handlers must be idempotent: retries repeat them.',
  },
  LH_ERR_STORE_UNAVAILABLE: {
    status: 503,
    meaning:
      'The gateway could not commit the callback to its database (unreachable, locked, or the commit queue is full); nothing was acknowledged.',
    solution:
      'Nothing to do for Tencent: it retries non-200 answers. Check `/readyz` and the database; the gateway recovers on its own when the database returns.',
  },
  LH_ERR_UNAUTHORIZED: {
    status: 401,
    meaning: 'An API request carries no bearer token or the wrong one.',
    solution:
      'Send `Authorization: Bearer <token>` with the API token (`LIVEHOOKS_API_TOKEN`, or the one generated and printed on first start).',
  },
  LH_ERR_NOT_FOUND: {
    status: 404,
    meaning:
      'No route or no stored record matches the request (including a callback URL with a wrong ingest secret).',
    solution: 'Check the URL and the id; callback URLs must carry the configured ingest secret exactly.',
  },
  LH_ERR_INVALID_QUERY: {
    status: 400,
    meaning: 'An API request has a malformed parameter (limit, cursor, since/until, ...).',
    solution: 'Fix the parameter named in the message; see `docs/api.md` for the accepted values.',
  },
  LH_ERR_INVALID_CONFIG: {
    status: 500,
    meaning: 'The gateway configuration (environment, config file or flags) is invalid; start-up stops.',
    solution: 'Fix each problem listed, one per line; `docs/configuration.md` documents every option.',
  },
} as const satisfies Record<string, { status: number; meaning: string; solution: string }>;

/** A stable livehooks error code. */
export type ErrorCode = keyof typeof errorCodes;

/** What replaces secrets in stored paths, headers and logs. */
export const REDACTED = '***';

const FAMILY_SEGMENT = /^(css|trtc)$/i;
/** A segment that reads `callbacks`, or begins so (`callbacks;x`, `callbacks?<secret>` once decoded). */
const CALLBACKS_SEGMENT = /^callbacks/i;
/** Rounds of percent-decoding: `%2563` is `%63` after one and `c` after two. */
const DECODE_ROUNDS = 3;
/** Headers that carry credentials: never stored or logged. */
const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'x-api-key',
  'x-auth-token',
]);
const MAX_HEADERS = 50;
const MAX_HEADER_VALUE = 512;

/**
 * Percent-decodes `text` as a byte-per-character string, repeatedly (a doubly encoded `%2563` reads `c`), never
 * failing on malformed sequences. For matching only: bytes above 0x7f are not decoded as UTF-8.
 */
function decodeLeniently(text: string): string {
  let decoded = text;
  for (let round = 0; round < DECODE_ROUNDS && decoded.includes('%'); round++) {
    const next = decoded.replace(/%([0-9a-f]{2})/gi, (_match, hex: string) =>
      String.fromCharCode(Number.parseInt(hex, 16)),
    );
    if (next === decoded) break;
    decoded = next;
  }
  return decoded;
}

/**
 * The segments of a path as a router or a file system may read it: percent-decoded, `\\` read as `/`,
 * empty and `.` segments dropped, `..` resolved.
 */
function pathSegments(path: string): string[] {
  const segments: string[] = [];
  for (const segment of decodeLeniently(path).replaceAll('\\', '/').split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return segments;
}

/**
 * The request path for logs, answers and records, with the ingest secret redacted however the client spelt
 * the path (percent-encoded letters, doubled slashes, dot segments, any case): when the path, decoded and
 * normalised, has a `callbacks` segment, it is given in that normalised form with every later segment
 * other than `css` or `trtc` replaced by `***`, so a mistyped secret (often one character off the real one)
 * is not kept either. Other paths are returned as sent. The query string is dropped.
 *
 * @example
 * ```ts
 * redactPath('/callbacks/s3cr3t-token/css?x=1'); // '/callbacks/***\/css'
 * redactPath('//%63allbacks/./s3cr3t-token'); // '/callbacks/***'
 * ```
 */
export function redactPath(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const segments = pathSegments(path);
  const at = segments.findIndex((segment) => CALLBACKS_SEGMENT.test(segment));
  if (at === -1) return path;
  const redacted = segments.map((segment, index) => {
    if (index < at) return segment;
    if (index === at) return segment.length === 'callbacks'.length ? 'callbacks' : `callbacks${REDACTED}`;
    return FAMILY_SEGMENT.test(segment) ? segment.toLowerCase() : REDACTED;
  });
  return `/${redacted.join('/')}`;
}

/**
 * Request headers without credentials, values truncated, and the ingest secret removed wherever it appears,
 * percent-encoded or not.
 */
export function redactHeaders(
  headers: Record<string, string | string[] | undefined>,
  secret: string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  let count = 0;
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined || CREDENTIAL_HEADERS.has(name.toLowerCase())) continue;
    if (++count > MAX_HEADERS) break;
    let value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (secret !== undefined && value.includes(secret)) value = value.split(secret).join(REDACTED);
    // The secret percent-encoded (a Referer, a forwarded URL): the whole value goes.
    if (secret !== undefined && decodeLeniently(value).includes(secret)) value = REDACTED;
    out[name.toLowerCase()] =
      value.length > MAX_HEADER_VALUE ? `${value.slice(0, MAX_HEADER_VALUE)}…` : value;
  }
  return out;
}

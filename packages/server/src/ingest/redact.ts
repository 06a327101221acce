/** What replaces secrets in stored paths, headers and logs. */
export const REDACTED = '***';

const CALLBACK_PATH = /^(\/callbacks\/)([^/?#]+)(.*)$/;
const FAMILY_SEGMENT = /^(css|trtc)$/;
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
 * The request path with the ingest secret replaced: any segment after `/callbacks/` other than `css` or
 * `trtc` is redacted, so a mistyped secret (often one character off the real one) is not kept either. The
 * query string is dropped.
 *
 * @example
 * ```ts
 * redactPath('/callbacks/s3cr3t-token/css?x=1'); // '/callbacks/***\/css'
 * ```
 */
export function redactPath(url: string): string {
  const path = url.split('?', 1)[0] ?? '';
  const match = CALLBACK_PATH.exec(path);
  if (match === null || FAMILY_SEGMENT.test(match[2]!)) return path;
  return `${match[1]}${REDACTED}${match[3]}`;
}

/** Request headers without credentials, values truncated, and the ingest secret removed wherever it appears. */
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
    out[name.toLowerCase()] =
      value.length > MAX_HEADER_VALUE ? `${value.slice(0, MAX_HEADER_VALUE)}…` : value;
  }
  return out;
}

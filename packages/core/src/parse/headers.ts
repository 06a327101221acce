/** Headers in any of the shapes runtimes hand them over. */
export type HeadersInput =
  Headers | Record<string, string | readonly string[] | undefined> | Iterable<readonly [string, string]>;

/** Reads headers into a lowercase-keyed record (repeated headers joined with `, `). */
export function normalizeHeaders(input: HeadersInput | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!input) return out;
  const entries: Iterable<readonly [string, unknown]> | undefined =
    typeof (input as Headers).forEach === 'function' && typeof (input as Headers).get === 'function'
      ? (input as Headers).entries()
      : Symbol.iterator in input
        ? (input as Iterable<readonly [string, string]>)
        : undefined;
  if (entries) {
    for (const [name, value] of entries) setHeader(out, name, value);
    return out;
  }
  // A record (Node's `IncomingHttpHeaders`): its keys, without an entry array per header.
  const record = input as Record<string, unknown>;
  for (const name of Object.keys(record)) setHeader(out, name, record[name]);
  return out;
}

function setHeader(out: Record<string, string>, name: string, value: unknown): void {
  if (value === undefined) return;
  out[name.toLowerCase()] = typeof value === 'string' ? value : Array.isArray(value) ? value.join(', ') : '';
}

/** Headers worth keeping with a stored callback: enough to replay and audit it, nothing secret. */
export const KEPT_HEADERS = ['content-type', 'content-length', 'sign', 'sdkappid', 'user-agent'] as const;

/** Picks the {@link KEPT_HEADERS} from normalised headers. */
export function keptHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}

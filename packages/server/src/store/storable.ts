/**
 * Values both databases accept. PostgreSQL refuses NUL characters in `text` and `jsonb` and lone UTF-16
 * surrogates in `jsonb`; a genuine callback carrying one must still be stored (its raw bytes stay verbatim in
 * the `raw` column), and one such row must not fail the batch it shares with others.
 */
// eslint-disable-next-line no-control-regex -- NUL is precisely the character PostgreSQL refuses.
const UNSTORABLE_CHAR = /[\u0000\ud800-\udfff]/;
// eslint-disable-next-line no-control-regex -- as above.
const UNSTORABLE_CHARS = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/** JSON text escapes that only appear for NUL and lone surrogates (valid pairs are written as characters). */
const UNSTORABLE_ESCAPE = /\\u0000|\\ud[89a-f][0-9a-f]{2}/i;

/** Replaces NUL and lone surrogates with U+FFFD. */
export function storableText(value: string): string {
  return UNSTORABLE_CHAR.test(value) ? value.replace(UNSTORABLE_CHARS, '\ufffd') : value;
}

/** {@link storableText} for optional columns. */
export function storableTextOrNull(value: string | undefined): string | null {
  return value === undefined ? null : storableText(value);
}

function clean(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(clean);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) out[storableText(key)] = clean(item);
    return out;
  }
  return value;
}

/** JSON text of a value, with NUL and lone surrogates in keys and strings replaced by U+FFFD. */
export function storableJson(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return UNSTORABLE_ESCAPE.test(text) ? (JSON.stringify(clean(value)) ?? 'null') : text;
}

/** The latest representable Date, in ms (ECMA-262 §21.4.1.1). */
const MAX_TIME = 8.64e15;

/** A millisecond timestamp both databases store as bigint; `fallback` when the value is not one. */
export function storableTime(value: number, fallback: number): number {
  return Number.isFinite(value) && Math.abs(value) <= MAX_TIME ? Math.round(value) : fallback;
}

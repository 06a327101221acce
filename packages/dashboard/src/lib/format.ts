/**
 * Formatters that read the same in every language. Words, dates and numbers of a locale come from the
 * translator (`src/i18n`).
 */

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * A media offset in ms as `m:ss` (or `h:mm:ss`), for transcript lines.
 *
 * @example
 * ```ts
 * formatOffset(83_000); // '1:23'
 * ```
 */
export function formatOffset(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(seconds)}` : `${minutes}:${pad(seconds)}`;
}

/**
 * A moderation score (0 to 100 in both CSS and TRTC results) with at most one decimal.
 *
 * @example
 * ```ts
 * formatScore(87.456); // '87.5'
 * ```
 */
export function formatScore(score: number | undefined): string {
  if (score === undefined || !Number.isFinite(score)) return '—';
  return String(Math.round(score * 10) / 10);
}

/**
 * An identifier such as `file_info` in words, for event types newer than the dashboard's catalogue.
 *
 * @example
 * ```ts
 * humanize('recording file_info'); // 'Recording file info'
 * ```
 */
export function humanize(value: string): string {
  const words = value.replace(/[_.-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * A JSON value pretty-printed for reading.
 *
 * @example
 * ```ts
 * formatJson({ a: 1 }); // '{\n  "a": 1\n}'
 * ```
 */
export function formatJson(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}

/**
 * A raw callback body for reading: pretty-printed when it is JSON, as received otherwise.
 *
 * @example
 * ```ts
 * prettyBody('{"a":1}'); // '{\n  "a": 1\n}'
 * ```
 */
export function prettyBody(raw: string): string {
  try {
    return formatJson(JSON.parse(raw));
  } catch {
    return raw;
  }
}

/**
 * A time as the value of a `datetime-local` input (`YYYY-MM-DDTHH:mm`, the viewer's time zone).
 *
 * @example
 * ```ts
 * toLocalInput(Date.parse('2026-01-02T03:04:00')); // '2026-01-02T03:04'
 * ```
 */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

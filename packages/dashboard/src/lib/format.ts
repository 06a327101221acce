import type { EventAuth } from '../api/api-types';

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** The viewer's UTC offset at a time, in minutes east of UTC. */
export function localOffsetMinutes(ms: number): number {
  return -new Date(ms).getTimezoneOffset();
}

/**
 * A time as `YYYY-MM-DD HH:mm:ss`, in the viewer's time zone unless an offset (minutes east of UTC) is
 * given.
 *
 * @example
 * ```ts
 * formatTime(0, 480); // '1970-01-01 08:00:00' (China Standard Time)
 * ```
 */
export function formatTime(ms: number, offsetMinutes = localOffsetMinutes(ms)): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/**
 * The clock part of a time, `HH:mm:ss.SSS`, for the live tail where events arrive within the same second.
 *
 * @example
 * ```ts
 * formatClock(1_500, 0); // '00:00:01.500'
 * ```
 */
export function formatClock(ms: number, offsetMinutes = localOffsetMinutes(ms)): string {
  const d = new Date(ms + offsetMinutes * 60_000);
  return `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/**
 * How long ago a time was, in a few words.
 *
 * @example
 * ```ts
 * formatAgo(now - 90_000, now); // '1 min ago'
 * ```
 */
export function formatAgo(ms: number, now = Date.now()): string {
  const diff = now - ms;
  const future = diff < 0;
  const seconds = Math.floor(Math.abs(diff) / 1000);
  if (seconds < 5) return 'just now';
  let amount: string;
  if (seconds < 60) amount = `${seconds} s`;
  else if (seconds < 3600) amount = `${Math.floor(seconds / 60)} min`;
  else if (seconds < 86_400) amount = `${Math.floor(seconds / 3600)} h`;
  else amount = `${Math.floor(seconds / 86_400)} d`;
  return future ? `in ${amount}` : `${amount} ago`;
}

const counter = new Intl.NumberFormat('en-US');

/**
 * A count with thousands separators.
 *
 * @example
 * ```ts
 * formatCount(1234567); // '1,234,567'
 * ```
 */
export function formatCount(value: number): string {
  return counter.format(value);
}

/**
 * A count in at most four characters for chart axes: `950`, `12k`, `1.2M`.
 *
 * @example
 * ```ts
 * formatCompact(1200); // '1.2k'
 * ```
 */
export function formatCompact(value: number): string {
  const abs = Math.abs(value);
  const scaled = (divisor: number, unit: string): string => {
    const number = value / divisor;
    return `${Math.abs(number) < 10 ? Number(number.toFixed(1)) : Math.round(number)}${unit}`;
  };
  if (abs >= 1e9) return scaled(1e9, 'G');
  if (abs >= 1e6) return scaled(1e6, 'M');
  if (abs >= 1e3) return scaled(1e3, 'k');
  return String(Math.round(value * 10) / 10);
}

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
 * Text with its first letter upper-cased, for labels the API gives in lower case.
 *
 * @example
 * ```ts
 * capitalize('stopped: no stream left in the room'); // 'Stopped: no stream left in the room'
 * ```
 */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const WORDS: Record<string, string> = {
  low_framerate: 'Low frame rate',
  failed_to_start: 'Failed to start',
  ok: 'Healthy',
  asr: 'Speech (ASR)',
  ocr: 'On-screen text (OCR)',
};

/**
 * An identifier such as `low_framerate` or `failed_to_start` in words.
 *
 * @example
 * ```ts
 * humanize('stream_broken'); // 'Stream broken'
 * ```
 */
export function humanize(value: string): string {
  if (Object.hasOwn(WORDS, value)) return WORDS[value]!;
  const words = value.replace(/[_.-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const EVENT_NAMES: Record<string, string> = {
  'css.stream.push': 'Stream started',
  'css.stream.disconnect': 'Stream stopped',
  'css.screenshot': 'Screenshot taken',
  'css.moderation.image': 'Image moderation',
  'css.moderation.audio': 'Audio moderation',
  'css.monitor.asr': 'Speech transcript',
  'css.monitor.ocr': 'On-screen text',
  'css.monitor.stream_broken': 'Stream broken',
  'css.monitor.low_framerate': 'Low frame rate',
  'css.monitor.other': 'Stream monitor',
  'css.smart_erase': 'Smart erasing',
  'css.subtitles': 'Subtitles',
  'css.record.file': 'Recording file',
  'css.push.exception': 'Push problem',
  'trtc.moderation.start': 'Moderation task started',
  'trtc.moderation.error': 'Moderation task error',
  'trtc.moderation.result': 'Moderation result',
  'trtc.moderation.send_start': 'Moderation sending started',
  'trtc.moderation.send_stop': 'Moderation sending stopped',
  'trtc.moderation.stop': 'Moderation task stopped',
  'trtc.room.created': 'Room created',
  'trtc.room.dismissed': 'Room closed',
  'trtc.room.entered': 'User joined room',
  'trtc.room.exited': 'User left room',
};

/** Event types with a name of their own, offered as suggestions in type filters. */
export const NAMED_EVENT_TYPES: readonly string[] = Object.keys(EVENT_NAMES);

/**
 * An event type in words for someone who never read Tencent's documentation.
 *
 * @example
 * ```ts
 * describeEventType('css.monitor.stream_broken'); // 'Stream broken'
 * describeEventType('trtc.recording.file_info');  // 'Recording file info'
 * ```
 */
export function describeEventType(type: string): string {
  if (Object.hasOwn(EVENT_NAMES, type)) return EVENT_NAMES[type]!;
  const [, ...rest] = type.split('.');
  if (rest.at(-1) === 'unknown')
    return `Unrecognised ${rest.length > 1 ? rest.slice(0, -1).join(' ') : ''} callback`.replace(/\s+/g, ' ');
  return humanize(rest.join(' ') || type);
}

/**
 * An event family in words.
 *
 * @example
 * ```ts
 * describeFamily('trtc'); // 'Real-time rooms (TRTC)'
 * ```
 */
export function describeFamily(family: string): string {
  if (family === 'css') return 'Live streaming (CSS)';
  if (family === 'trtc') return 'Real-time rooms (TRTC)';
  return family;
}

/**
 * How a callback proved it came from Tencent, in words, with the stale flag spelled out.
 *
 * @example
 * ```ts
 * describeAuth({ method: 'css-md5', keyId: 'css:0', stale: true });
 * // 'Signed with the CSS key (css:0), arrived after its expiry time'
 * ```
 */
export function describeAuth(auth: EventAuth): string {
  if (auth.method === 'unsigned') {
    return auth.keyId === 'ingest-secret'
      ? 'Not signed; accepted because it came to the secret ingest URL (Tencent signs no 328 monitoring callback)'
      : 'Not signed; accepted because unsigned callbacks are allowed by configuration';
  }
  let text = auth.method === 'css-md5' ? 'Signed with the CSS key' : 'Signed with the TRTC key';
  if (auth.keyId !== undefined) text += ` (${auth.keyId})`;
  if (auth.stale) text += ', arrived after its expiry time';
  return text;
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

import type { EventAuth, StreamItem, TaskState } from '../api/api-types';
import { humanize } from '../lib/format';
import { en, type MessageKey, type Messages } from './messages-en';
import { zhCN } from './messages-zh-cn';

/** The languages the dashboard speaks. */
export type Locale = 'en' | 'zh-CN';

/** The locales, in the order the switch offers them. */
export const LOCALES: readonly Locale[] = ['en', 'zh-CN'];

/** Each locale's name in its own language, for the switch. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { en: 'English', 'zh-CN': '简体中文' };

/** The message catalogue of each locale. */
export const CATALOGUES: Readonly<Record<Locale, Messages>> = { en, 'zh-CN': zhCN };

type Placeholders<S extends string> = S extends `${string}{${infer Name}}${infer Rest}`
  ? Name | Placeholders<Rest>
  : never;

/** The names of the `{placeholders}` of a message. */
export type ParamsOf<K extends MessageKey> = Placeholders<(typeof en)[K]>;

/** A message without placeholders: its key alone is enough, even when only known as a union of keys. */
export type PlainKey = { [K in MessageKey]: [ParamsOf<K>] extends [never] ? K : never }[MessageKey];

/** The values a message needs: none, or one per placeholder. */
export type MessageArgs<K extends MessageKey> = [ParamsOf<K>] extends [never]
  ? []
  : [values: Record<ParamsOf<K>, string | number>];

const KEY = 'livehooks.locale';
const PLACEHOLDER = /\{(\w+)\}/g;

/**
 * The locale for the browser's languages (`navigator.languages`, most preferred first): the first one the
 * dashboard speaks, any Chinese as zh-CN, English otherwise.
 *
 * @example
 * ```ts
 * pickLocale(['zh-TW', 'en-US']); // 'zh-CN'
 * pickLocale(['fr-FR']);          // 'en'
 * ```
 */
export function pickLocale(languages: readonly string[]): Locale {
  for (const language of languages) {
    const primary = language.toLowerCase().split('-')[0];
    if (primary === 'zh') return 'zh-CN';
    if (primary === 'en') return 'en';
  }
  return 'en';
}

/**
 * The locale tag `Intl` formats dates and numbers with: the browser's own variant of the chosen language
 * (`en-GB` writes dates day first), else the locale's usual one.
 *
 * @example
 * ```ts
 * formatLocaleFor('en', ['en-GB', 'zh-CN']); // 'en-GB'
 * formatLocaleFor('zh-CN', ['en-GB']);       // 'zh-CN'
 * ```
 */
export function formatLocaleFor(locale: Locale, languages: readonly string[]): string {
  const wanted = locale.split('-')[0]!;
  const own = languages.find((language) => language.toLowerCase().split('-')[0] === wanted);
  if (own !== undefined && wanted === 'en') {
    try {
      return Intl.getCanonicalLocales(own)[0] ?? 'en-US';
    } catch {
      return 'en-US';
    }
  }
  return locale === 'en' ? 'en-US' : 'zh-CN';
}

function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/**
 * The locale chosen with the switch and remembered in this browser, if any.
 *
 * @example
 * ```ts
 * const locale = readLocaleChoice() ?? pickLocale(navigator.languages);
 * ```
 */
export function readLocaleChoice(
  storage: Pick<Storage, 'getItem'> | undefined = localStore(),
): Locale | undefined {
  try {
    const value = storage?.getItem(KEY);
    return isLocale(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Remembers the locale chosen with the switch.
 *
 * @example
 * ```ts
 * saveLocaleChoice('zh-CN');
 * ```
 */
export function saveLocaleChoice(
  locale: Locale,
  storage: Pick<Storage, 'setItem'> | undefined = localStore(),
): void {
  try {
    storage?.setItem(KEY, locale);
  } catch {
    // Storage can be denied: the choice then lasts until the page is reloaded.
  }
}

function localStore(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

/** Options for {@link createTranslator}. */
export interface TranslatorOptions {
  locale: Locale;
  /** The `Intl` locale tag; default the locale's usual one. */
  formatLocale?: string;
  /** The IANA time zone times are shown in; default the viewer's. */
  timeZone?: string;
}

/** Words and formats of one locale. Every member is a plain function: they can be destructured. */
export interface Translator {
  locale: Locale;
  formatLocale: string;
  /** The IANA time zone times are shown in, e.g. `Asia/Shanghai`. */
  timeZone: string;
  /** Its short name now, e.g. `GMT+8` or `UTC`. */
  zone: string;
  /** A message with its placeholders filled in; numbers are formatted for the locale. */
  t: {
    (key: PlainKey): string;
    <K extends MessageKey>(key: K, ...args: MessageArgs<K>): string;
  };
  /** A message's text before its placeholders are filled in. */
  template: (key: MessageKey) => string;
  /** True when the catalogue has a message of this key. */
  has: (key: string) => key is MessageKey;
  count: (value: number) => string;
  /** A count in a few characters for chart axes: `950`, `12K`, `1.2万`. */
  compact: (value: number) => string;
  /** Date, time to the second and time zone. */
  time: (ms: number) => string;
  /** Month, day and time to the second, for lists where the zone is named in the heading. */
  dayTime: (ms: number) => string;
  /** Hours and minutes, for chart axes. */
  clock: (ms: number) => string;
  /** How long ago (or how far ahead) a time is, in a few words. */
  ago: (ms: number, now?: number) => string;
  /** An event type in words for someone who never read Tencent's documentation. */
  eventType: (type: string) => string;
  family: (family: string) => string;
  /** How a callback proved it came from Tencent, in words. */
  auth: (auth: EventAuth) => string;
  /** Tencent's moderation labels (`Porn`, `Ad`, ...) in words, as a list. */
  labels: (labels: readonly string[]) => string;
  /** Why the gateway refused a callback, from its stable code; the gateway's own message otherwise. */
  reason: (code: string, message: string) => string;
  /** What a TRTC `LeaveCode` means. */
  leaveCode: (code: number) => string;
  /** Why a CSS push ended, from its disconnect codes: Tencent's meaning in words, with the code. */
  disconnect: (code: NonNullable<StreamItem['disconnectCode']>) => string;
  /** A TRTC moderation task's state in words, with why it stopped. */
  taskState: (task: {
    state: TaskState;
    stateLabel: string;
    leaveCode?: number;
    leaveReason?: string;
  }) => string;
}

/**
 * Creates the translator of a locale: the catalogue's messages and `Intl` formats of dates, times and numbers
 * in the viewer's time zone.
 *
 * @example
 * ```ts
 * const { t, time } = createTranslator({ locale: 'zh-CN', timeZone: 'Asia/Shanghai' });
 * t('ui.shown', { count: 1200 }); // '已显示 1,200 条'
 * time(0);                        // '1970/01/01 08:00:00 GMT+8'
 * ```
 */
export function createTranslator(options: TranslatorOptions): Translator {
  const { locale } = options;
  const messages = CATALOGUES[locale];
  const formatLocale = options.formatLocale ?? (locale === 'en' ? 'en-US' : 'zh-CN');
  const timeZone = options.timeZone ?? new Intl.DateTimeFormat().resolvedOptions().timeZone;
  const numbers = new Intl.NumberFormat(formatLocale);
  const compacts = new Intl.NumberFormat(formatLocale, { notation: 'compact', maximumFractionDigits: 1 });
  const clockParts = { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone } as const;
  const times = new Intl.DateTimeFormat(formatLocale, {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    second: '2-digit',
    ...clockParts,
  });
  const zones = new Intl.DateTimeFormat(formatLocale, { timeZone, timeZoneName: 'short' });
  // The zone's name at a time (summer time changes it), put after the time whatever the locale's order.
  const zoneAt = (ms: number) =>
    zones.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? timeZone;
  const dayTimes = new Intl.DateTimeFormat(formatLocale, {
    month: '2-digit',
    day: '2-digit',
    second: '2-digit',
    ...clockParts,
  });
  const clocks = new Intl.DateTimeFormat(formatLocale, clockParts);
  const relative = new Intl.RelativeTimeFormat(formatLocale, { numeric: 'always', style: 'short' });
  const zone = zoneAt(Date.now());

  const has = (key: string): key is MessageKey => Object.hasOwn(messages, key);
  const fill = (text: string, values: Record<string, string | number> = {}): string =>
    text.replace(PLACEHOLDER, (whole, name: string) => {
      if (!Object.hasOwn(values, name)) return whole;
      const value = values[name]!;
      return typeof value === 'number' ? numbers.format(value) : value;
    });
  const t = ((key: MessageKey, values?: Record<string, string | number>): string =>
    fill(messages[key], values)) as Translator['t'];

  const leaveCode = (code: number): string => {
    const key = `leave.${code}`;
    return has(key) ? t(key as 'leave.0') : t('leave.unknown', { code: String(code) });
  };

  const disconnect: Translator['disconnect'] = ({ errcode, subErrcode, category }) => {
    const exact = `disconnect.${errcode}.${subErrcode ?? 0}`;
    const general = `disconnect.${errcode}`;
    const reason = has(exact)
      ? t(exact as 'disconnect.7')
      : has(general)
        ? t(general as 'disconnect.7')
        : t(`disconnectCategory.${category}`);
    const code = subErrcode === undefined ? String(errcode) : `${errcode}/${subErrcode}`;
    return t('disconnect.withCode', { reason, code });
  };

  return {
    locale,
    formatLocale,
    timeZone,
    zone,
    t,
    template: (key) => messages[key],
    has,
    count: (value) => numbers.format(value),
    compact: (value) => compacts.format(value),
    time: (ms) => `${times.format(ms)} ${zoneAt(ms)}`,
    dayTime: (ms) => dayTimes.format(ms),
    clock: (ms) => clocks.format(ms),
    ago: (ms, now = Date.now()) => {
      const diff = ms - now;
      const seconds = Math.floor(Math.abs(diff) / 1000);
      if (seconds < 5) return t('time.justNow');
      const sign = diff < 0 ? -1 : 1;
      if (seconds < 60) return relative.format(sign * seconds, 'second');
      if (seconds < 3600) return relative.format(sign * Math.floor(seconds / 60), 'minute');
      if (seconds < 86_400) return relative.format(sign * Math.floor(seconds / 3600), 'hour');
      return relative.format(sign * Math.floor(seconds / 86_400), 'day');
    },
    eventType: (type) => {
      const key = `type.${type}`;
      if (has(key)) return t(key as 'type.unknown');
      const [, ...rest] = type.split('.');
      if (rest.at(-1) === 'unknown') {
        const group = rest.slice(0, -1).join(' ');
        return group === '' ? t('type.unknown') : t('type.unknownOf', { group });
      }
      return humanize(rest.join(' ') || type);
    },
    family: (family) => (family === 'css' ? t('family.css') : family === 'trtc' ? t('family.trtc') : family),
    auth: (auth) => {
      if (auth.method === 'unsigned') {
        return auth.keyId === 'ingest-secret' ? t('auth.ingestSecret') : t('auth.allowedUnsigned');
      }
      const css = auth.method === 'css-md5';
      const text =
        auth.keyId === undefined
          ? t(css ? 'auth.css' : 'auth.trtc')
          : t(css ? 'auth.cssKey' : 'auth.trtcKey', { key: auth.keyId });
      return auth.stale ? t('auth.stale', { text }) : text;
    },
    labels: (labels) =>
      labels
        .map((label) => {
          const key = `label.${label}`;
          return has(key) ? t(key as 'label.Normal') : label;
        })
        .join(t('ui.listSeparator')),
    reason: (code, message) => {
      const key = `reason.${code}`;
      return has(key) ? t(key as 'reason.LH_ERR_INTERNAL') : message;
    },
    leaveCode,
    disconnect,
    taskState: (task) => {
      if (task.state === 'stopped' && (task.leaveCode !== undefined || task.leaveReason !== undefined)) {
        const reason = task.leaveCode !== undefined ? leaveCode(task.leaveCode) : task.leaveReason!;
        return t('taskState.stoppedBecause', { reason });
      }
      const key = `taskState.${task.state}`;
      return has(key) ? t(key as 'taskState.stopped') : task.stateLabel;
    },
  };
}

/** The event types the catalogue names, offered as suggestions in type filters. */
export const NAMED_EVENT_TYPES: readonly string[] = Object.keys(en)
  .filter((key) => key.startsWith('type.') && key !== 'type.unknown' && key !== 'type.unknownOf')
  .map((key) => key.slice('type.'.length));

import { z } from 'zod';

// Gateway options also come from environment variables and flags, which are text: each field reads the
// text form too ("8080", "yes", "k1,k2") before checking the value.

/** An offending value as a problem quotes it. */
function quote(value: unknown): string {
  return JSON.stringify(String(value).slice(0, 60));
}

/** What kind of value was given, for values that are not text. */
function describe(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
}

function quoteOrDescribe(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' ? quote(value) : describe(value);
}

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** Splits `a, b` into `['a', 'b']`; a list stays a list; empty items are dropped. */
function listOf(value: unknown): unknown {
  const items =
    typeof value === 'string' ? value.split(',') : Array.isArray(value) ? (value as unknown[]) : undefined;
  if (items === undefined || !items.every((item) => typeof item === 'string')) return value;
  return items.map((item) => item.trim()).filter((item) => item !== '');
}

/** A non-empty string, trimmed. */
export function textOption() {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : value),
    z.string({ error: (issue) => `expected a non-empty string, got ${describe(issue.input)}` }).min(1, {
      error: 'expected a non-empty string, got an empty one',
    }),
  );
}

/** An integer from `min` to `max`; `what` names it in a problem (`a TCP port`). */
export function integerOption(min: number, max: number, what = 'a valid number') {
  return z.preprocess(
    (value) => (typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value),
    z
      .int({
        error: (issue) => `${quoteOrDescribe(issue.input)} is not ${what} (an integer from ${min} to ${max})`,
      })
      .min(min)
      .max(max),
  );
}

/** `true`/`false`, also written `1`/`0`, `yes`/`no`, `on`/`off` in any case. */
export function booleanOption() {
  return z.preprocess(
    (value) => {
      const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      return text !== undefined && TRUE.has(text)
        ? true
        : text !== undefined && FALSE.has(text)
          ? false
          : value;
    },
    z.boolean({
      error: (issue) =>
        `${typeof issue.input === 'string' ? quote(issue.input) : describe(issue.input)} is not a boolean (true or false)`,
    }),
  );
}

/** One of `values`, in any case. */
export function choiceOption<const Values extends readonly [string, ...string[]]>(
  values: Values,
  what: string,
) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.trim().toLowerCase() : value),
    z.enum(values, { error: (issue) => `${quote(issue.input)} is not ${what} (${values.join(', ')})` }),
  );
}

/** A secret string matching `pattern`; a problem says what is expected and never shows the value. */
export function secretOption(pattern: RegExp, expected: string) {
  return z.preprocess(
    (value) => (typeof value === 'string' ? value.trim() : value),
    z
      .string({ error: `${expected} (the value is not shown)` })
      .regex(pattern, { error: `${expected} (the value is not shown)` }),
  );
}

const KEY_TEXT = /^[^\s,]{1,256}$/;
const SDK_APP_ID = /^\d{1,20}$/;

/** Callback keys: a list, or text separated by commas. A problem names the key by position only. */
export function keyListOption() {
  return z.preprocess(
    listOf,
    z
      .array(z.string().meta({ pattern: KEY_TEXT.source }), {
        error: (issue) => `expected keys separated by commas, got ${describe(issue.input)}`,
      })
      .superRefine((keys, context) => {
        const bad = keys.findIndex((key) => !KEY_TEXT.test(key));
        if (bad !== -1) {
          context.addIssue({
            code: 'custom',
            message: `key ${bad + 1} contains spaces (the key is not shown)`,
          });
        }
      }),
  );
}

/**
 * TRTC keys per SdkAppId: an object `{ "1400000001": "key" }`, or `sdkappid:key` entries in a list or in
 * text separated by commas. The result has no prototype: the SdkAppId header of every TRTC callback is
 * looked up in it, and `__proto__` or `constructor` must find nothing.
 */
export function trtcKeysOption() {
  const entriesProblem = (value: unknown) =>
    `expected "sdkappid:key" entries separated by commas, got ${describe(value)}`;
  return z.preprocess(
    (value, context) => {
      if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
      const list = listOf(value);
      if (!Array.isArray(list)) return value;
      const keys = Object.create(null) as Record<string, string>;
      for (const [index, item] of (list as string[]).entries()) {
        const colon = item.indexOf(':');
        if (colon <= 0) {
          context.addIssue({
            code: 'custom',
            message: `entry ${index + 1} is not "sdkappid:key" (the key is not shown)`,
          });
          return z.NEVER;
        }
        keys[item.slice(0, colon).trim()] = item.slice(colon + 1).trim();
      }
      return keys;
    },
    z
      .record(
        z.string().meta({ pattern: SDK_APP_ID.source }),
        z
          .string({ error: 'a key must be a string (the key is not shown)' })
          .meta({ pattern: KEY_TEXT.source }),
        { error: (issue) => entriesProblem(issue.input) },
      )
      .superRefine((keys, context) => {
        for (const [sdkAppId, key] of Object.entries(keys)) {
          if (!SDK_APP_ID.test(sdkAppId)) {
            context.addIssue({ code: 'custom', message: `SdkAppId ${quote(sdkAppId)} is not a number` });
          } else if (!KEY_TEXT.test(key)) {
            context.addIssue({
              code: 'custom',
              message: `the key for SdkAppId ${sdkAppId} is empty or contains spaces or commas (the key is not shown)`,
            });
          }
        }
      })
      .transform((keys) => Object.assign(Object.create(null) as Record<string, string>, keys)),
  );
}

import { z } from 'zod';
import { valueTransform } from './_compile-schema.js';

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

/** A number sent as a number or as a numeric string (`"1622186275"`), read as a number. */
export const numberish = z.union([
  z.number(),
  z
    .string()
    .regex(NUMERIC, 'expected a number or a numeric string')
    .transform(valueTransform((value: string) => Number(value))),
]);

/** An id sent as a string or a number (`RoomId: 12345` and `"12345"`), read as a string. */
export const idString = z.union([
  z.string(),
  z.number().transform(valueTransform((value: number) => String(value))),
]);

/**
 * A string that real callbacks sometimes send with trailing spaces (push `app`,
 * https://www.tencentcloud.com/document/product/267/38081), trimmed.
 */
export const trimmed = z.string().transform(valueTransform((value: string) => value.trim()));

/**
 * A payload value as short text, for sources, summaries and keys built before or without a schema: a
 * string as sent (cut at `max` characters), a number or boolean as written, anything else by its JSON
 * kind (`null`, `array`, `object`), `undefined` when absent. Never throws, whatever JSON value it gets
 * (`String({ toString: 1 })` does).
 *
 * @example
 * ```ts
 * textOf(317); // '317'
 * textOf({ toString: 1 }); // 'object'
 * ```
 */
export function textOf(value: unknown, max = 64): string {
  switch (typeof value) {
    case 'string':
      return value.length > max ? `${value.slice(0, max - 1)}…` : value;
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    default:
      return value === null ? 'null' : Array.isArray(value) ? 'array' : 'object';
  }
}

/**
 * A payload value read as {@link numberish} reads it, before or without a schema: a finite number, or a
 * numeric string; undefined for anything else (objects, arrays, null, `""`, `true`), so no value can
 * throw or pass for a number it is not (`Number([317])` is 317, `Number("")` is 0).
 *
 * @example
 * ```ts
 * numberOf('317'); // 317
 * numberOf([317]); // undefined
 * ```
 */
export function numberOf(value: unknown): number | undefined {
  const number =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && NUMERIC.test(value)
        ? Number(value)
        : NaN;
  return Number.isFinite(number) ? number : undefined;
}

/** Integers from here on are doubles to V8, which writes them as text several times slower than smaller ones. */
const SMALL_INTEGER_LIMIT = 2 ** 30;

/**
 * `String(value)` for a number, the same text, written faster for the integers beyond 2^30 that
 * callbacks carry as times in ms (`1735872251524`): in two parts that V8 writes as small integers.
 *
 * @example
 * ```ts
 * numberText(1735872251524); // '1735872251524'
 * numberText(0.5); // '0.5'
 * ```
 */
export function numberText(value: number): string {
  if (value < SMALL_INTEGER_LIMIT || !Number.isSafeInteger(value)) return String(value);
  const high = Math.floor(value / 1e8);
  // 1e8 + the low eight digits is below 2^30 and keeps their leading zeros after its first digit.
  return `${high}${String(1e8 + (value - high * 1e8)).slice(1)}`;
}

/**
 * The entry of `table` under `key` when the table itself has one: a key sent in a callback
 * (`constructor`, `__proto__`) never reaches what every object inherits.
 *
 * @example
 * ```ts
 * ownEntry({ Blur: 'blurred picture' }, 'constructor'); // undefined
 * ```
 */
export function ownEntry<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** Reads a dot path (`EventInfo.Payload.DataId`, or its segments) from a parsed body. */
export function readPath(body: unknown, path: string | readonly string[]): unknown {
  let value = body;
  for (const key of typeof path === 'string' ? path.split('.') : path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/**
 * The largest of `values`, or undefined when there are none. A loop, not `Math.max(...values)`: a
 * callback's list may hold more numbers than a call has room for arguments.
 */
export function maxOf(values: readonly number[]): number | undefined {
  let max: number | undefined;
  for (const value of values) if (max === undefined || value > max) max = value;
  return max;
}

/** The smallest of `values`, or undefined when there are none; see {@link maxOf}. */
export function minOf(values: readonly number[]): number | undefined {
  let min: number | undefined;
  for (const value of values) if (min === undefined || value < min) min = value;
  return min;
}

/** Seconds to milliseconds, passing undefined through. */
export function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

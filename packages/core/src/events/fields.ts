import { z } from 'zod';

const NUMERIC = /^\s*-?\d+(\.\d+)?\s*$/;

/** A number sent as a number or as a numeric string (`"1622186275"`), read as a number. */
export const numberish = z.union([
  z.number(),
  z
    .string()
    .regex(NUMERIC, 'expected a number or a numeric string')
    .transform((value) => Number(value)),
]);

/** An id sent as a string or a number (`RoomId: 12345` and `"12345"`), read as a string. */
export const idString = z.union([z.string(), z.number().transform((value) => String(value))]);

/** A string that real callbacks sometimes send with trailing spaces (PROTOCOL.md §12), trimmed. */
export const trimmed = z.string().transform((value) => value.trim());

/** Reads a dot path (`EventInfo.Payload.DataId`, or its segments) from a parsed body. */
export function readPath(body: unknown, path: string | readonly string[]): unknown {
  let value = body;
  for (const key of typeof path === 'string' ? path.split('.') : path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

/** Seconds to milliseconds, passing undefined through. */
export function secondsToMs(seconds: number | undefined): number | undefined {
  return seconds === undefined ? undefined : seconds * 1000;
}

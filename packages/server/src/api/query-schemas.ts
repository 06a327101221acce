import { catalog, compileSelector, isLivehooksError, LivehooksError } from '@livehooks/core';
import { z } from 'zod';
import { apiSchemas } from './openapi.js';

/** Default page size of every list. */
export const DEFAULT_LIMIT = 50;
/** Largest page size of every list. */
export const MAX_LIMIT = 500;

/** A UUID in canonical lowercase text form. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const quote = (value: string, length = 40): string => JSON.stringify(value.slice(0, length));

/**
 * One query parameter as text: a parameter given twice is refused, and an empty one counts as absent. `parse`
 * turns the text into the parameter's value, or returns the message of a 400.
 */
export function param<T>(
  name: string,
  meta: { description: string; [key: string]: unknown },
  parse: (value: string) => T | { invalid: string },
) {
  return z
    .string({
      error: (issue) =>
        Array.isArray(issue.input) ? `${name} is given more than once` : `${name} must be text`,
    })
    .optional()
    .meta(meta)
    .transform((value, context): T | undefined => {
      if (value === undefined || value === '') return undefined;
      const result = parse(value);
      if (typeof result === 'object' && result !== null && 'invalid' in result) {
        context.issues.push({
          code: 'custom',
          message: result.invalid,
          input: value,
        });
        return z.NEVER;
      }
      return result;
    });
}

/** A text parameter taken as it is. */
export const textParam = (name: string, description: string) =>
  param(name, { description }, (value) => value);

/** A parameter restricted to a few words. */
export const oneOfParam = <T extends string>(name: string, allowed: readonly T[], description: string) =>
  param(name, { description, enum: allowed }, (value) =>
    (allowed as readonly string[]).includes(value)
      ? (value as T)
      : { invalid: `${name} must be one of ${allowed.join(', ')}, got ${quote(value)}` },
  );

/** A positive integer within bounds; `meta.default` documents the value an absent one stands for. */
export const integerParam = (
  name: string,
  min: number,
  max: number,
  description: string,
  meta: { default?: number } = {},
) =>
  param(name, { description, type: 'integer', minimum: min, maximum: max, ...meta }, (value) => {
    const number = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
    return number >= min && number <= max
      ? number
      : { invalid: `${name} must be an integer from ${min} to ${max}, got ${quote(value, 20)}` };
  });

/** `limit`: 1 to {@link MAX_LIMIT}, default {@link DEFAULT_LIMIT}. */
export const limitParam = integerParam('limit', 1, MAX_LIMIT, `page size, 1 to ${MAX_LIMIT}`, {
  default: DEFAULT_LIMIT,
}).transform((value) => value ?? DEFAULT_LIMIT);

/** A time: milliseconds since the epoch or an ISO 8601 date. */
export const timeParam = (name: string, description: string) =>
  param(
    name,
    { description: `${description} (milliseconds since the epoch or an ISO 8601 date)` },
    (value) => {
      const ms = /^\d{1,16}$/.test(value) ? Number(value) : Date.parse(value);
      return Number.isFinite(ms)
        ? ms
        : {
            invalid: `${name} must be milliseconds since the epoch or an ISO 8601 date, got ${quote(value)}`,
          };
    },
  );

/** Search words: whitespace-separated terms, at most 10, each at most 100 characters. */
export const searchParam = (name: string, description: string) =>
  param(name, { description }, (value) => {
    const terms = [
      ...new Set(
        value
          .trim()
          .split(/\s+/u)
          .filter((term) => term !== ''),
      ),
    ];
    return terms.length > 10 || terms.some((term) => term.length > 100)
      ? { invalid: `${name} takes at most 10 words of at most 100 characters` }
      : terms;
  }).transform((terms) => terms ?? []);

/** Every type an event can be stored as: the catalog's, including the `*.unknown` fallbacks. */
const STORED_TYPES: readonly string[] = catalog.map((definition) => definition.type);

/**
 * The event types of a list of selectors in the receiver's grammar (`css.screenshot`, `css.moderation.*`,
 * `*`), expanded to the catalog's types so a query still walks the `(type, id)` index. A selector that
 * matches no type of the catalog is refused with the receiver's message.
 */
export function expandTypes(selectors: readonly string[]): string[] | { invalid: string } {
  try {
    const matches = compileSelector(selectors);
    return STORED_TYPES.filter((type) => matches(type));
  } catch (error) {
    if (isLivehooksError(error)) return { invalid: error.message };
    throw error;
  }
}

/**
 * `type`: exact types and patterns of the receiver's grammar, several as `a,b` or repeated (at most 50).
 */
export const typeParam = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .meta({
    description:
      'event types or patterns such as css.screenshot, css.moderation.* or trtc.*; several as a,b or repeated',
  })
  .transform((value, context): string[] | undefined => {
    if (value === undefined) return undefined;
    const list = (Array.isArray(value) ? value : [value])
      .flatMap((item) => item.split(','))
      .map((item) => item.trim())
      .filter((item) => item !== '');
    if (list.length > 50) {
      context.issues.push({ code: 'custom', message: 'type lists at most 50 event types', input: value });
      return z.NEVER;
    }
    if (list.length === 0) return undefined;
    const types = expandTypes(list);
    if (!Array.isArray(types)) {
      context.issues.push({ code: 'custom', message: types.invalid, input: value });
      return z.NEVER;
    }
    return types;
  });

/** An id in a path: anything up to 200 characters; a lookup of an id that is not a UUID finds nothing. */
export const idPath = (description: string) => z.string().max(200).meta({ description });

/** The answer of every refusal: a stable code and a message. */
export const errorAnswer = z
  .object({
    code: z.string().meta({ description: 'a stable LH_ERR_* code' }),
    error: z.string().meta({ description: 'what went wrong, in words' }),
  })
  .register(apiSchemas, { id: 'Error' });

/** The error answers every API route can give. */
export const apiErrors = { 400: errorAnswer, 401: errorAnswer, 503: errorAnswer } as const;

/** A page of a list, newest first, with the cursor of the next page. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextCursor: z.string().nullable().meta({ description: 'the cursor of the next page; null on the last' }),
  });

/** The message of a 400 for a cursor this API did not return. */
const NOT_A_CURSOR = 'cursor is not a cursor this API returned';

/**
 * `cursor`: the `nextCursor` of the previous page, read by `decode`; a cursor `decode` does not recognise
 * (undefined) is answered 400.
 *
 * @example
 * ```ts
 * const cursor = cursorParam((value) => decodePosition(value, ['number', 'text']));
 * ```
 */
export const cursorParam = <T>(decode: (cursor: string) => T | undefined) =>
  param('cursor', { description: 'the nextCursor of the previous page (opaque)' }, (value) => {
    const position = decode(value);
    return position === undefined ? { invalid: NOT_A_CURSOR } : position;
  });

/**
 * The page answered for `rows` read with one row more than `limit`: the first `limit` rows, and the cursor
 * of the last of them when more follow.
 *
 * @example
 * ```ts
 * const rows = await select.limit(limit + 1).execute();
 * return pageFrom(rows.map(toItem), limit, (last) => encodePosition([last.at, last.id]));
 * ```
 */
export function pageFrom<T>(
  rows: readonly T[],
  limit: number,
  cursorOf: (last: T) => string,
): { items: T[]; nextCursor: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

/** Milliseconds since the epoch, in an answer. */
export const epochMs = z.number().int().meta({ description: 'milliseconds since the epoch' });

/** The 404 `LH_ERR_NOT_FOUND` of a lookup that found nothing, quoting the id asked for. */
export function notFound(what: string, id: string): LivehooksError {
  return LivehooksError.of('LH_ERR_NOT_FOUND', { what, id });
}

import { LivehooksError, catalog } from '@livehooks/core';
import { decodePosition, encodePosition } from './cursor.js';

/** Parsed query string values as Fastify hands them over. */
export type Query = Record<string, string | string[] | undefined>;

/** Default page size of every list. */
export const DEFAULT_LIMIT = 50;
/** Largest page size of every list. */
export const MAX_LIMIT = 500;

/** A 400 `LH_ERR_INVALID_QUERY` naming the parameter at fault. */
export function invalidQuery(message: string): LivehooksError {
  return new LivehooksError('LH_ERR_INVALID_QUERY', message);
}

/** A 404 `LH_ERR_NOT_FOUND`. */
export function notFound(what: string, id: string): LivehooksError {
  return new LivehooksError('LH_ERR_NOT_FOUND', `no ${what} ${JSON.stringify(id.slice(0, 80))}`);
}

/** One value of a parameter; empty counts as absent, a repeated parameter is refused. */
export function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw invalidQuery(`${name} is given more than once`);
  return value === undefined || value === '' ? undefined : value;
}

/** A parameter restricted to a few words. */
export function oneOf<T extends string>(query: Query, name: string, allowed: readonly T[]): T | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalidQuery(
      `${name} must be one of ${allowed.join(', ')}, got ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return value as T;
}

/** `limit`: 1 to {@link MAX_LIMIT}, default {@link DEFAULT_LIMIT}. */
export function pageSize(query: Query): number {
  const value = single(query, 'limit');
  if (value === undefined) return DEFAULT_LIMIT;
  const number = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1 && number <= MAX_LIMIT)) {
    throw invalidQuery(
      `limit must be an integer from 1 to ${MAX_LIMIT}, got ${JSON.stringify(value.slice(0, 20))}`,
    );
  }
  return number;
}

/** A time parameter: milliseconds since the epoch or an ISO 8601 date. */
export function timeParam(query: Query, name: string): number | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const ms = /^\d{1,16}$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw invalidQuery(
      `${name} must be milliseconds since the epoch or an ISO 8601 date, got ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return ms;
}

/** A positive integer parameter within bounds. */
export function integerParam(query: Query, name: string, min: number, max: number): number | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const number = /^\d{1,16}$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw invalidQuery(
      `${name} must be an integer from ${min} to ${max}, got ${JSON.stringify(value.slice(0, 20))}`,
    );
  }
  return number;
}

/** A keyset position: the sort value and the tie-breaking keys of the last item of a page. */
export type Keyset = [number, ...string[]];

/** An opaque cursor for a keyset position, in the one cursor format of the API. */
export function encodeKeyset(position: Keyset): string {
  return encodePosition(position);
}

/** The `cursor` parameter as a keyset of `keys` strings after the number; 400 when it is not ours. */
export function keysetParam(query: Query, keys: number): Keyset | undefined {
  const cursor = single(query, 'cursor');
  if (cursor === undefined) return undefined;
  const position = decodePosition(cursor, ['number', ...Array.from({ length: keys }, () => 'text' as const)]);
  if (position === undefined) throw invalidQuery('cursor is not a cursor this API returned');
  return position as Keyset;
}

const CATALOG_TYPES: readonly string[] = catalog.map((definition) => definition.type);

/**
 * The `type` parameter: exact types and patterns (`css.moderation.*`, `trtc.*`), several as `a,b` or
 * repeated. Patterns expand to the catalog's types, so the query still walks the `(type, id)` index.
 * Returns undefined without a filter, and an empty list when the patterns match no type.
 */
export function typeParam(query: Query): string[] | undefined {
  const value = query.type;
  if (value === undefined) return undefined;
  const list = (Array.isArray(value) ? value : [value])
    .flatMap((item) => item.split(','))
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (list.length > 50) throw invalidQuery('type lists at most 50 event types');
  if (list.length === 0) return undefined;
  const types = new Set<string>();
  for (const item of list) {
    if (!item.includes('*')) {
      types.add(item);
      continue;
    }
    const pattern = new RegExp(`^${item.split('*').map(escapeRegExp).join('[a-z0-9_.]*')}$`);
    for (const type of CATALOG_TYPES) if (pattern.test(type)) types.add(type);
  }
  return [...types];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Search words: whitespace-separated terms, at most 10, each at most 100 characters. */
export function searchTerms(query: Query, name: string): string[] {
  const value = single(query, name);
  if (value === undefined) return [];
  const terms = [
    ...new Set(
      value
        .trim()
        .split(/\s+/u)
        .filter((term) => term !== ''),
    ),
  ];
  if (terms.length > 10 || terms.some((term) => term.length > 100)) {
    throw invalidQuery(`${name} takes at most 10 words of at most 100 characters`);
  }
  return terms;
}

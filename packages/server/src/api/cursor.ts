import { cursorParam, UUID } from './query-schemas.js';

/** The sort keys of the last item of a page, the next page starts after it: `[id]` or `[time, ...ids]`. */
export type CursorPosition = readonly (string | number)[];

/** What each key of a position is: an event or delivery id (a UUID), other text, or a number. */
export type CursorKey = 'id' | 'text' | 'number';

const PREFIX = 'k:';

/**
 * The opaque cursor of every list of the API: the position of the last item of a page.
 *
 * @example
 * ```ts
 * encodePosition([1_700_000_000_000, 'stream-1']); // 'azpbMTcwMDAwMDAwMDAwMCwic3RyZWFtLTEiXQ'
 * ```
 */
export function encodePosition(position: CursorPosition): string {
  return Buffer.from(`${PREFIX}${JSON.stringify(position)}`, 'utf8').toString('base64url');
}

const isKey: Record<CursorKey, (value: unknown) => boolean> = {
  id: (value) => typeof value === 'string' && UUID.test(value),
  text: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number' && Number.isFinite(value),
};

/**
 * The position inside a cursor when it has the keys `shape` names; undefined when the cursor is not one this
 * API returned for that list.
 *
 * @example
 * ```ts
 * decodePosition(encodePosition([5, 'a']), ['number', 'text']); // [5, 'a']
 * decodePosition('bogus', ['id']); // undefined
 * ```
 */
export function decodePosition(cursor: string, shape: readonly CursorKey[]): CursorPosition | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith(PREFIX)) return undefined;
  let position: unknown;
  try {
    position = JSON.parse(text.slice(PREFIX.length));
  } catch {
    return undefined;
  }
  return Array.isArray(position) &&
    position.length === shape.length &&
    shape.every((key, index) => isKey[key](position[index]))
    ? (position as CursorPosition)
    : undefined;
}

/** The cursor of a list ordered by id (events, deliveries): the id the page ended at. */
export function encodeCursor(id: string): string {
  return encodePosition([id]);
}

/** The id inside a cursor of {@link encodeCursor}; undefined when the cursor is not one of those. */
export function decodeCursor(cursor: string): string | undefined {
  return decodePosition(cursor, ['id'])?.[0] as string | undefined;
}

/** `cursor` of a list ordered by id: the id of the last item of the previous page. */
export const idCursorParam = cursorParam(decodeCursor);

import { storableText } from '../store/storable.js';

/**
 * What a projection column holds, as its migration declares it: `integer` (32-bit), `bigint` (64-bit, of which
 * JavaScript numbers hold the safe integers), `double`, `text`, or `key`: text in a btree index, whose entries
 * PostgreSQL limits to about 2700 bytes (postgresql.org/docs/current/btree.html).
 */
export type ColumnKind = 'integer' | 'bigint' | 'double' | 'text' | 'key';

/** The kind of every column of a table whose rows are `R` (a test checks them against the migrated schema). */
export type ColumnKinds<R> = { readonly [C in keyof R]-?: ColumnKind };

/**
 * The longest `key` value in UTF-8 bytes. The widest projection index holds two of them (app and stream,
 * room and task) beside a bigint, so both fit under PostgreSQL's limit uncompressed; real ids are far shorter
 * (a TRTC RoomId is at most 64 bytes, a UserId 32).
 */
export const KEY_MAX_BYTES = 1024;

const INT32 = 2 ** 31;

/** True when `value` is a string that fits a `key` column. */
export function fitsKey(value: string): boolean {
  return Buffer.byteLength(storableText(value)) <= KEY_MAX_BYTES;
}

const FIT: Record<ColumnKind, (value: unknown) => unknown> = {
  integer: (value) =>
    Number.isSafeInteger(value) && (value as number) >= -INT32 && (value as number) < INT32 ? value : null,
  bigint: (value) => (Number.isSafeInteger(value) ? value : null),
  double: (value) => (typeof value === 'number' && Number.isFinite(value) ? value : null),
  text: (value) => (typeof value === 'string' ? storableText(value) : null),
  key: (value) => (typeof value === 'string' && fitsKey(value) ? storableText(value) : null),
};

/**
 * `row` with every value its column cannot hold replaced by null: integers that are fractional, unsafe or out
 * of the column's range, numbers that are not finite, anything but a string in a text column, NUL and lone
 * surrogates in text (PostgreSQL refuses them; see {@link storableText}), and `key` text over
 * {@link KEY_MAX_BYTES}. A callback's odd value so leaves its projection empty instead of failing the insert
 * (the event keeps the value in its payload).
 *
 * @example
 * ```ts
 * fitRow(TASK_COLUMNS, { ...task, leave_code: 1.5 }).leave_code; // null
 * ```
 */
export function fitRow<R extends object>(kinds: Readonly<Record<string, ColumnKind>>, row: R): R {
  const out: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    const kind = kinds[column];
    out[column] = kind === undefined || value === null ? value : FIT[kind](value);
  }
  return out as R;
}

import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../store/database.js';
import { fitRow, type ColumnKind } from './fit-row.js';

/** Rows per multi-row INSERT (22 columns at most: well under both dialects' parameter limits). */
export const ROWS_PER_INSERT = 500;

/** `items` in slices of `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Writes whole rows, each fitted to its columns ({@link fitRow}): `INSERT ... ON CONFLICT (key) DO UPDATE SET
 * <every other column> = excluded.<column>`, {@link ROWS_PER_INSERT} rows per statement.
 *
 * @example
 * ```ts
 * await upsertRows(trx, 'trtc_tasks', ['task_id'], TASK_COLUMNS, [...tasks.values()]);
 * ```
 */
export async function upsertRows<R extends object>(
  trx: Transaction<Database>,
  table: string,
  key: readonly (keyof R & string)[],
  kinds: Readonly<Record<string, ColumnKind>>,
  rows: readonly R[],
): Promise<void> {
  if (rows.length === 0) return;
  const db = trx as unknown as Kysely<Record<string, Record<string, unknown>>>;
  const columns = Object.keys(rows[0]!).filter((column) => !(key as readonly string[]).includes(column));
  for (const part of chunk(rows, ROWS_PER_INSERT)) {
    await db
      .insertInto(table)
      .values(part.map((row) => fitRow(kinds, row) as Record<string, unknown>))
      .onConflict((conflict) =>
        conflict
          .columns([...key])
          .doUpdateSet(Object.fromEntries(columns.map((column) => [column, sql.ref(`excluded.${column}`)]))),
      )
      .execute();
  }
}

/**
 * Error codes of a store that cannot be reached or opened: network failures, a SQLite file that
 * cannot be created or written, PostgreSQL refusing the credentials (28P01) or the database (3D000).
 */
const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EHOSTUNREACH|EACCES|ENOENT|SQLITE_CANTOPEN|SQLITE_READONLY|28P01|3D000)$/;

/** Whether an error says the store cannot be reached or opened, rather than a bug. */
export function isStoreUnreachable(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNREACHABLE.test(code);
}

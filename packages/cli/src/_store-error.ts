/**
 * Error codes of a store that cannot be reached or opened: network failures, a SQLite file that
 * cannot be created or written, PostgreSQL refusing the user (28000), the credentials (28P01) or the
 * database (3D000).
 */
const UNREACHABLE =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ECONNRESET|EACCES|ENOENT|ENOTDIR|SQLITE_CANTOPEN|SQLITE_READONLY|28000|28P01|3D000)$/;

interface CodedError {
  code: string;
  message: string;
  address?: string;
  port?: number;
}

/** The first error along the `cause` chain that carries a store-unreachable code. */
function unreachableCause(error: unknown): CodedError | undefined {
  for (
    let current = error, depth = 0;
    current !== null && typeof current === 'object' && depth < 5;
    depth++
  ) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === 'string' && UNREACHABLE.test(code))
      return { ...(current as CodedError), code, message: typeof message === 'string' ? message : '' };
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Whether an error (or its cause) says the store cannot be reached or opened, rather than a bug. */
export function isStoreUnreachable(error: unknown): boolean {
  return unreachableCause(error) !== undefined;
}

/**
 * Why the store cannot be reached or opened, in words and with what to do, instead of a driver's or the
 * system's own text (`ECONNREFUSED`, "no PostgreSQL user name specified in startup packet"). Undefined
 * when the error is not one {@link isStoreUnreachable} knows. Never contains the database password: it
 * names only the code, the address and PostgreSQL's own reason.
 */
export function describeStoreError(error: unknown): string | undefined {
  const cause = unreachableCause(error);
  if (cause === undefined) return undefined;
  const where =
    cause.address === undefined ? '' : ` at ${cause.address}${cause.port ? `:${cause.port}` : ''}`;
  switch (cause.code) {
    case 'ECONNREFUSED':
      return `nothing accepts connections${where} (ECONNREFUSED): is the database server running, and is the host and port in the URL right?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the database host is not found (${cause.code}): check the host name in the URL`;
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `the database host cannot be reached${where} (${cause.code}): check the host, the network and any firewall`;
    case 'ECONNRESET':
      return `the database server closed the connection${where} (ECONNRESET): check that the URL points at PostgreSQL and whether it requires TLS`;
    case 'EACCES':
    case 'SQLITE_READONLY':
      return `permission denied (${cause.code}): the data directory or database file must be writable by this user`;
    case 'ENOENT':
    case 'ENOTDIR':
    case 'SQLITE_CANTOPEN':
      return `the database file or its directory does not exist and cannot be created (${cause.code}): check --data-dir or the sqlite: URL`;
    case '28000':
      return /no PostgreSQL user name/i.test(cause.message)
        ? 'the database URL names no user and none could be found (28000): put one in the URL, e.g. postgres://USER@host:5432/DATABASE'
        : `PostgreSQL refused the user (28000): ${cause.message}`;
    case '28P01':
      return 'PostgreSQL refused the password of the user in the URL (28P01): check the user and password';
    case '3D000':
      return `the database in the URL does not exist (3D000): create it (createdb NAME) or fix the URL; PostgreSQL said: ${cause.message}`;
    default:
      return `${cause.code}`;
  }
}

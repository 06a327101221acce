import type { KyselyStore } from '../store/kysely-store.js';

/** Node's codes of a connection that cannot be made or was lost. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * Database codes that mean the database cannot serve now rather than that a statement is wrong: SQLite's
 * busy, locked, I/O, full, read-only, cannot-open, corrupt and out-of-memory results
 * (https://sqlite.org/rescode.html), and PostgreSQL's SQLSTATE classes 08 connection exception, 53
 * insufficient resources, 57 operator intervention and 58 system error
 * (https://www.postgresql.org/docs/current/errcodes-appendix.html).
 */
const UNAVAILABLE_CODE =
  /^(SQLITE_(BUSY|LOCKED|IOERR|FULL|READONLY|CANTOPEN|CORRUPT|NOTADB|NOMEM|PROTOCOL)|(08|53|57|58)[0-9A-Z]{3}$)/;

/** How long the store may take to answer the query that tells an outage from a bug. */
const PING_TIMEOUT_MS = 2000;

async function answers(store: Pick<KyselyStore, 'ping'>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      store.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), PING_TIMEOUT_MS);
      }),
    ]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Whether an unexpected error of a request is an outage of the store (answered 503, the client retries
 * later) rather than a bug (answered 500). An error with a code is judged by its code; one without (the
 * PostgreSQL client's `Connection terminated unexpectedly`, or a bug) by whether the store answers a query
 * now.
 *
 * @example
 * ```ts
 * const outage = await isStoreOutage(error, store);
 * const answer = outage
 *   ? LivehooksError.of('LH_ERR_STORE_UNAVAILABLE', { action: 'serve the request now; retry later' })
 *   : LivehooksError.of('LH_ERR_INTERNAL', { during: 'serving the request' });
 * ```
 */
export async function isStoreOutage(error: unknown, store: Pick<KyselyStore, 'ping'>): Promise<boolean> {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string') return NETWORK_CODES.has(code) || UNAVAILABLE_CODE.test(code);
  return !(await answers(store));
}

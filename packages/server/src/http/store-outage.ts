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
 * later) rather than a bug (answered 500). An error with a code is judged by its code (the network's, or
 * the dialect's `profile.isOutage`); one without (the
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
export async function isStoreOutage(
  error: unknown,
  store: Pick<KyselyStore, 'ping' | 'profile'>,
): Promise<boolean> {
  const code = (error as { code?: unknown } | null | undefined)?.code;
  if (typeof code === 'string') return NETWORK_CODES.has(code) || store.profile.isOutage(error);
  return !(await answers(store));
}

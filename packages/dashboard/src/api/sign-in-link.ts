import { ApiError, toApiError } from './api-client';

/** A sign-in link is the dashboard's address with `#signin=<one-time code>`. */
const SIGN_IN_FRAGMENT = '#signin=';

/**
 * Takes the one-time code out of a sign-in link: returns it, and removes the fragment from the address bar
 * and the history entry at once (`history.replaceState`), so the code is neither shown, bookmarked nor kept
 * in the history. Returns undefined when the address is not a sign-in link.
 *
 * @example
 * ```ts
 * const code = takeSignInCode(window.location, window.history); // before the first render
 * ```
 */
export function takeSignInCode(
  location: Pick<Location, 'hash' | 'pathname' | 'search'>,
  history: Pick<History, 'replaceState' | 'state'>,
): string | undefined {
  if (!location.hash.startsWith(SIGN_IN_FRAGMENT)) return undefined;
  const code = location.hash.slice(SIGN_IN_FRAGMENT.length);
  history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  return code === '' ? undefined : code;
}

/**
 * Exchanges a one-time sign-in code for the API token (`POST /sign-in`); rejects with an {@link ApiError}
 * (401 `LH_ERR_UNAUTHORIZED` for a wrong, expired or used code, `LH_ERR_NETWORK` when no answer came).
 *
 * @example
 * ```ts
 * const token = await exchangeSignInCode(code);
 * ```
 */
export async function exchangeSignInCode(
  code: string,
  options: { baseUrl?: string; fetch?: typeof fetch } = {},
): Promise<string> {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let response: Response;
  try {
    response = await doFetch(`${(options.baseUrl ?? '').replace(/\/+$/, '')}/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code }),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError('LH_ERR_NETWORK', 'the gateway could not be reached', 0);
  }
  if (!response.ok) throw await toApiError(response);
  const { token } = (await response.json()) as { token?: unknown };
  if (typeof token !== 'string' || token === '')
    throw new ApiError(
      'LH_ERR_INTERNAL',
      'the gateway answered the sign-in without a token',
      response.status,
    );
  return token;
}

const KEY = 'livehooks.apiToken';

/** Where the token is kept: the tab's session storage, so closing the tab signs out. */
function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    // Storage can be denied (privacy settings); the dashboard then asks for the token on every load.
    return undefined;
  }
}

/**
 * The API token saved for this tab, if any.
 *
 * @example
 * ```ts
 * const token = readToken();
 * ```
 */
export function readToken(): string | undefined {
  const value = storage()?.getItem(KEY);
  return value === null || value === undefined || value === '' ? undefined : value;
}

/**
 * Keeps the API token for this tab.
 *
 * @example
 * ```ts
 * saveToken(tokenFromTheForm);
 * ```
 */
export function saveToken(token: string): void {
  storage()?.setItem(KEY, token);
}

/**
 * Forgets the API token (sign out).
 *
 * @example
 * ```ts
 * clearToken();
 * ```
 */
export function clearToken(): void {
  storage()?.removeItem(KEY);
}

import type { ApiErrorBody } from './api-types';

/** Query parameters; `undefined`, `null` and empty strings are left out. */
export type QueryParams = Readonly<Record<string, string | number | undefined | null>>;

/**
 * A failed API request: the gateway's stable error `code` (`LH_ERR_UNAUTHORIZED`, `LH_ERR_NOT_FOUND`, ...)
 * and HTTP status, or `LH_ERR_NETWORK` when no answer came.
 *
 * @example
 * ```ts
 * try { await api.get('/events') } catch (error) {
 *   if (error instanceof ApiError && error.code === 'LH_ERR_UNAUTHORIZED') signOut();
 * }
 * ```
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
  }

  /** True when the token was refused: the dashboard signs out. */
  get unauthorized(): boolean {
    return this.status === 401;
  }
}

/** Options for {@link createApiClient}. */
export interface ApiClientOptions {
  /** The API bearer token. */
  token: string;
  /** The gateway's origin; default `''`, the origin the dashboard was served from. */
  baseUrl?: string;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

/** A client of the query API under `/api`. */
export interface ApiClient {
  readonly token: string;
  /** The absolute or origin-relative URL of an API path, e.g. `url('/events', { limit: 1 })`. */
  url(path: string, params?: QueryParams): string;
  /** The headers every request carries (the bearer token). */
  headers(): Record<string, string>;
  get<T>(path: string, params?: QueryParams, signal?: AbortSignal): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
}

/**
 * Builds a query string (with its `?`) from parameters, leaving out empty ones; `''` when none remain.
 *
 * @example
 * ```ts
 * buildQuery({ type: 'css.*', cursor: undefined, limit: 50 }); // '?type=css.*&limit=50'
 * ```
 */
export function buildQuery(params: QueryParams = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === '') continue;
    search.append(key, String(value));
  }
  // `*` and `,` are legal in a query string; keeping them readable makes URLs in the network tab legible.
  const text = search.toString().replace(/%2A/g, '*').replace(/%2C/g, ',');
  return text === '' ? '' : `?${text}`;
}

function isErrorBody(value: unknown): value is ApiErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorBody).code === 'string' &&
    typeof (value as ApiErrorBody).error === 'string'
  );
}

/** The {@link ApiError} of a failed answer: its `{ code, error }` body, else its status. */
export async function toApiError(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (isErrorBody(body)) return new ApiError(body.code, body.error, response.status);
  const code = response.status === 401 ? 'LH_ERR_UNAUTHORIZED' : `HTTP_${response.status}`;
  return new ApiError(
    code,
    `the gateway answered ${response.status} ${response.statusText}`.trim(),
    response.status,
  );
}

/**
 * Creates a client of the query API: bearer token on every request, JSON in and out, error bodies turned
 * into {@link ApiError}.
 *
 * @example
 * ```ts
 * const api = createApiClient({ token: sessionStorage.getItem('livehooks.token') ?? '' });
 * const page = await api.get<Page<Envelope>>('/events', { type: 'css.moderation.*', limit: 50 });
 * ```
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = (options.baseUrl ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const headers = (): Record<string, string> => ({ authorization: `Bearer ${options.token}` });
  const url = (path: string, params?: QueryParams): string => `${baseUrl}/api${path}${buildQuery(params)}`;

  const request = async <T>(path: string, init: RequestInit, params?: QueryParams): Promise<T> => {
    let response: Response;
    try {
      response = await doFetch(url(path, params), init);
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError('LH_ERR_NETWORK', 'the gateway could not be reached', 0);
    }
    if (!response.ok) throw await toApiError(response);
    return (await response.json()) as T;
  };

  return {
    token: options.token,
    url,
    headers,
    get: <T>(path: string, params?: QueryParams, signal?: AbortSignal) =>
      request<T>(path, { headers: headers(), ...(signal ? { signal } : {}) }, params),
    post: <T>(path: string, body: unknown) =>
      request<T>(path, {
        method: 'POST',
        headers: { ...headers(), 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
  };
}

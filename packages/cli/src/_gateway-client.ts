import { CliError } from './_cli-error.js';
import { exitCodes } from './exit-codes.js';

/** Where the gateway's API is and how to authenticate to it. */
export interface GatewayOptions {
  server: string;
  token?: string;
  /** Without a token: the places searched for one, named when the gateway asks for it. */
  searched?: readonly string[];
}

/** The default gateway address, matching `livehooks serve`'s defaults. */
export const DEFAULT_SERVER = 'http://127.0.0.1:8080';

function describeFetchError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** A minimal client of the gateway's query API that turns failures into exit codes. */
export class GatewayClient {
  readonly server: string;
  readonly #token: string | undefined;
  readonly #searched: readonly string[];

  constructor(options: GatewayOptions) {
    this.server = options.server.replace(/\/+$/, '');
    this.#token = options.token;
    this.#searched = options.searched ?? ['--token', 'LIVEHOOKS_API_TOKEN'];
  }

  /** Request headers with the bearer token, when one is set. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    return this.#token ? { ...extra, authorization: `Bearer ${this.#token}` } : extra;
  }

  url(path: string, query: Record<string, string | number | undefined> = {}): string {
    const url = new URL(`${this.server}${path}`);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') url.searchParams.set(name, String(value));
    }
    return url.toString();
  }

  /** Sends a request (GET unless `method` says otherwise) and fails with the matching exit code unless the answer is 2xx. */
  async request(
    path: string,
    options: {
      method?: 'GET' | 'POST';
      query?: Record<string, string | number | undefined>;
      headers?: Record<string, string>;
      signal?: AbortSignal;
    } = {},
  ): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(this.url(path, options.query), {
        ...(options.method ? { method: options.method } : {}),
        headers: this.headers(options.headers),
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (cause) {
      if (options.signal?.aborted) throw cause;
      throw new CliError(
        exitCodes.gateway,
        `cannot reach the gateway at ${this.server}: ${describeFetchError(cause)}`,
        {
          cause,
        },
      );
    }
    if (response.ok) return response;
    const text = await response.text().catch(() => '');
    let detail = text.slice(0, 300);
    try {
      const body = JSON.parse(text) as { code?: string; error?: string };
      if (body.error) detail = body.code ? `${body.code}: ${body.error}` : body.error;
    } catch {
      // Not JSON: the start of the text says enough.
    }
    if ((response.status === 401 || response.status === 403) && this.#token === undefined) {
      throw new CliError(
        exitCodes.unauthorized,
        `the gateway requires an API token and none was found (looked at ${this.#searched.join(', ')}); pass --token or set LIVEHOOKS_API_TOKEN`,
      );
    }
    if (response.status === 401 || response.status === 403) {
      throw new CliError(
        exitCodes.unauthorized,
        `the gateway refused the API token (${response.status}); pass --token or set LIVEHOOKS_API_TOKEN`,
      );
    }
    if (response.status === 404) throw new CliError(exitCodes.notFound, `not found: ${path} (${detail})`);
    throw new CliError(exitCodes.gateway, `the gateway answered ${response.status} to ${path}: ${detail}`);
  }

  /** GETs a JSON document. */
  async json<T>(path: string, query: Record<string, string | number | undefined> = {}): Promise<T> {
    const response = await this.request(path, { query });
    return (await response.json()) as T;
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { LivehooksError } from '@livehooks/core';
import type { FastifyPluginCallback } from 'fastify';

/** How long a sign-in code stays valid by default: 10 minutes. */
export const SIGN_IN_CODE_TTL_MS = 10 * 60 * 1000;

/** Options for {@link SignInCodes}. */
export interface SignInCodesOptions {
  /** How long a code stays valid, in ms. Default {@link SIGN_IN_CODE_TTL_MS}. */
  ttlMs?: number;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
}

function digest(code: string): string {
  return createHash('sha256').update(code).digest('base64url');
}

/**
 * One-time sign-in codes, kept in this gateway's memory only: random (256 bits), valid once, for a short
 * time. A code stands for the API token in a sign-in link, so the token itself never appears in a URL.
 *
 * @example
 * ```ts
 * const codes = new SignInCodes();
 * const link = `${url}/#signin=${codes.issue()}`;
 * codes.redeem(code); // true once, then false
 * ```
 */
export class SignInCodes {
  readonly #ttlMs: number;
  readonly #now: () => number;
  /** Digest of each outstanding code -> its expiry (ms); a lookup never compares the code itself. */
  readonly #codes = new Map<string, number>();

  constructor(options: SignInCodesOptions = {}) {
    this.#ttlMs = options.ttlMs ?? SIGN_IN_CODE_TTL_MS;
    this.#now = options.now ?? Date.now;
  }

  /** A new code, valid once until it expires. */
  issue(): string {
    const now = this.#now();
    for (const [key, expiry] of this.#codes) if (expiry <= now) this.#codes.delete(key);
    const code = randomBytes(32).toString('base64url');
    this.#codes.set(digest(code), now + this.#ttlMs);
    return code;
  }

  /** True when the code was issued, has not expired and was not redeemed before; it is spent either way. */
  redeem(code: string): boolean {
    const key = digest(code);
    const expiry = this.#codes.get(key);
    this.#codes.delete(key);
    return expiry !== undefined && this.#now() < expiry;
  }
}

/** What {@link signInRoutes} needs. */
export interface SignInRoutesOptions {
  codes: SignInCodes;
  apiToken: string;
}

/** A code is 43 base64url characters; anything much longer is not one. */
const MAX_BODY_BYTES = 1024;

function readCode(body: unknown): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.isBuffer(body) ? body.toString('utf8') : '');
  } catch {
    parsed = undefined;
  }
  const code = (parsed as { code?: unknown } | null | undefined)?.code;
  if (typeof code !== 'string' || code === '') {
    throw LivehooksError.of('LH_ERR_INVALID_QUERY', {
      parameter: 'the body',
      expected: 'JSON {"code": "<sign-in code>"}',
    });
  }
  return code;
}

/**
 * `POST /sign-in`: exchanges a one-time code from a sign-in link (`{"code": "..."}`) for the API token
 * (`{"token": "..."}`). It sits outside the token-protected `/api` scope, as the dashboard has no token yet;
 * a wrong, expired or already used code is refused 401 `LH_ERR_UNAUTHORIZED`.
 *
 * @example
 * ```ts
 * await app.register(signInRoutes, { codes: new SignInCodes(), apiToken });
 * ```
 */
export const signInRoutes: FastifyPluginCallback<SignInRoutesOptions> = (app, deps, done) => {
  app.post('/sign-in', { bodyLimit: MAX_BODY_BYTES }, async (request, reply) => {
    const code = readCode(request.body);
    // Neither answer may be kept by a cache: one carries the token, the other concerns a spent code.
    void reply.header('cache-control', 'no-store');
    if (!deps.codes.redeem(code)) {
      throw LivehooksError.of('LH_ERR_UNAUTHORIZED', { reason: 'wrong-sign-in-code' });
    }
    return { token: deps.apiToken };
  });
  done();
};

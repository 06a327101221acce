import { errorCodes, errorMessage, type ErrorCode, type ErrorParams } from './error-codes.js';

/** Options for {@link LivehooksError}. */
export interface LivehooksErrorOptions {
  cause?: unknown;
  /** Overrides the status suggested by the error code. */
  status?: number;
}

/**
 * The one error type livehooks throws: a stable `code`, the HTTP `status` a receiver should answer,
 * and a message that names what failed without quoting secrets or whole bodies. Create one with
 * {@link LivehooksError.of}, which builds the message from the code's template in `errorCodes`.
 *
 * @example
 * ```ts
 * throw LivehooksError.of('LH_ERR_BODY_TOO_LARGE', { limit: 1024, size: 4096 });
 *
 * try {
 *   parseCallback(body, headers, options);
 * } catch (error) {
 *   if (error instanceof LivehooksError && error.code === 'LH_ERR_SIGNATURE_MISMATCH') reject();
 * }
 * ```
 */
export class LivehooksError extends Error {
  override readonly name = 'LivehooksError';
  readonly code: ErrorCode;
  readonly status: number;

  constructor(code: ErrorCode, message: string, options: LivehooksErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = options.status ?? errorCodes[code].status;
  }

  /**
   * Creates the error of `code` with the message its template builds from `params`.
   *
   * @example
   * ```ts
   * LivehooksError.of('LH_ERR_NOT_FOUND', { what: 'event', id: '01J...' }).message; // 'no event "01J..."'
   * ```
   */
  static of<C extends ErrorCode>(
    code: C,
    params: ErrorParams<C>,
    options: LivehooksErrorOptions = {},
  ): LivehooksError {
    return new LivehooksError(code, errorMessage(code, params), options);
  }

  /** The JSON body a receiver answers with: `{ code, error }`. */
  toJSON(): { code: ErrorCode; error: string } {
    return { code: this.code, error: this.message };
  }
}

/** Whether `error` is a {@link LivehooksError}, optionally with the given code. */
export function isLivehooksError(error: unknown, code?: ErrorCode): error is LivehooksError {
  return error instanceof LivehooksError && (code === undefined || error.code === code);
}

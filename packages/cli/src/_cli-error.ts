import { isLivehooksError } from '@livehooks/core';
import { exitCodeOfErrorCode, exitCodes, type ExitCode } from './exit-codes.js';

/** A failure the command reports in one line and turns into its exit code, without a stack trace. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;

  constructor(exitCode: ExitCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.exitCode = exitCode;
  }
}

/**
 * The exit code a failed command ends with: a {@link CliError}'s own, a `LivehooksError`'s by its code
 * (the table of `exit-codes.ts`), and for anything else, an unexpected failure ({@link exitCodes.failure}).
 *
 * @example
 * ```ts
 * exitCodeOf(LivehooksError.of('LH_ERR_INVALID_CONFIG', { problems: ['port: not a number'] })); // 8
 * ```
 */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (isLivehooksError(error)) return exitCodeOfErrorCode(error.code);
  return exitCodes.failure;
}

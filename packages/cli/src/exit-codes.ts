import type { ErrorCode } from '@livehooks/core';

/**
 * The one table of the `livehooks` command's exit codes: each number, what it means (printed by `--help`
 * and in `docs/cli.md`), and the livehooks error codes that end a command with it. Everything else in the
 * CLI derives from it.
 */
const exitCodeTable = {
  ok: {
    code: 0,
    meaning: 'success: every callback acknowledged, the signature verifies, the query answered',
    errors: [],
  },
  failure: {
    code: 1,
    meaning: 'unexpected failure (a bug, or a local I/O error such as an unwritable output file)',
    errors: ['LH_ERR_INTERNAL'],
  },
  usage: {
    code: 2,
    meaning:
      'usage error: unknown command, event type or option, invalid value, unreadable input, no key given',
    errors: [],
  },
  undelivered: {
    code: 3,
    meaning: 'at least one callback was not acknowledged with HTTP 200 after all retries',
    errors: [],
  },
  unverified: { code: 4, meaning: 'the callback does not verify; the reason is printed', errors: [] },
  gateway: { code: 5, meaning: 'the gateway could not be reached, or answered an error', errors: [] },
  unauthorized: { code: 6, meaning: 'the gateway refused the API token', errors: ['LH_ERR_UNAUTHORIZED'] },
  notFound: { code: 7, meaning: 'the requested record does not exist', errors: ['LH_ERR_NOT_FOUND'] },
  config: {
    code: 8,
    meaning: 'invalid configuration, port unavailable, or the store cannot be opened',
    errors: ['LH_ERR_INVALID_CONFIG', 'LH_ERR_STORE_UNAVAILABLE'],
  },
  interrupted: {
    code: 130,
    meaning: 'stopped by Ctrl+C or SIGTERM before it finished, after cleaning up',
    errors: [],
  },
} as const satisfies Record<string, { code: number; meaning: string; errors: readonly ErrorCode[] }>;

type ExitCodeName = keyof typeof exitCodeTable;

/**
 * The exit codes of the `livehooks` command by name, stable across releases so scripts and CI can branch
 * on them. `docs/cli.md` lists them with the commands that use each.
 *
 * @example
 * ```sh
 * livehooks trigger css.screenshot || [ $? -eq 3 ] && echo "the receiver did not acknowledge"
 * ```
 */
export const exitCodes = Object.fromEntries(
  Object.entries(exitCodeTable).map(([name, { code }]) => [name, code]),
) as { readonly [N in ExitCodeName]: (typeof exitCodeTable)[N]['code'] };

/** One of {@link exitCodes}. */
export type ExitCode = (typeof exitCodes)[ExitCodeName];

/** What each exit code means, in one line, for `--help` and `docs/cli.md`. */
export const exitCodeMeanings = Object.fromEntries(
  Object.values(exitCodeTable).map(({ code, meaning }) => [code, meaning]),
) as Readonly<Record<ExitCode, string>>;

const exitCodeByError = new Map<ErrorCode, ExitCode>(
  Object.values(exitCodeTable).flatMap(({ code, errors }) =>
    errors.map((error: ErrorCode) => [error, code] as const),
  ),
);

/**
 * The exit code a livehooks error code ends a command with: its row of the table, else
 * {@link exitCodes.failure}, the code of an unexpected failure (`LH_ERR_INTERNAL`).
 */
export function exitCodeOfErrorCode(code: ErrorCode): ExitCode {
  return exitCodeByError.get(code) ?? exitCodes.failure;
}

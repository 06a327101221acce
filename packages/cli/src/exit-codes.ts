/**
 * The exit codes of the `livehooks` command, stable across releases so scripts and CI can branch
 * on them. `docs/cli.md` lists them with the commands that use each.
 *
 * @example
 * ```sh
 * livehooks trigger css.screenshot || [ $? -eq 3 ] && echo "the receiver did not acknowledge"
 * ```
 */
export const exitCodes = {
  /** Everything worked: every callback acknowledged, the signature verifies, the query answered. */
  ok: 0,
  /** An unexpected failure (a bug, or a local I/O error such as an unwritable output file). */
  failure: 1,
  /** Invalid arguments or flags: unknown command, event type or option, unreadable input. */
  usage: 2,
  /** At least one callback was not acknowledged with HTTP 200 after all retries (trigger, send, replay). */
  undelivered: 3,
  /** The callback does not verify (verify): wrong key, re-serialised body, expired `t`, missing signature. */
  unverified: 4,
  /** The gateway could not be reached or answered an error (tail, events, replay, bench). */
  gateway: 5,
  /** The gateway refused the API token (missing or wrong `--token` / `LIVEHOOKS_API_TOKEN`). */
  unauthorized: 6,
  /** The requested record does not exist (events show). */
  notFound: 7,
  /** Invalid configuration, or the store cannot be opened (serve, db). */
  config: 8,
  /** Stopped by Ctrl+C or SIGTERM before it finished, after cleaning up (bench): 128 + SIGINT, as shells report. */
  interrupted: 130,
} as const;

/** One of {@link exitCodes}. */
export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** What each exit code means, in one line, for `--help` and `docs/cli.md`. */
export const exitCodeMeanings: Readonly<Record<ExitCode, string>> = {
  0: 'success: every callback acknowledged, the signature verifies, the query answered',
  1: 'unexpected failure (a bug, or a local I/O error such as an unwritable output file)',
  2: 'usage error: unknown command, event type or option, invalid value, unreadable input, no key given',
  3: 'at least one callback was not acknowledged with HTTP 200 after all retries',
  4: 'the callback does not verify; the reason is printed',
  5: 'the gateway could not be reached, or answered an error',
  6: 'the gateway refused the API token',
  7: 'the requested record does not exist',
  8: 'invalid configuration, port unavailable, or the store cannot be opened',
  130: 'stopped by Ctrl+C or SIGTERM before it finished, after cleaning up',
};

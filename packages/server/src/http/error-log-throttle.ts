import type { Logger } from 'pino';

/** Options for {@link ErrorLogThrottle}. */
export interface ErrorLogThrottleOptions {
  /** At most one line per kind in this window after the first. Default 10 000 ms. */
  intervalMs?: number;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
}

interface Streak {
  /** Failures since the streak began. */
  failures: number;
  /** Failures not logged since the last line. */
  suppressed: number;
  loggedAt: number;
  failedAt: number;
}

function summary(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/**
 * Logs repeated failures of one kind at a bounded rate: an outage of the database fails every commit,
 * projection and query, and one line with a stack for each would flood the log. The first failure of a
 * streak is logged in full; later ones at most once per interval, as one line counting those not logged.
 * {@link ErrorLogThrottle.recovered} ends a streak with a line giving its total; so does a quiet interval
 * followed by a new failure, which starts a new streak.
 *
 * @example
 * ```ts
 * const throttle = new ErrorLogThrottle(logger);
 * committer.onError = (err) => throttle.error('commit', err, 'group commit failed');
 * committer.onBatch = (report) => report.ok && throttle.recovered('commit', 'group commits succeed again');
 * ```
 */
export class ErrorLogThrottle {
  readonly #logger: Logger;
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #streaks = new Map<string, Streak>();

  constructor(logger: Logger, options: ErrorLogThrottleOptions = {}) {
    this.#logger = logger;
    this.#intervalMs = options.intervalMs ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Logs (or counts) a failure of `kind`, with `fields` on the line. */
  error(kind: string, err: unknown, message: string, fields: Record<string, unknown> = {}): void {
    const now = this.#now();
    const streak = this.#streaks.get(kind);
    // A failure after a quiet interval starts a new streak, logged in full; kinds that never report their
    // recovery end their streaks this way.
    if (streak === undefined || now - streak.failedAt >= this.#intervalMs) {
      this.#streaks.set(kind, { failures: 1, suppressed: 0, loggedAt: now, failedAt: now });
      const earlier =
        streak === undefined || streak.suppressed === 0 ? {} : { suppressed: streak.suppressed };
      this.#logger.error({ ...fields, ...earlier, err, kind }, message);
      return;
    }
    streak.failures += 1;
    streak.failedAt = now;
    if (now - streak.loggedAt < this.#intervalMs) {
      streak.suppressed += 1;
      return;
    }
    this.#logger.error(
      { ...fields, error: summary(err), kind, failures: streak.failures, suppressed: streak.suppressed },
      `${message} (still failing; ${streak.suppressed} more failures suppressed)`,
    );
    streak.suppressed = 0;
    streak.loggedAt = now;
  }

  /** Ends a streak of `kind` failures, if one is running, with one line counting them. */
  recovered(kind: string, message: string): void {
    const streak = this.#streaks.get(kind);
    if (streak === undefined) return;
    this.#streaks.delete(kind);
    this.#logger.warn(
      { kind, failures: streak.failures, suppressed: streak.suppressed },
      `${message} after ${streak.failures} failures (${streak.suppressed} not logged)`,
    );
  }
}

import type { Attempt, SendResult } from '@livehooks/fixtures';

/**
 * One attempt as a human phrase: `200 {"code":0} in 3.1 ms` or `timeout after 5000 ms`. The reply is kept
 * whole (the sender keeps its first 2000 bytes), on one line that a terminal wraps, so the advice at the
 * end of an error answer is never cut off.
 */
export function describeAttempt(attempt: Attempt): string {
  if (attempt.status === undefined) return `${attempt.error ?? 'failed'} (${attempt.latencyMs} ms)`;
  const body = attempt.responseBody?.trim().replace(/\s+/g, ' ');
  return `${attempt.status}${body ? ` ${body}` : ''} in ${attempt.latencyMs} ms`;
}

/** The closing phrase of one delivery: delivered after n attempts, or given up and why. */
export function describeOutcome(result: SendResult): string {
  const attempts = `${result.attempts.length} attempt${result.attempts.length === 1 ? '' : 's'}`;
  if (result.delivered) return `delivered after ${attempts}`;
  if (result.aborted) return `interrupted after ${attempts}`;
  return `not delivered after ${attempts} (${result.policy.description})`;
}

/** Counts of a batch of deliveries. */
export interface DeliverySummary {
  total: number;
  delivered: number;
  failed: number;
  attempts: number;
}

export function summarise(results: readonly SendResult[], total = results.length): DeliverySummary {
  const delivered = results.filter((result) => result.delivered).length;
  return {
    total,
    delivered,
    failed: total - delivered,
    attempts: results.reduce((sum, result) => sum + result.attempts.length, 0),
  };
}

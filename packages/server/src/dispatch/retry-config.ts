import { z } from 'zod';
import { show, strictSection } from './_config-fields.js';

/** Default retry delays: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h (10 attempts over about 16 h). */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000,
];

const WEEK_MS = 7 * 86_400_000;
const SCHEDULE_PROBLEM = `expected a list of at most 100 delays in ms, each from 0 to ${WEEK_MS}`;

const scheduleMs = z
  .array(z.int({ error: SCHEDULE_PROBLEM }).min(0).max(WEEK_MS), { error: SCHEDULE_PROBLEM })
  .max(100)
  .describe(
    'Delay before each retry in ms; a delivery is dead after `scheduleMs.length + 1` attempts (at most 100 delays, each up to a week).',
  );
const jitter = z
  .number({ error: (issue) => `${show(issue.input)} is not a number from 0 to 1` })
  .min(0)
  .max(1)
  .describe('Each delay is scaled by a random factor in [1 - jitter, 1 + jitter].');

/**
 * A retry schedule as written in the config file: either field may be left out and is then taken from
 * the schedule it overrides (`dispatch.retry` for a sink, the defaults for `dispatch.retry`).
 */
export const retryOverridesSchema = strictSection(
  { scheduleMs: scheduleMs.optional(), jitter: jitter.optional() },
  '{ "scheduleMs": [...], "jitter": 0.2 }',
);

/** The dispatcher's default retry schedule (`dispatch.retry`), with every field defaulted. */
export const retryConfigSchema = strictSection(
  {
    scheduleMs: scheduleMs.default(() => [...DEFAULT_RETRY_SCHEDULE_MS]),
    jitter: jitter.default(0.2),
  },
  '{ "scheduleMs": [...], "jitter": 0.2 }',
);

/** Retry schedule of a sink. */
export type RetryConfig = z.output<typeof retryConfigSchema>;

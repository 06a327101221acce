import { LivehooksError } from '@livehooks/core';

/**
 * Invalid configuration: `problems` holds one line per problem, each naming where the value came from
 * (environment variable, config file key or flag) and what is expected, never quoting a secret.
 *
 * @example
 * ```ts
 * try {
 *   loadConfig({ env: process.env });
 * } catch (error) {
 *   if (error instanceof ConfigError) for (const line of error.problems) console.error(line);
 * }
 * ```
 */
export class ConfigError extends LivehooksError {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(
      'LH_ERR_INVALID_CONFIG',
      `invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${problems.map((line) => `  - ${line}`).join('\n')}`,
    );
    this.problems = problems;
  }
}

import { z } from 'zod';
import { booleanField, formatPath, integerField, show, strictSection } from './_config-fields.js';
import { sinkSchemaOf, type AnySinkDefinition } from './define-sink.js';
import { DEFAULT_RETRY_SCHEDULE_MS, retryConfigSchema, type RetryConfig } from './retry-config.js';
import { sinkDefinitions, type SinkConfig } from './sinks/index.js';

export { DEFAULT_RETRY_SCHEDULE_MS, type RetryConfig, type SinkConfig };
export type { AlertFormat, AlertSinkConfig } from './sinks/alert-sink.js';
export type { NatsSinkConfig } from './sinks/nats-sink.js';
export type { RedisSinkConfig } from './sinks/redis-sink.js';
export type { TencentAction, TencentSinkConfig } from './sinks/tencent-sink.js';
export type { WebhookSinkConfig } from './sinks/webhook-sink.js';

/** `dispatch` in the config file: the dispatcher's settings. */
export const dispatchSchema = strictSection({
  releaseStale: booleanField()
    .default(false)
    .describe(
      'Deliver events whose CSS expiry `t` had passed (stale) at once; by default their deliveries are `held` until `POST /api/events/{id}/release`.',
    ),
  pollMs: integerField(10, 60_000)
    .default(1000)
    .describe('How often each sink looks for due deliveries when no commit woke it, in ms.'),
  leaseMs: integerField(1000, 3_600_000)
    .default(60_000)
    .describe(
      'How long a claimed delivery stays reserved for its process, in ms; after a crash the delivery is retried once it expires.',
    ),
  retry: retryConfigSchema
    .prefault({})
    .describe(
      'Default retry schedule of every sink: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h with ±20 % jitter (10 attempts over about 16 h).',
    ),
})
  .prefault({})
  .describe('The dispatcher: stale events, polling, leases and the default retry schedule.');

/** The dispatcher's settings (`dispatch` in the config file). */
export type DispatchConfig = z.output<typeof dispatchSchema>;

const sinkTypes = sinkDefinitions.map((definition) => definition.type);

const sinkSchema = z.discriminatedUnion(
  'type',
  sinkDefinitions.map((definition) => sinkSchemaOf(definition as AnySinkDefinition)) as unknown as [
    ReturnType<typeof sinkSchemaOf>,
    ...ReturnType<typeof sinkSchemaOf>[],
  ],
  {
    error: (issue) => {
      if (issue.input === null || typeof issue.input !== 'object' || Array.isArray(issue.input)) {
        return "expected an object with name, type and the type's options";
      }
      const { type } = issue.input as { type?: unknown };
      return type === undefined
        ? `is required (one of ${sinkTypes.join(', ')})`
        : `${show(type)} is not one of ${sinkTypes.join(', ')}`;
    },
  },
);

/** `sinks` in the config file: where events are delivered, one entry per sink, names unique. */
export const sinksSchema = z
  .array(sinkSchema, { error: 'expected a list of sinks' })
  .check(
    // Runs even when a sink is invalid, so a repeated name is reported with the sinks' other problems.
    z.superRefine(
      (sinks: readonly unknown[], context) => {
        const names = new Set<string>();
        sinks.forEach((sink, index) => {
          const name = (sink as { name?: unknown } | null)?.name;
          if (typeof name !== 'string') return;
          if (names.has(name)) {
            context.addIssue({
              code: 'custom',
              path: [index],
              message: `name ${JSON.stringify(name)} is used by another sink`,
            });
          }
          names.add(name);
        });
      },
      { when: () => true },
    ),
  )
  .default([])
  .describe('Where events are delivered; `docs/sinks.md` describes each type.');

/** The config file sections dispatch owns. */
export const dispatchSections = { dispatch: dispatchSchema, sinks: sinksSchema };

const definitionsByType = new Map<string, AnySinkDefinition>(
  sinkDefinitions.map((definition) => [definition.type, definition as AnySinkDefinition]),
);

/**
 * The problem lines of one issue in the `dispatch` or `sinks` section: `dispatch: pollMs: ...`,
 * `sinks[0] ("hook"): url: ...`, one per unknown key. A sink's secret options are never quoted.
 *
 * @example
 * ```ts
 * dispatchProblems(issue, input.sinks); // ['sinks[2] ("cut"): action: "Reboot" is not one of ...']
 * ```
 */
export function dispatchProblems(issue: z.core.$ZodIssue, sinksInput: unknown): string[] {
  const [section, index, ...rest] = issue.path;
  if (section !== 'sinks' || typeof index !== 'number') {
    const where = section === undefined ? [] : [String(section)];
    const inner = index === undefined ? [] : [index, ...rest];
    return lines(issue, inner).map((line) => [...where, line].join(': '));
  }
  const sink = Array.isArray(sinksInput)
    ? (sinksInput[index] as Record<string, unknown> | undefined)
    : undefined;
  const named = rest.length > 0 && typeof sink?.name === 'string' ? ` (${JSON.stringify(sink.name)})` : '';
  const secrets = definitionsByType.get(String(sink?.type))?.secrets ?? [];
  const secret = typeof rest[0] === 'string' && secrets.includes(rest[0]);
  return lines(issue, rest, secret).map((line) => `sinks[${index}]${named}: ${line}`);
}

/** `<path>: <message>` for an issue at `path` inside a section; one line per unknown key. */
function lines(issue: z.core.$ZodIssue, path: readonly PropertyKey[], secret = false): string[] {
  let message = issue.message;
  // The field helpers quote values with show(); a secret option's value is replaced.
  if (secret && issue.input !== undefined) {
    message = message.replaceAll(show(issue.input), '(the value is not shown)');
  }
  if (issue.code === 'unrecognized_keys')
    return issue.keys.map((key) => `${formatPath([...path, key])}: ${message}`);
  return [path.length === 0 ? message : `${formatPath(path)}: ${message}`];
}

/**
 * Fills each sink's retry schedule from `dispatch.retry` where the sink leaves a field out.
 *
 * @example
 * ```ts
 * resolveSinks(dispatch, [{ ...sink, retry: { jitter: 0.5 } }])[0].retry; // dispatch's scheduleMs, jitter 0.5
 * ```
 */
export function resolveSinks(
  dispatch: DispatchConfig,
  sinks: readonly z.output<typeof sinkSchema>[],
): SinkConfig[] {
  return sinks.map((sink) => {
    const retry = {
      scheduleMs: sink.retry?.scheduleMs ?? dispatch.retry.scheduleMs,
      jitter: sink.retry?.jitter ?? dispatch.retry.jitter,
    };
    // The sink schemas are built from the definitions SinkConfig is derived from.
    return { ...sink, retry } as unknown as SinkConfig;
  });
}

/**
 * Validates the `dispatch` and `sinks` sections of the configuration. Problems are one line each, name the
 * sink and option, and never quote a secret.
 *
 * @example
 * ```ts
 * const { dispatch, sinks, problems } = parseDispatchSections(file.dispatch, file.sinks, 'config file x.json');
 * if (problems.length > 0) throw new ConfigError(problems);
 * ```
 */
export function parseDispatchSections(
  dispatchInput: unknown,
  sinksInput: unknown,
  label: string,
): { dispatch: DispatchConfig; sinks: SinkConfig[]; problems: string[] } {
  const result = z
    .object(dispatchSections)
    .safeParse({ dispatch: dispatchInput, sinks: sinksInput }, { reportInput: true });
  if (!result.success) {
    return {
      dispatch: dispatchSchema.parse(undefined),
      sinks: [],
      problems: result.error.issues.flatMap((issue) =>
        dispatchProblems(issue, sinksInput).map((line) => `${label}: ${line}`),
      ),
    };
  }
  const { dispatch, sinks } = result.data;
  return { dispatch, sinks: resolveSinks(dispatch, sinks), problems: [] };
}

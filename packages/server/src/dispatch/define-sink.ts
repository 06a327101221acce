import { z } from 'zod';
import { integerField, textField } from './_config-fields.js';
import { retryOverridesSchema, type RetryConfig } from './retry-config.js';
import { sinkFilterSchema, type SinkFilterConfig } from './sink-filter.js';
import type { Sink } from './sink.js';

/** The options every configured sink has, whatever its type. */
export interface SinkBase {
  /** Unique name: deliveries, metrics and the API refer to the sink by it. */
  name: string;
  filter: SinkFilterConfig;
  /** Deliveries in flight at once (the per-endpoint limit of a webhook). */
  concurrency: number;
  /** Time limit of one attempt in ms. */
  timeoutMs: number;
  retry: RetryConfig;
}

/** The validated configuration of a sink of type `Type` with the options `Options`. */
export type SinkConfigOf<Type extends string, Options extends z.ZodObject> = SinkBase & {
  type: Type;
} & z.output<Options>;

/**
 * A sink type: its name in the config file, its own options as a zod object, which of them are secrets,
 * and the factory that builds a sink from a validated configuration. Registered in `sinks/index.ts`, it
 * is validated, typed, documented and put in the config file's JSON Schema without further code.
 */
export interface SinkDefinition<Type extends string = string, Options extends z.ZodObject = z.ZodObject> {
  /** The sink's `type` in the config file. */
  readonly type: Type;
  /** One sentence for the docs and the JSON Schema. */
  readonly description: string;
  /** The type's own options; `name`, `filter`, `concurrency`, `timeoutMs` and `retry` are added. */
  readonly options: Options;
  /** Options whose values are secrets: a problem never quotes them. */
  readonly secrets: readonly (keyof z.output<Options> & string)[];
  /** Deliveries in flight at once when `concurrency` is not configured. */
  readonly concurrency: number;
  /**
   * Checks that involve several options (e.g. credentials required unless dry-run). It runs even when an
   * option failed its own check, so every problem is reported at once: read values defensively.
   */
  refine?(config: z.output<Options>, context: z.RefinementCtx): void;
  /** Builds the sink; called once per configured sink at start-up. */
  create(config: SinkConfigOf<Type, Options>): Sink;
}

/** Any registered sink definition. */
// The factory's parameter differs per type; a method's parameters are checked bivariantly, so each
// definition is assignable here.
export type AnySinkDefinition = SinkDefinition<string, z.ZodObject>;

/** The configuration of any sink a list of definitions describes: a union discriminated on `type`. */
export type SinkConfigOfDefinition<D> =
  D extends SinkDefinition<infer Type, infer Options> ? SinkConfigOf<Type, Options> : never;

/**
 * Declares a sink type with full typing: `create` receives the validated options.
 *
 * @example
 * ```ts
 * export const logSink = defineSink({
 *   type: 'log',
 *   description: 'Writes each event id to standard output.',
 *   options: z.object({ prefix: z.string().default('event') }),
 *   secrets: [],
 *   concurrency: 1,
 *   create: (config) => ({
 *     name: config.name,
 *     type: 'log',
 *     concurrency: config.concurrency,
 *     async deliver(envelope) {
 *       console.log(config.prefix, envelope.id);
 *       return undefined;
 *     },
 *   }),
 * });
 * ```
 */
export function defineSink<const Type extends string, Options extends z.ZodObject>(
  definition: SinkDefinition<Type, Options>,
): SinkDefinition<Type, Options> {
  return definition;
}

const SINK_NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The config file schema of one sink type: `type`, the options every sink has and the type's own options.
 * `retry` stays partial here: fields left out are taken from `dispatch.retry`.
 *
 * @example
 * ```ts
 * sinkSchemaOf(webhookSink).safeParse({ name: 'ops', type: 'webhook', url: 'https://ops.example.com/h' });
 * ```
 */
export function sinkSchemaOf(definition: AnySinkDefinition) {
  const shape = {
    name: textField({ pattern: SINK_NAME, hint: 'a name of 1 to 64 A-Z a-z 0-9 _ -' }).describe(
      'Unique name (`A-Z a-z 0-9 _ -`, at most 64): deliveries, metrics and the API refer to the sink by it.',
    ),
    type: z.literal(definition.type).describe(definition.description),
    filter: sinkFilterSchema.default({}).describe('Which events the sink receives; every event by default.'),
    concurrency: integerField(1, 1000)
      .default(definition.concurrency)
      .describe('Deliveries of the sink in flight at once (the per-endpoint limit).'),
    timeoutMs: integerField(100, 300_000).default(10_000).describe('Time limit of one attempt in ms.'),
    retry: retryOverridesSchema
      .optional()
      .describe("The sink's own retry schedule; a field left out is taken from `dispatch.retry`."),
    ...definition.options.shape,
  };
  const known = Object.keys(shape).join(', ');
  const schema = z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown option of a ${definition.type} sink (known: ${known})`
        : undefined,
  });
  const refine = definition.refine?.bind(definition);
  // Runs even when an option is invalid, so that every problem is reported at once.
  const checked =
    refine === undefined
      ? schema
      : schema.check(z.superRefine((config, context) => refine(config, context), { when: () => true }));
  return checked.meta({ title: `${definition.type} sink`, description: definition.description });
}

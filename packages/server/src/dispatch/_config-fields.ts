import { z } from 'zod';

/**
 * A value as a problem line shows it: strings quoted and cut to 60 characters, lists and objects named,
 * numbers and booleans as written.
 */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.slice(0, 60));
  if (Array.isArray(value)) return 'a list';
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** A path inside the config file as a problem names it: `connections.max`, `retry.scheduleMs[2]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((segment, index) =>
      typeof segment === 'number' ? `[${segment}]` : `${index === 0 ? '' : '.'}${String(segment)}`,
    )
    .join('');
}

/**
 * An object section of the config file: unknown keys are problems that list the known ones.
 *
 * @example
 * ```ts
 * const retry = strictSection({ jitter: z.number() }, '{ "jitter": 0.2 }');
 * ```
 */
export function strictSection<Shape extends z.ZodRawShape>(shape: Shape, expected = 'an object') {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `unknown option (known: ${known})`
        : issue.input === undefined
          ? 'is required'
          : `expected ${expected}, got ${show(issue.input)}`,
  });
}

/** An integer from `min` to `max` in the config file. */
export function integerField(min: number, max: number) {
  return z
    .int({
      error: (issue) =>
        issue.input === undefined
          ? 'is required'
          : `${show(issue.input)} is not an integer from ${min} to ${max}`,
    })
    .min(min)
    .max(max);
}

/** `true` or `false` in the config file. */
export function booleanField() {
  return z.boolean({ error: (issue) => `${show(issue.input)} is not true or false` });
}

/** A non-empty string, optionally matching `pattern` (`hint` says what it must be). */
export function textField(options: { pattern?: RegExp; hint?: string } = {}) {
  const nonEmpty = z
    .string({
      error: (issue) =>
        issue.input === undefined ? 'is required' : `expected a non-empty string, got ${show(issue.input)}`,
    })
    .refine((value) => value.trim() !== '', {
      error: (issue) => `expected a non-empty string, got ${show(issue.input)}`,
    });
  return options.pattern === undefined
    ? nonEmpty
    : nonEmpty.regex(options.pattern, {
        error: (issue) => `${show(issue.input)} is not ${options.hint ?? 'valid'}`,
      });
}

/** An `http:` or `https:` URL. The value is never shown: a bot or webhook URL may carry a token. */
export function httpUrlField() {
  return z.url({
    protocol: /^https?$/,
    error: (issue) =>
      issue.input === undefined
        ? 'is required'
        : typeof issue.input === 'string'
          ? 'is not an http(s) URL'
          : `expected an http(s) URL, got ${show(issue.input)}`,
  });
}

/** One of `values`. */
export function oneOfField<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `is required (one of ${values.join(', ')})`
        : `${show(issue.input)} is not one of ${values.join(', ')}`,
  });
}

/** A list of non-empty strings; a single string is read as a list of one. `examples` help editors complete. */
export function stringListField(options: { examples?: string[] } = {}) {
  const message = 'expected a string or a list of strings';
  const item = z.string({ error: message }).refine((text) => text.trim() !== '', { error: message });
  return z.preprocess(
    (value) => (typeof value === 'string' ? [value] : value),
    z.array(options.examples === undefined ? item : item.meta({ examples: options.examples }), {
      error: message,
    }),
  );
}

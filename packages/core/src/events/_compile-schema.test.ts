import { loadInvalidSamples, loadSamples } from '@livehooks/fixtures';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { classify } from '../parse/classify.js';
import { compileSchema, INVALID, valueTransform, type CompileOptions } from './_compile-schema.js';
import { catalog } from './index.js';

/**
 * A value written out with everything `toStrictEqual` may let pass: key order, `undefined` members,
 * `-0`, prototypes.
 */
function written(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(written).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) === Object.prototype ? '' : '<other prototype>';
    const record = value as Record<string, unknown>;
    return `{${proto}${Object.keys(record)
      .map((key) => `${JSON.stringify(key)}:${written(record[key])}`)
      .join(',')}}`;
  }
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** Asserts the compiled schema accepts exactly what zod accepts, and gives the same data. */
function expectSameAsZod(schema: z.ZodType, input: unknown, options: CompileOptions): void {
  // Each side gets its own copy: a transform may hand out parts of its input.
  const expected = schema.safeParse(structuredClone(input));
  const actual = compileSchema(schema, options)(structuredClone(input));
  expect(actual !== INVALID, `accepts ${JSON.stringify(input)?.slice(0, 300)}`).toBe(expected.success);
  if (expected.success) {
    expect(actual).toEqual(expected.data);
    expect(written(actual)).toBe(written(expected.data));
  }
}

const samples = [
  ...loadSamples(),
  ...loadInvalidSamples().filter((sample) => {
    try {
      JSON.parse(sample.body);
      return true;
    } catch {
      return false;
    }
  }),
].map((sample) => ({ family: sample.family, payload: JSON.parse(sample.body) as unknown }));
const objects = samples.filter(
  (sample): sample is { family: 'css' | 'trtc'; payload: Record<string, unknown> } =>
    sample.payload !== null && typeof sample.payload === 'object' && !Array.isArray(sample.payload),
);

/** Every place in a JSON value: the containers and keys that lead to it. */
function placesOf(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  const places: (string | number)[][] = [path];
  if (Array.isArray(value)) value.forEach((item, index) => places.push(...placesOf(item, [...path, index])));
  else if (value !== null && typeof value === 'object') {
    for (const key of Object.keys(value)) {
      places.push(...placesOf((value as Record<string, unknown>)[key], [...path, key]));
    }
  }
  return places;
}

function parentOf(root: unknown, path: (string | number)[]): Record<string | number, unknown> {
  let value = root;
  for (const key of path.slice(0, -1)) value = (value as Record<string | number, unknown>)[key];
  return value as Record<string | number, unknown>;
}

/** Stands for a number too large for a double: written as `1e400`, which JSON.parse reads as Infinity. */
const HUGE = '\u0000huge';

/** Values close to what a schema expects, for a value it holds: the edits a sender's serialiser makes. */
function neighbours(value: unknown): unknown[] {
  if (typeof value === 'number') {
    return [String(value), ` ${value} `, `${value}x`, -value, value + 0.5, null, HUGE];
  }
  if (typeof value === 'string') {
    return [` ${value} `, Number(value), value === '' ? 'x' : '', null, [value], { value }, '1e400'];
  }
  if (Array.isArray(value)) {
    const first: unknown = value[0];
    return [null, [], first, { 0: first }];
  }
  if (value !== null && typeof value === 'object') return [null, [], 'text', JSON.stringify(value)];
  return [0, 1, 'true', 'false', true, null];
}

const SPECIAL_KEYS = ['__proto__', 'constructor', 'toString', 'label', 'LABEL', 'Label', 'Details', ''];

type Mutation =
  | { kind: 'replace'; value: unknown }
  | { kind: 'neighbour'; index: number }
  | { kind: 'delete' }
  | { kind: 'add'; key: string; value: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), value: fc.jsonValue({ maxDepth: 2 }) }),
  fc.record({ kind: fc.constant('neighbour' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const) }),
  fc.record({
    kind: fc.constant('add' as const),
    key: fc.oneof(fc.constantFrom(...SPECIAL_KEYS), fc.string({ maxLength: 8 })),
    value: fc.jsonValue({ maxDepth: 2 }),
  }),
);

/** Applies one mutation at one place of a copy of `payload`. */
function mutate(payload: unknown, place: (string | number)[], change: Mutation): unknown {
  // JSON.parse(JSON.stringify(...)) as a body would arrive: `__proto__` keys stay own keys.
  const copy = JSON.parse(JSON.stringify(payload)) as unknown;
  if (place.length === 0) return change.kind === 'replace' ? change.value : copy;
  const parent = parentOf(copy, place);
  const key = place.at(-1)!;
  switch (change.kind) {
    case 'replace':
      parent[key] = change.value;
      break;
    case 'neighbour': {
      const options = neighbours(parent[key]);
      parent[key] = options[change.index % options.length];
      break;
    }
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'add': {
      const target = parent[key];
      if (target !== null && typeof target === 'object' && !Array.isArray(target)) {
        Object.defineProperty(target, change.key, {
          value: change.value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      break;
    }
  }
  // Through JSON again, as parseCallback would see it.
  return JSON.parse(JSON.stringify(copy).replaceAll(JSON.stringify(HUGE), '1e400')) as unknown;
}

// Generated code where the runtime allows it, closures elsewhere: both are held to zod.
describe.each<CompileOptions>([{ generate: true }, { generate: false }])('compileSchema (%o)', (options) => {
  it('gives what zod gives for every fixture sample under every catalog schema', () => {
    for (const definition of catalog) {
      for (const sample of samples) expectSameAsZod(definition.schema, sample.payload, options);
    }
  });

  it('gives what zod gives for mutated fixture samples under their own schema and the one they now match', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), mutation, (which, where, change) => {
        const sample = objects[which % objects.length]!;
        const places = placesOf(sample.payload);
        const input = mutate(sample.payload, places[where % places.length]!, change);
        expectSameAsZod(classify(sample.family, sample.payload).schema, input, options);
        if (input !== null && typeof input === 'object' && !Array.isArray(input)) {
          expectSameAsZod(classify(sample.family, input as Record<string, unknown>).schema, input, options);
        }
      }),
      { numRuns: 3000 },
    );
  });

  const zodCorners: [string, z.ZodType][] = [
    ['a strict object', z.strictObject({ a: z.string() })],
    ['a stripping object', z.object({ a: z.string().optional(), b: z.number() })],
    ['an object with a typed catchall', z.object({ a: z.string() }).catchall(z.number())],
    ['a required unknown key', z.looseObject({ a: z.unknown(), b: z.any() })],
    ['defaults and prefaults', z.object({ a: z.string().default('x'), b: z.number().prefault(1) })],
    ['an optional default', z.object({ a: z.string().default('x').optional() })],
    [
      'a transform of an optional',
      z.object({
        a: z
          .string()
          .optional()
          .transform((v) => v ?? 'none'),
      }),
    ],
    ['an exact optional', z.object({ a: z.exactOptional(z.string()) })],
    ['a catch', z.object({ a: z.number().catch(0) })],
    ['a regex and a length check', z.object({ a: z.string().regex(/^\d+$/).max(3) })],
    ['a refinement', z.looseObject({ a: z.number() }).refine((v) => v.a > 0)],
    ['an overwrite', z.object({ a: z.string().trim().toLowerCase() })],
    [
      'a transform that adds an issue',
      z.object({
        a: z.string().transform((v, ctx) => {
          if (v.length > 2) ctx.addIssue({ code: 'custom', message: 'too long' });
          return v.length;
        }),
      }),
    ],
    [
      'a transform that pushes an issue',
      z.object({
        a: z.number().transform((v, ctx) => {
          if (v < 0) ctx.issues.push({ code: 'custom', message: 'negative', input: v });
          return -v;
        }),
      }),
    ],
    ['a record', z.record(z.string(), z.number())],
    [
      'a discriminated union',
      z.discriminatedUnion('k', [z.object({ k: z.literal('a') }), z.object({ k: z.literal(1) })]),
    ],
    ['an exclusive union', z.xor([z.string(), z.string().max(2)])],
    ['a string format', z.object({ a: z.email(), b: z.uuid() })],
    ['coercion', z.object({ a: z.coerce.number(), b: z.coerce.string() })],
    [
      'enums, literals, null and booleans',
      z.tuple([z.enum(['a', 'b']), z.literal([1, 'x']), z.null(), z.boolean()]),
    ],
    ['nested arrays and nullables', z.array(z.array(z.number().nullable()).nullish())],
    [
      'a recursive schema',
      z.object({
        get next() {
          return z.array(recursive).optional();
        },
        n: z.number(),
      }),
    ],
  ];
  const recursive: z.ZodType = zodCorners.at(-1)![1];

  it.each(zodCorners)('gives what zod gives for %s', (_name, schema) => {
    const values = fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.dictionary(
        fc.constantFrom('a', 'b', 'k', 'n', 'next', '__proto__', 'constructor'),
        fc.oneof(
          fc.jsonValue({ maxDepth: 2 }),
          fc.constantFrom('a', 'x', ' A@b.co ', '12', '1234', 'ab', -1, 0, 1, 2.5, null, true, []),
          fc.array(fc.dictionary(fc.constantFrom('n', 'next'), fc.constantFrom(1, [], null)), {
            maxLength: 2,
          }),
        ),
      ),
    );
    fc.assert(
      fc.property(values, (value) => expectSameAsZod(schema, JSON.parse(JSON.stringify(value)), options)),
      { numRuns: 500 },
    );
  });

  it('keeps a __proto__ key of the body out of a loose object, as zod does, without touching the prototype', () => {
    const input = JSON.parse('{"a":"x","__proto__":{"polluted":true},"b":1}') as unknown;
    const parse = compileSchema(z.looseObject({ a: z.string() }), options);
    const output = parse(input) as Record<string, unknown>;
    expect(Object.keys(output)).toEqual(['a', 'b']);
    expect(Object.getPrototypeOf(output)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('returns INVALID for what zod rejects', () => {
    const parse = compileSchema(z.looseObject({ n: z.number() }), options);
    expect(parse({ n: 'five' })).toBe(INVALID);
    expect(parse({ n: Infinity })).toBe(INVALID);
    expect(parse([])).toBe(INVALID);
    expect(parse({ n: 5, x: [1] })).toEqual({ n: 5, x: [1] });
  });

  it('calls a value transform with its value alone and gives what zod gives', () => {
    const calls: unknown[][] = [];
    const double = valueTransform((value: number) => value * 2);
    const schema = z.looseObject({
      n: z.number().transform((...args: unknown[]) => {
        calls.push(args);
        return double(args[0] as number);
      }),
      m: z.number().transform(double).optional(),
      p: z
        .number()
        .transform(valueTransform((value: number) => Promise.resolve(value)))
        .optional(),
    });
    const parse = compileSchema(schema, options);
    expect(parse({ n: 2, m: 3 })).toEqual({ n: 4, m: 6 });
    expect(calls[0]).toHaveLength(2);
    expectSameAsZod(schema, { n: 2, m: 3, x: 'y' }, options);
    // A promise is zod's async error, never a value: the compiled schema leaves it to zod.
    expect(parse({ n: 2, p: 1 })).toBe(INVALID);
  });
});

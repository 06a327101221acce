import type { z } from 'zod';

/** What a compiled schema returns for input its zod schema rejects. */
export const INVALID: unique symbol = Symbol('invalid');

/** A compiled schema: the value zod's `safeParse` would give as `data`, or {@link INVALID}. */
export type CompiledSchema = (input: unknown) => unknown;

/** The parts of zod 4's schema internals (`schema._zod`) the compiler reads. */
interface Internals {
  readonly def: Def;
  readonly traits: ReadonlySet<string>;
  readonly optin?: 'optional' | 'defaulted' | undefined;
  readonly optout?: 'optional' | undefined;
  readonly values?: ReadonlySet<unknown> | undefined;
  check?(payload: CheckPayload): unknown;
}

interface Def {
  readonly checks?: readonly Schema[];
  readonly coerce?: boolean;
  readonly when?: unknown;
  readonly innerType?: Schema;
  readonly element?: Schema;
  readonly options?: readonly Schema[];
  readonly inclusive?: boolean;
  readonly discriminator?: unknown;
  readonly in?: Schema;
  readonly out?: Schema;
  readonly shape?: Readonly<Record<string, Schema>>;
  readonly catchall?: Schema;
  readonly transform?: (value: unknown, payload: CheckPayload) => unknown;
}

interface Schema {
  readonly _zod: Internals;
}

interface CheckPayload {
  value: unknown;
  issues: unknown[];
  addIssue?(issue: unknown): void;
}

/** The zod traits of a schema, sorted: what it is, with nothing it might add unseen. */
function kindOf(schema: Schema): string {
  return [...schema._zod.traits]
    .filter((trait) => trait.startsWith('$'))
    .sort()
    .join(' ');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** zod itself, for the schema kinds the compiler does not handle. */
function delegate(schema: Schema): CompiledSchema {
  const safeParse = (schema as unknown as z.ZodType).safeParse.bind(schema);
  return (input) => {
    const result = safeParse(input);
    return result.success ? result.data : INVALID;
  };
}

/** Runs a schema's checks (`.regex()`, `.refine()`, ...) on its parsed value, as zod does after parsing. */
function withChecks(parse: CompiledSchema, checks: readonly Schema[]): CompiledSchema {
  return (input) => {
    const value = parse(input);
    if (value === INVALID) return INVALID;
    const payload: CheckPayload = { value, issues: [] };
    for (const check of checks) {
      if (check._zod.check!(payload) instanceof Promise || payload.issues.length > 0) return INVALID;
    }
    return payload.value;
  };
}

/** Transforms that read only their value: see {@link valueTransform}. */
const valueOnly = new WeakSet<object>();

/**
 * Marks a zod transform that reads only its value, never zod's context (`ctx.addIssue`, `ctx.issues`),
 * and returns it: compiled schemas call it with the value alone instead of building a context (an
 * issue list and an `addIssue` closure) for every call. zod itself calls it as any other transform.
 *
 * @example
 * ```ts
 * const trimmed = z.string().transform(valueTransform((value: string) => value.trim()));
 * ```
 */
export function valueTransform<TIn, TOut>(transform: (value: TIn) => TOut): (value: TIn) => TOut {
  valueOnly.add(transform);
  return transform;
}

/** What a compiler builds objects with: generated code, or closures per property. */
interface Compiler {
  readonly generate: boolean;
  readonly cache: WeakMap<Schema, CompiledSchema>;
}

/**
 * Whether this runtime turns text into code: not where a content security policy forbids `eval`
 * (Cloudflare Workers, some browsers), where objects are compiled to closures instead.
 */
const canGenerate = ((): boolean => {
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- probing whether code generation is allowed
    return (new Function('return true') as () => boolean)();
  } catch {
    return false;
  }
})();

/**
 * One property of an object, the way zod's `handlePropertyResult` settles it: an absent optional key adds
 * nothing, an absent required key fails, a present key keeps whatever its schema made of it.
 */
function compileProperty(compiler: Compiler, key: string, schema: Schema) {
  const parse = compileNode(compiler, schema);
  const { optin, optout } = schema._zod;
  const skipAbsent = optin === 'optional' && optout === 'optional';
  const forgiveAbsent = optin !== undefined && optout === 'optional';
  const keepAbsentUndefined = optin === 'defaulted' && optout !== 'optional';
  return (input: Record<string, unknown>, out: Record<string, unknown>): boolean => {
    const raw = input[key];
    // JSON holds no undefined, so `in` runs only for keys the body lacks.
    const present = raw !== undefined || key in input;
    if (!present && skipAbsent) return true;
    const value = parse(raw);
    if (value === INVALID) return !present && forgiveAbsent;
    if (!present && optin === undefined) return false;
    if (value !== undefined || present || keepAbsentUndefined) out[key] = value;
    return true;
  };
}

/** How an object treats keys its shape does not name. */
function catchallOf(compiler: Compiler, def: Def) {
  const catchall = def.catchall;
  const kind = catchall === undefined ? 'strip' : kindOf(catchall);
  const loose = kind === '$ZodType $ZodUnknown' || kind === '$ZodAny $ZodType';
  const strict = kind === '$ZodNever $ZodType';
  const rest = catchall === undefined || loose || strict ? undefined : compileNode(compiler, catchall);
  return { strip: catchall === undefined, loose, strict, rest };
}

function compileObject(compiler: Compiler, def: Def): CompiledSchema | undefined {
  const shape = def.shape ?? {};
  if (Object.getOwnPropertySymbols(shape).length > 0) return undefined;
  if (compiler.generate) return generateObject(compiler, def, shape);
  const keys = Object.keys(shape);
  const keySet = new Set(keys);
  const properties = keys
    .filter((key) => key !== '__proto__')
    .map((key) => compileProperty(compiler, key, shape[key]!));
  const { strip, loose, strict, rest } = catchallOf(compiler, def);
  return (input) => {
    if (!isObject(input)) return INVALID;
    const out: Record<string, unknown> = {};
    for (const property of properties) if (!property(input, out)) return INVALID;
    if (strip) return out;
    // `for...in`, as zod reads unknown keys; `__proto__` is never copied, so it cannot replace the prototype.
    for (const key in input) {
      if (keySet.has(key)) continue;
      if (strict) return INVALID;
      if (key === '__proto__') continue;
      if (loose) {
        out[key] = input[key];
        continue;
      }
      const value = rest!(input[key]);
      if (value === INVALID) return INVALID;
      out[key] = value;
    }
    return out;
  };
}

/**
 * An object schema as generated code, as zod compiles its own objects: one function per object with
 * the leaf checks of its properties written inline, instead of a closure call per property and value.
 */
function generateObject(
  compiler: Compiler,
  def: Def,
  shape: Readonly<Record<string, Schema>>,
): CompiledSchema {
  const refs: unknown[] = [];
  const ref = (value: unknown): string => `r${refs.push(value) - 1}`;
  const keys = Object.keys(shape);
  let code =
    'if (typeof input !== "object" || input === null || Array.isArray(input)) return INVALID;\n' +
    'const out = {};\nlet raw, v;\n';
  for (const key of keys) {
    if (key === '__proto__') continue;
    const schema = shape[key]!;
    const name = JSON.stringify(key);
    const { optin, optout } = schema._zod;
    code +=
      `raw = input[${name}];\n` +
      // JSON holds no undefined, so `in` runs only for keys the body lacks.
      `if (raw !== undefined || ${name} in input) {\n` +
      `  v = ${valueOf(compiler, schema, 'raw', ref)};\n` +
      `  if (v === INVALID) return INVALID;\n  out[${name}] = v;\n}`;
    // Absent: what compileProperty does without a value.
    if (optin === undefined) code += ' else return INVALID;\n';
    else if (optin === 'optional' && optout === 'optional') code += '\n';
    else {
      const forgiveAbsent = optout === 'optional';
      const keepAbsentUndefined = optin === 'defaulted' && optout !== 'optional';
      code +=
        ` else {\n  v = ${ref(compileNode(compiler, schema))}(undefined);\n` +
        `  if (v === INVALID) { ${forgiveAbsent ? '' : 'return INVALID;'} }\n` +
        `  else if (${keepAbsentUndefined ? 'true' : 'v !== undefined'}) out[${name}] = v;\n}\n`;
    }
  }
  const { strip, loose, strict, rest } = catchallOf(compiler, def);
  if (!strip) {
    // `for...in`, as zod reads unknown keys; `__proto__` is never copied, so it cannot replace the prototype.
    code +=
      `for (const key in input) {\n  if (${ref(new Set(keys))}.has(key)) continue;\n` +
      (strict
        ? '  return INVALID;\n'
        : '  if (key === "__proto__") continue;\n' +
          (loose
            ? '  out[key] = input[key];\n'
            : `  v = ${ref(rest)}(input[key]);\n  if (v === INVALID) return INVALID;\n  out[key] = v;\n`)) +
      '}\n';
  }
  code += 'return out;';
  const constants = refs.map((_, i) => `const r${i} = refs[${i}];\n`).join('');
  // The code holds no input text: property names are written with JSON.stringify, values are references.
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const factory = new Function(
    'INVALID',
    'refs',
    `${constants}return function compiledObject(input) {\n${code}\n};`,
  ) as (invalid: typeof INVALID, refs: unknown[]) => CompiledSchema;
  return factory(INVALID, refs);
}

/** A schema's own kind when it has no checks and no coercion; undefined otherwise. */
function plainKind(schema: Schema): string | undefined {
  const zod = schema._zod;
  if ((zod.def.checks?.length ?? 0) > 0 || zod.traits.has('$ZodCheck') || zod.def.coerce) return undefined;
  return kindOf(schema);
}

/**
 * For a schema that either gives back its input unchanged or rejects it, the test it makes on the
 * variable `x`, as code; undefined for any other schema.
 */
function testOf(schema: Schema, x: string, ref: (value: unknown) => string): string | undefined {
  const def = schema._zod.def;
  switch (plainKind(schema)) {
    case '$ZodString $ZodType':
      return `typeof ${x} === "string"`;
    case '$ZodNumber $ZodType':
      return `(typeof ${x} === "number" && Number.isFinite(${x}))`;
    case '$ZodBoolean $ZodType':
      return `typeof ${x} === "boolean"`;
    case '$ZodNull $ZodType':
      return `${x} === null`;
    case '$ZodAny $ZodType':
    case '$ZodType $ZodUnknown':
      return 'true';
    case '$ZodLiteral $ZodType':
    case '$ZodEnum $ZodType':
      return `${ref(schema._zod.values!)}.has(${x})`;
    case '$ZodOptional $ZodType': {
      if (def.innerType!._zod.optin === 'defaulted') return undefined;
      const inner = testOf(def.innerType!, x, ref);
      return inner === undefined ? undefined : `(${x} === undefined || ${inner})`;
    }
    case '$ZodNullable $ZodType': {
      const inner = testOf(def.innerType!, x, ref);
      return inner === undefined ? undefined : `(${x} === null || ${inner})`;
    }
    case '$ZodType $ZodUnion': {
      if (def.inclusive === false || def.discriminator !== undefined) return undefined;
      const tests = def.options!.map((option) => testOf(option, x, ref));
      return tests.every((test) => test !== undefined) ? `(${tests.join(' || ')})` : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Code giving what `schema` makes of the variable `x`, or `INVALID`: leaf checks written out, and a
 * call to the schema's compiled function for the rest (transforms, checks, nested objects).
 */
function valueOf(compiler: Compiler, schema: Schema, x: string, ref: (value: unknown) => string): string {
  const test = testOf(schema, x, ref);
  if (test !== undefined) return test === 'true' ? x : `(${test} ? ${x} : INVALID)`;
  const def = schema._zod.def;
  switch (plainKind(schema)) {
    case '$ZodOptional $ZodType':
      if (def.innerType!._zod.optin === 'defaulted') break;
      return `(${x} === undefined ? undefined : ${valueOf(compiler, def.innerType!, x, ref)})`;
    case '$ZodNullable $ZodType':
      return `(${x} === null ? null : ${valueOf(compiler, def.innerType!, x, ref)})`;
    case '$ZodType $ZodUnion': {
      // The usual union of the catalog: plain checks, then one option that transforms (`numberish`).
      if (def.inclusive === false || def.discriminator !== undefined) break;
      const options = def.options!;
      const tests = options.slice(0, -1).map((option) => testOf(option, x, ref));
      if (tests.length === 0 || tests.some((t) => t === undefined)) break;
      return `(${tests.join(' || ')} ? ${x} : ${valueOf(compiler, options.at(-1)!, x, ref)})`;
    }
  }
  return `${ref(compileNode(compiler, schema))}(${x})`;
}

function compileKind(compiler: Compiler, schema: Schema): CompiledSchema | undefined {
  const zod = schema._zod;
  const def = zod.def;
  switch (kindOf(schema)) {
    case '$ZodString $ZodType':
      return def.coerce ? undefined : (input) => (typeof input === 'string' ? input : INVALID);
    case '$ZodNumber $ZodType':
      return def.coerce
        ? undefined
        : (input) => (typeof input === 'number' && Number.isFinite(input) ? input : INVALID);
    case '$ZodBoolean $ZodType':
      return def.coerce ? undefined : (input) => (typeof input === 'boolean' ? input : INVALID);
    case '$ZodNull $ZodType':
      return (input) => (input === null ? input : INVALID);
    case '$ZodAny $ZodType':
    case '$ZodType $ZodUnknown':
      return (input) => input;
    case '$ZodLiteral $ZodType':
    case '$ZodEnum $ZodType': {
      const values = zod.values!;
      return (input) => (values.has(input) ? input : INVALID);
    }
    case '$ZodOptional $ZodType': {
      if (def.innerType!._zod.optin === 'defaulted') return undefined;
      const inner = compileNode(compiler, def.innerType!);
      return (input) => (input === undefined ? undefined : inner(input));
    }
    case '$ZodNullable $ZodType': {
      const inner = compileNode(compiler, def.innerType!);
      return (input) => (input === null ? null : inner(input));
    }
    case '$ZodType $ZodUnion': {
      if (def.inclusive === false || def.discriminator !== undefined) return undefined;
      const options = def.options!.map((option) => compileNode(compiler, option));
      return (input) => {
        for (const option of options) {
          const value = option(input);
          if (value !== INVALID) return value;
        }
        return INVALID;
      };
    }
    case '$ZodArray $ZodType': {
      const element = compileNode(compiler, def.element!);
      return (input) => {
        if (!Array.isArray(input)) return INVALID;
        const out = new Array<unknown>(input.length);
        for (let i = 0; i < input.length; i++) {
          const value = element(input[i]);
          if (value === INVALID) return INVALID;
          out[i] = value;
        }
        return out;
      };
    }
    case '$ZodPipe $ZodType': {
      const first = compileNode(compiler, def.in!);
      const second = compileNode(compiler, def.out!);
      return (input) => {
        const value = first(input);
        return value === INVALID ? INVALID : second(value);
      };
    }
    case '$ZodTransform $ZodType': {
      const transform = def.transform!;
      if (valueOnly.has(transform)) {
        return (input) => {
          const value = (transform as (value: unknown) => unknown)(input);
          return value instanceof Promise ? INVALID : value;
        };
      }
      return (input) => {
        const issues: unknown[] = [];
        const value = transform(input, { value: input, issues, addIssue: (issue) => issues.push(issue) });
        return value instanceof Promise || issues.length > 0 ? INVALID : value;
      };
    }
    case '$ZodObject $ZodObjectJIT $ZodType':
    case '$ZodObject $ZodType':
      return compileObject(compiler, def);
    default:
      return undefined;
  }
}

function compileNode(compiler: Compiler, node: Schema): CompiledSchema {
  const { cache } = compiler;
  let parse = cache.get(node);
  if (parse) return parse;
  // A schema that contains itself (a getter in its shape) meets this entry while it compiles, and calls
  // what replaces it.
  cache.set(node, (input) => cache.get(node)!(input));
  const checks = node._zod.def.checks ?? [];
  const conditional = checks.some((check) => check._zod.def.when !== undefined);
  const base = node._zod.traits.has('$ZodCheck') || conditional ? undefined : compileKind(compiler, node);
  parse = base === undefined ? delegate(node) : checks.length > 0 ? withChecks(base, checks) : base;
  cache.set(node, parse);
  return parse;
}

const generating: Compiler = { generate: true, cache: new WeakMap() };
const walking: Compiler = { generate: false, cache: new WeakMap() };

/** How {@link compileSchema} builds objects. */
export interface CompileOptions {
  /**
   * Generate each object's code (`new Function`) instead of walking closures. Default: wherever the
   * runtime allows it.
   */
  generate?: boolean;
}

/**
 * Compiles a zod schema into a plain function that gives, for any JSON value, what the schema's
 * `safeParse` gives as `data` (same values, same keys in the same order, transforms run once) or
 * {@link INVALID} where zod finds issues. zod stays the definition: kinds the compiler does not know
 * (string formats, defaults, discriminated unions, records, ...) run through zod itself, and callers
 * ask zod for the issues of what fails. It skips zod's per-property bookkeeping (a result object per
 * value, issue lists, promise checks), and writes each object's code with its leaf checks inline where
 * the runtime allows `new Function` (closures per property elsewhere) (docs/performance.md).
 *
 * @example
 * ```ts
 * const parse = compileSchema(z.looseObject({ n: numberish }));
 * parse({ n: '5', x: 1 }); // { n: 5, x: 1 }
 * parse({ n: 'five' }); // INVALID
 * ```
 */
export function compileSchema(schema: z.ZodType, options: CompileOptions = {}): CompiledSchema {
  const generate = options.generate ?? canGenerate;
  return compileNode(generate && canGenerate ? generating : walking, schema as unknown as Schema);
}

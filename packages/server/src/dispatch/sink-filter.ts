import { catalog, compileSelector, isLivehooksError, LivehooksError } from '@livehooks/core';
import { stringListField, strictSection } from './_config-fields.js';

/** The part of an event a filter reads: the envelope as delivered. */
export interface FilterableEvent {
  type: string;
  subject: Record<string, unknown>;
  data: unknown;
  summary?: string;
  family?: string;
  source?: string;
}

/** A sink's filter as configured: event type patterns and field conditions, all of which must hold. */
export interface SinkFilterConfig {
  /**
   * Event types and patterns in the receiver's grammar: a catalog type (`css.moderation.image`), a dot
   * prefix and `.*` (`css.moderation.*`), or `*`. Default: every type.
   */
  types?: readonly string[] | undefined;
  /** Field conditions, e.g. `data.suggestion == "Block"`, `data.score >= 90`, `subject.streamId in ["a"]`. */
  where?: readonly string[] | undefined;
}

type Literal = string | number | boolean | null;
type Operator = '==' | '!=' | '>=' | '<=' | '>' | '<' | 'in' | 'not in';

interface Condition {
  path: string[];
  operator: Operator;
  value: Literal | Literal[];
}

/** A `where` expression that cannot be parsed: the message quotes it and says what was expected. */
function syntaxError(expression: string, expected: string): LivehooksError {
  return LivehooksError.of('LH_ERR_INVALID_CONFIG', {
    problems: [`${JSON.stringify(expression)}: ${expected}`],
  });
}

const PATH = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*|\.\d+)*/;
const OPERATOR = /^(==|!=|>=|<=|>|<|not\s+in\b|in\b)/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/;
const STRING = /^"(?:[^"\\]|\\.)*"/;
const ROOTS = new Set(['type', 'family', 'source', 'summary', 'subject', 'data']);

function parseLiteral(text: string, expression: string): { value: Literal; rest: string } {
  const string = STRING.exec(text);
  if (string !== null) return { value: JSON.parse(string[0]) as string, rest: text.slice(string[0].length) };
  const number = NUMBER.exec(text);
  if (number !== null) return { value: Number(number[0]), rest: text.slice(number[0].length) };
  for (const [word, value] of [
    ['true', true],
    ['false', false],
    ['null', null],
  ] as const) {
    if (text.startsWith(word) && !/^[\w$]/.test(text.slice(word.length))) {
      return { value, rest: text.slice(word.length) };
    }
  }
  throw syntaxError(
    expression,
    `expected a "string", a number, true, false or null at ${JSON.stringify(text.slice(0, 20))}`,
  );
}

/**
 * Parses one condition `<path> <operator> <value>`: a dotted path from `type`, `family`, `source`,
 * `summary`, `subject` or `data`; `== != >= <= > <` with a JSON-like literal, or `in` / `not in` with a
 * list of literals. A hand-written parser: configuration is never evaluated as code.
 */
function parseCondition(expression: string): Condition {
  let text = expression.trim();
  const path = PATH.exec(text);
  if (path === null) {
    throw syntaxError(expression, `expected a field path such as data.score`);
  }
  const segments = path[0].split('.');
  if (!ROOTS.has(segments[0]!)) {
    throw syntaxError(
      expression,
      `the path must start with ${[...ROOTS].join(', ')}; got ${JSON.stringify(segments[0])}`,
    );
  }
  text = text.slice(path[0].length).trimStart();
  const operatorMatch = OPERATOR.exec(text);
  if (operatorMatch === null) {
    throw syntaxError(expression, `expected an operator (==, !=, >=, <=, >, <, in, not in) after ${path[0]}`);
  }
  const operator = operatorMatch[1]!.replace(/\s+/, ' ') as Operator;
  text = text.slice(operatorMatch[0].length).trimStart();
  let value: Literal | Literal[];
  if (operator === 'in' || operator === 'not in') {
    if (!text.startsWith('[')) {
      throw syntaxError(expression, `${operator} expects a list such as ["a", "b"]`);
    }
    text = text.slice(1).trimStart();
    const list: Literal[] = [];
    while (!text.startsWith(']')) {
      const item = parseLiteral(text, expression);
      list.push(item.value);
      text = item.rest.trimStart();
      if (text.startsWith(',')) text = text.slice(1).trimStart();
      else if (!text.startsWith(']')) {
        throw syntaxError(expression, `expected , or ] in the list`);
      }
    }
    value = list;
    text = text.slice(1);
  } else {
    const literal = parseLiteral(text, expression);
    value = literal.value;
    text = literal.rest;
    if (
      (operator === '>' || operator === '<' || operator === '>=' || operator === '<=') &&
      typeof value !== 'number'
    ) {
      throw syntaxError(expression, `${operator} compares with a number`);
    }
  }
  if (text.trim() !== '') {
    throw syntaxError(
      expression,
      `unexpected ${JSON.stringify(text.trim().slice(0, 20))} after the value (join conditions with &&)`,
    );
  }
  return { path: segments, operator, value };
}

function read(event: FilterableEvent, path: readonly string[]): unknown {
  let value: unknown = event;
  for (const segment of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/**
 * Tencent sends some numbers as strings (e.g. `push_duration`:
 * https://www.tencentcloud.com/document/product/267/38081); a numeric comparison accepts both.
 */
function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

function equals(actual: unknown, expected: Literal): boolean {
  if (typeof expected === 'number') return asNumber(actual) === expected;
  return actual === expected || (expected === null && actual === undefined);
}

function holds(condition: Condition, event: FilterableEvent): boolean {
  const actual = read(event, condition.path);
  const { operator, value } = condition;
  switch (operator) {
    case '==':
      return equals(actual, value as Literal);
    case '!=':
      return !equals(actual, value as Literal);
    case 'in':
      return (value as Literal[]).some((item) => equals(actual, item));
    case 'not in':
      return !(value as Literal[]).some((item) => equals(actual, item));
    default: {
      const number = asNumber(actual);
      if (number === undefined) return false;
      const bound = value as number;
      return operator === '>'
        ? number > bound
        : operator === '<'
          ? number < bound
          : operator === '>='
            ? number >= bound
            : number <= bound;
    }
  }
}

/** Every selector the receiver's grammar accepts: `*`, each dot prefix with `.*`, and each catalog type. */
function knownSelectors(): string[] {
  const prefixes = new Set<string>();
  for (const { type } of catalog) {
    const parts = type.split('.');
    for (let end = 1; end < parts.length; end++) prefixes.add(`${parts.slice(0, end).join('.')}.*`);
  }
  return ['*', ...prefixes, ...catalog.map((definition) => definition.type)];
}

interface CompiledFilter {
  types: ((type: string) => boolean)[];
  conditions: Condition[];
  /** One line per bad entry, naming it: `types[1] "css.porn" matches no event type; ...`. */
  problems: string[];
}

function compileParts(filter: SinkFilterConfig): CompiledFilter {
  const compiled: CompiledFilter = { types: [], conditions: [], problems: [] };
  const attempt = (label: string, compile: () => void): void => {
    try {
      compile();
    } catch (error) {
      if (!isLivehooksError(error)) throw error;
      compiled.problems.push(`${label} ${error.message}`);
    }
  };
  (filter.types ?? []).forEach((selector, index) =>
    attempt(`types[${index}]`, () => compiled.types.push(compileSelector(selector))),
  );
  (filter.where ?? []).forEach((expression, index) =>
    attempt(`where[${index}]`, () =>
      compiled.conditions.push(...splitConjunction(expression).map(parseCondition)),
    ),
  );
  return compiled;
}

/**
 * What is wrong with a sink filter, one line per bad entry; empty when it compiles. Type entries follow
 * the receiver's grammar (`createReceiver().on`), so a type the catalog does not know is refused instead
 * of never matching.
 *
 * @example
 * ```ts
 * sinkFilterProblems({ types: ['css.porn'] }); // ['types[0] "css.porn" matches no event type; ...']
 * ```
 */
export function sinkFilterProblems(filter: SinkFilterConfig): string[] {
  return compileParts(filter).problems;
}

/**
 * Compiles a sink filter into a predicate. Throws a `LivehooksError` `LH_ERR_INVALID_CONFIG` naming each
 * bad entry ({@link sinkFilterProblems}); `where` entries may join several conditions with `&&`.
 *
 * @example
 * ```ts
 * const matches = compileSinkFilter({ types: ['css.moderation.*'], where: ['data.score >= 90'] });
 * matches(event); // true for a moderation event scored 95
 * ```
 */
export function compileSinkFilter(filter: SinkFilterConfig = {}): (event: FilterableEvent) => boolean {
  const { types, conditions, problems } = compileParts(filter);
  if (problems.length > 0) {
    throw LivehooksError.of('LH_ERR_INVALID_CONFIG', {
      problems: problems.map((problem) => `sink filter: ${problem}`),
    });
  }
  return (event) =>
    (types.length === 0 || types.some((matches) => matches(event.type))) &&
    conditions.every((condition) => holds(condition, event));
}

/** `filter` of a sink in the config file; each bad entry is a problem of its own. */
export const sinkFilterSchema = strictSection(
  {
    types: stringListField({ examples: knownSelectors() })
      .optional()
      .describe(
        'Event types and patterns, as `createReceiver().on` takes them: a catalog type (`css.moderation.image`), a dot prefix and `.*` (`css.moderation.*`), or `*`. Default: every type.',
      ),
    where: stringListField()
      .optional()
      .describe(
        'Conditions that must all hold: `<path> <op> <value>` with a path from `type`, `family`, `source`, `summary`, `subject` or `data`; `== != >= <= > <` with a string, number, `true`, `false` or `null`; `in` / `not in` with a list; `&&` joins conditions. Parsed, never evaluated; numeric strings compare as numbers.',
      ),
  },
  '{ "types": [...], "where": [...] }',
).superRefine((filter, context) => {
  for (const problem of sinkFilterProblems(filter)) context.addIssue({ code: 'custom', message: problem });
});

/** Splits on `&&` outside string literals. */
function splitConjunction(expression: string): string[] {
  const parts: string[] = [];
  let start = 0;
  let inString = false;
  for (let i = 0; i < expression.length; i++) {
    const char = expression[i];
    if (inString) {
      if (char === '\\') i++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '&' && expression[i + 1] === '&') {
      parts.push(expression.slice(start, i));
      start = i + 2;
      i++;
    }
  }
  parts.push(expression.slice(start));
  return parts;
}

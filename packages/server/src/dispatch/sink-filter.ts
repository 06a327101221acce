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
  /** Type patterns; `*` matches any run of characters (`css.moderation.*`). Default: every type. */
  types?: readonly string[];
  /** Field conditions, e.g. `data.suggestion == "Block"`, `data.score >= 90`, `subject.streamId in ["a"]`. */
  where?: readonly string[];
}

type Literal = string | number | boolean | null;
type Operator = '==' | '!=' | '>=' | '<=' | '>' | '<' | 'in' | 'not in';

interface Condition {
  path: string[];
  operator: Operator;
  value: Literal | Literal[];
}

/** A filter expression that cannot be parsed; the message quotes the expression and says what was expected. */
export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
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
  throw new FilterSyntaxError(
    `${JSON.stringify(expression)}: expected a "string", a number, true, false or null at ${JSON.stringify(text.slice(0, 20))}`,
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
    throw new FilterSyntaxError(`${JSON.stringify(expression)}: expected a field path such as data.score`);
  }
  const segments = path[0].split('.');
  if (!ROOTS.has(segments[0]!)) {
    throw new FilterSyntaxError(
      `${JSON.stringify(expression)}: the path must start with ${[...ROOTS].join(', ')}; got ${JSON.stringify(segments[0])}`,
    );
  }
  text = text.slice(path[0].length).trimStart();
  const operatorMatch = OPERATOR.exec(text);
  if (operatorMatch === null) {
    throw new FilterSyntaxError(
      `${JSON.stringify(expression)}: expected an operator (==, !=, >=, <=, >, <, in, not in) after ${path[0]}`,
    );
  }
  const operator = operatorMatch[1]!.replace(/\s+/, ' ') as Operator;
  text = text.slice(operatorMatch[0].length).trimStart();
  let value: Literal | Literal[];
  if (operator === 'in' || operator === 'not in') {
    if (!text.startsWith('[')) {
      throw new FilterSyntaxError(
        `${JSON.stringify(expression)}: ${operator} expects a list such as ["a", "b"]`,
      );
    }
    text = text.slice(1).trimStart();
    const list: Literal[] = [];
    while (!text.startsWith(']')) {
      const item = parseLiteral(text, expression);
      list.push(item.value);
      text = item.rest.trimStart();
      if (text.startsWith(',')) text = text.slice(1).trimStart();
      else if (!text.startsWith(']')) {
        throw new FilterSyntaxError(`${JSON.stringify(expression)}: expected , or ] in the list`);
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
      throw new FilterSyntaxError(`${JSON.stringify(expression)}: ${operator} compares with a number`);
    }
  }
  if (text.trim() !== '') {
    throw new FilterSyntaxError(
      `${JSON.stringify(expression)}: unexpected ${JSON.stringify(text.trim().slice(0, 20))} after the value (join conditions with &&)`,
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

function typeMatcher(pattern: string): (type: string) => boolean {
  if (!/^[\w.*-]+$/.test(pattern)) {
    throw new FilterSyntaxError(
      `type pattern ${JSON.stringify(pattern)}: use event type characters and * (e.g. css.moderation.*)`,
    );
  }
  if (!pattern.includes('*')) return (type) => type === pattern;
  const regex = new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.-]/g, '\\$&'))
      .join('.*')}$`,
  );
  return (type) => regex.test(type);
}

/**
 * Compiles a sink filter into a predicate. Throws {@link FilterSyntaxError} naming the expression and what
 * was expected; `where` entries may also join several conditions with `&&`.
 *
 * @example
 * ```ts
 * const matches = compileSinkFilter({ types: ['css.moderation.*'], where: ['data.score >= 90'] });
 * matches(event); // true for a moderation event scored 95
 * ```
 */
export function compileSinkFilter(filter: SinkFilterConfig = {}): (event: FilterableEvent) => boolean {
  const types = (filter.types ?? []).map(typeMatcher);
  const conditions = (filter.where ?? []).flatMap((expression) =>
    splitConjunction(expression).map(parseCondition),
  );
  return (event) =>
    (types.length === 0 || types.some((matches) => matches(event.type))) &&
    conditions.every((condition) => holds(condition, event));
}

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

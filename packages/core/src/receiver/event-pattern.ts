import { LivehooksError } from '../errors/livehooks-error.js';
import { catalog, type EventOf, type EventType } from '../events/index.js';

type PrefixesOf<T extends string> = T extends `${infer Head}.${infer Rest}`
  ? Head | `${Head}.${PrefixesOf<Rest>}`
  : never;

/**
 * A pattern over event types: `'*'` for every event, or a dot prefix followed by `.*`
 * (`'css.*'`, `'trtc.moderation.*'`). Only prefixes of catalog types are valid, so a typo fails to compile.
 *
 * @example
 * ```ts
 * const pattern: EventPattern = 'trtc.moderation.*';
 * ```
 */
export type EventPattern = '*' | `${PrefixesOf<EventType>}.*`;

/**
 * What {@link Receiver.on} accepts: one event type, one {@link EventPattern}, or a list of both.
 *
 * @example
 * ```ts
 * const selector: EventSelector = ['css.screenshot', 'trtc.moderation.*'];
 * ```
 */
export type EventSelector = EventType | EventPattern | readonly (EventType | EventPattern)[];

/**
 * The event types a selector matches: `'css.*'` gives every type starting with `css.`.
 *
 * @example
 * ```ts
 * type ModerationTypes = TypesMatching<'trtc.moderation.*'>; // 'trtc.moderation.start' | ...
 * ```
 */
export type TypesMatching<S> = S extends readonly (infer Item)[]
  ? TypesMatching<Item>
  : S extends '*'
    ? EventType
    : S extends `${infer Prefix}.*`
      ? Extract<EventType, `${Prefix}.${string}`>
      : Extract<S, EventType>;

/**
 * The envelope a handler registered for a selector receives: a discriminated union on `type`,
 * so `switch (event.type)` narrows `data`.
 *
 * @example
 * ```ts
 * const handler = (event: EventMatching<'css.*'>) => console.log(event.type, event.summary);
 * ```
 */
export type EventMatching<S> =
  TypesMatching<S> extends infer T ? (T extends EventType ? EventOf<T> : never) : never;

const knownTypes: readonly string[] = catalog.map((definition) => definition.type);

function compileOne(item: string): (type: string) => boolean {
  if (item === '*') return () => true;
  if (item.endsWith('.*')) {
    const prefix = item.slice(0, -1);
    if (knownTypes.some((type) => type.startsWith(prefix))) return (type) => type.startsWith(prefix);
  } else if (knownTypes.includes(item)) {
    return (type) => type === item;
  }
  throw LivehooksError.of('LH_ERR_UNKNOWN_EVENT_TYPE', { reason: 'no-match', selector: item });
}

/**
 * Turns a selector into a predicate over event types, refusing selectors that match nothing in the
 * catalog: JavaScript callers get no compile-time check, and a typo would otherwise never fire.
 */
export function compileSelector(selector: unknown): (type: string) => boolean {
  const items: unknown[] = Array.isArray(selector) ? selector : [selector];
  if (items.length === 0) {
    throw LivehooksError.of('LH_ERR_UNKNOWN_EVENT_TYPE', { reason: 'empty' });
  }
  const predicates = items.map((item) => {
    if (typeof item !== 'string') {
      throw LivehooksError.of('LH_ERR_UNKNOWN_EVENT_TYPE', {
        reason: 'not-a-string',
        got: item === null ? 'null' : typeof item,
      });
    }
    return compileOne(item);
  });
  return predicates.length === 1 ? predicates[0]! : (type) => predicates.some((matches) => matches(type));
}

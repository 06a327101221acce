import type { Family } from '../envelope.js';
import type { AnyEventDefinition } from '../events/define-event.js';
import { numberOf, textOf } from '../events/fields.js';
import { catalog } from '../events/index.js';
import { cssUnknown, trtcUnknown } from '../events/unknown.js';

/** The definitions one number (a CSS `event_type`, a TRTC `EventGroupId`) leads to, by what tells them apart. */
interface Candidates {
  /** CSS: the definitions of the type that match any `event_name`. */
  readonly any: AnyEventDefinition[];
  /** CSS: by `event_name`; TRTC: by `EventType`. */
  readonly by: Map<string | number, AnyEventDefinition[]>;
}

// Numbers and names looked up in maps of maps, without a key string built for every callback.
const css = new Map<number, Candidates>();
const trtc = new Map<number, Candidates>();

function candidatesOf(table: Map<number, Candidates>, key: number): Candidates {
  let entry = table.get(key);
  if (!entry) {
    entry = { any: [], by: new Map() };
    table.set(key, entry);
  }
  return entry;
}

function add(
  list: Map<string | number, AnyEventDefinition[]>,
  key: string | number,
  definition: AnyEventDefinition,
) {
  const definitions = list.get(key) ?? [];
  definitions.push(definition);
  list.set(key, definitions);
}

for (const definition of catalog) {
  if (definition === cssUnknown || definition === trtcUnknown) continue;
  const { match } = definition;
  if (match.family === 'css') {
    for (const eventType of [match.eventType].flat()) {
      const entry = candidatesOf(css, eventType);
      if (match.eventName === undefined) entry.any.push(definition);
      else add(entry.by, match.eventName, definition);
    }
  } else {
    add(candidatesOf(trtc, match.group).by, match.eventType, definition);
  }
}

function pick(
  definitions: readonly AnyEventDefinition[] | undefined,
  payload: Record<string, unknown>,
): AnyEventDefinition | undefined {
  if (definitions === undefined) return undefined;
  for (const definition of definitions) if (definition.match.when?.(payload) ?? true) return definition;
  return undefined;
}

/**
 * Tencent's classification of a body: `css:<event_type>` or `trtc:<group>:<type>`, each value as
 * {@link textOf} writes it, so a body whose `event_type` is an object or 100 000 characters long still
 * gets a short source.
 */
export function sourceOf(family: Family, payload: Record<string, unknown>): string {
  return family === 'css'
    ? `css:${textOf(payload.event_type)}`
    : `trtc:${textOf(payload.EventGroupId)}:${textOf(payload.EventType)}`;
}

/**
 * Finds the catalog definition for a parsed body; the family's `*.unknown` when none fits, or when the
 * type fields are not numbers or numeric strings.
 */
export function classify(family: Family, payload: Record<string, unknown>): AnyEventDefinition {
  if (family === 'css') {
    const eventType = numberOf(payload.event_type);
    const entry = eventType === undefined ? undefined : css.get(eventType);
    if (entry === undefined) return cssUnknown;
    const eventName = payload.event_name;
    return (
      (typeof eventName === 'string' ? pick(entry.by.get(eventName), payload) : undefined) ??
      pick(entry.any, payload) ??
      cssUnknown
    );
  }
  const group = numberOf(payload.EventGroupId);
  const eventType = numberOf(payload.EventType);
  if (group === undefined || eventType === undefined) return trtcUnknown;
  return pick(trtc.get(group)?.by.get(eventType), payload) ?? trtcUnknown;
}

import type { Family } from '../envelope.js';
import type { AnyEventDefinition } from '../events/define-event.js';
import { numberOf, textOf } from '../events/fields.js';
import { catalog } from '../events/index.js';
import { cssUnknown, trtcUnknown } from '../events/unknown.js';

const candidates = new Map<string, AnyEventDefinition[]>();
for (const definition of catalog) {
  if (definition === cssUnknown || definition === trtcUnknown) continue;
  const { match } = definition;
  const keys =
    match.family === 'css'
      ? [match.eventType]
          .flat()
          .map((eventType) => `css:${eventType}${match.eventName === undefined ? '' : `:${match.eventName}`}`)
      : [`trtc:${match.group}:${match.eventType}`];
  for (const key of keys) {
    const list = candidates.get(key) ?? [];
    list.push(definition);
    candidates.set(key, list);
  }
}

function pick(key: string, payload: Record<string, unknown>): AnyEventDefinition | undefined {
  return candidates.get(key)?.find((definition) => definition.match.when?.(payload) ?? true);
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
    if (eventType === undefined) return cssUnknown;
    const eventName = payload.event_name;
    return (
      (typeof eventName === 'string' ? pick(`css:${eventType}:${eventName}`, payload) : undefined) ??
      pick(`css:${eventType}`, payload) ??
      cssUnknown
    );
  }
  const group = numberOf(payload.EventGroupId);
  const eventType = numberOf(payload.EventType);
  if (group === undefined || eventType === undefined) return trtcUnknown;
  return pick(`trtc:${group}:${eventType}`, payload) ?? trtcUnknown;
}

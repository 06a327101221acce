import type { LivehooksEvent } from '../envelope.js';
import type { AnyEventDefinition, EventDefinition } from './define-event.js';
import { cssCatalogEvents } from './css/catalog-events.js';
import { cssSeedEvents } from './css/seed-events.js';
import { trtcCatalogEvents } from './trtc/catalog-events.js';
import { trtcModerationEvents } from './trtc/moderation.js';
import { cssUnknown, trtcUnknown } from './unknown.js';

/** Every CSS event the catalog knows. */
export const cssEvents = [...cssSeedEvents, ...cssCatalogEvents] as const;

/** Every TRTC event the catalog knows. */
export const trtcEvents = [...trtcModerationEvents, ...trtcCatalogEvents] as const;

/**
 * The event catalog: every definition, the `*.unknown` fallbacks last. Types, validation,
 * JSON Schema files and `docs/events.md` all derive from it.
 */
export const catalog = [...cssEvents, ...trtcEvents, cssUnknown, trtcUnknown] as const;

type Catalog = (typeof catalog)[number];

/** Every event type name, e.g. `'css.monitor.stream_broken' | 'trtc.moderation.result' | ...`. */
export type EventType = Catalog['type'];

/** The envelope of one event type. */
export type EventOf<T extends EventType> =
  Extract<Catalog, { type: T }> extends EventDefinition<T, infer _S, infer D> ? LivehooksEvent<T, D> : never;

/** The union of every typed envelope. */
export type AnyLivehooksEvent = { [T in EventType]: EventOf<T> }[EventType];

/** The data of one event type. */
export type EventData<T extends EventType> = EventOf<T>['data'];

const byType = new Map<string, AnyEventDefinition>(
  catalog.map((definition) => [definition.type, definition]),
);

/** The definition of an event type, or undefined. */
export function getEventDefinition(type: string): AnyEventDefinition | undefined {
  return byType.get(type);
}

import type { z } from 'zod';
import type { Family, Subject } from '../envelope.js';

/** Selects CSS callbacks by `event_type` (and `event_name` for 328). */
export interface CssMatch {
  family: 'css';
  /** One `event_type`, or several when Tencent sends an event under more than one. */
  eventType: number | readonly number[];
  eventName?: string;
  /** Tells apart events that share an `event_type` (e.g. 345 samples that say 344). */
  when?(payload: Record<string, unknown>): boolean;
}

/** Selects TRTC callbacks by `EventGroupId` and `EventType`. */
export interface TrtcMatch {
  family: 'trtc';
  group: number;
  eventType: number;
  when?(payload: Record<string, unknown>): boolean;
}

/** The Tencent page an event implements. */
export interface TencentRef {
  /** e.g. `CSS 328 StreamBroken` or `TRTC 1104`. */
  event: string;
  /** The page's title. */
  title: string;
  /** The page's URL. */
  doc: string;
}

/** One callback event: how to recognise, validate, normalise, dedupe and describe it. */
export interface EventDefinition<
  TType extends string = string,
  TSchema extends z.ZodType<Record<string, unknown>> = z.ZodType<Record<string, unknown>>,
  TData = unknown,
> {
  readonly type: TType;
  readonly family: Family;
  readonly tencent: TencentRef;
  readonly match: CssMatch | TrtcMatch;
  /** Open schema of the body: unknown fields are kept. */
  readonly schema: TSchema;
  /** Normalised, typed fields. */
  data(payload: z.output<TSchema>): TData;
  subject(data: TData, payload: z.output<TSchema>): Subject;
  /** Event time in ms, or undefined when the callback carries none. */
  occurredAt(data: TData, payload: z.output<TSchema>): number | undefined;
  /** Dot paths into the body whose values identify one event across retries (DESIGN.md "Dedupe keys"). */
  readonly dedupeKey: readonly string[];
  /**
   * Dot paths of which at least one must be present for {@link dedupeKey} to tell two events apart;
   * when none is, the key is the hash of the body without `t`, `sign` and callback times instead.
   */
  readonly dedupeKeyRequires?: readonly string[];
  summary(data: TData, subject: Subject): string;
}

/** Any event definition, whatever its types. */
export type AnyEventDefinition = EventDefinition<string, z.ZodType<Record<string, unknown>>, unknown>;

/**
 * Declares one event; an identity function that keeps the literal types for inference.
 *
 * @example
 * ```ts
 * export const screenshot = defineEvent({
 *   type: 'css.screenshot',
 *   family: 'css',
 *   match: { family: 'css', eventType: 200 },
 *   ...
 * });
 * ```
 */
export function defineEvent<
  const TType extends string,
  TSchema extends z.ZodType<Record<string, unknown>>,
  TData,
>(definition: EventDefinition<TType, TSchema, TData>): EventDefinition<TType, TSchema, TData> {
  return definition;
}

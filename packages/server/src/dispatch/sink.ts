import type { EventType } from '@livehooks/core';
import type { StoredEventDetail } from '../store/stored-event.js';

/**
 * What a sink receives: the stored event's envelope with the parsed body, without the raw bytes and headers.
 * `id` is the event id, the same on every retry, so consumers dedupe on it (delivery is at least once).
 * `DeliveryEnvelope<'css.push'>` has the data of `css.push`; the default is the union of every type,
 * narrowed by `envelope.type`.
 */
export type DeliveryEnvelope<T extends EventType = EventType> = {
  [K in T]: Omit<StoredEventDetail<K>, 'raw' | 'headers' | 'duplicates' | 'classifiedAs'>;
}[T];

/** About the attempt being made. */
export interface DeliveryContext {
  deliveryId: string;
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborted when the attempt's time limit passes or the gateway shuts down. */
  signal: AbortSignal;
}

/** What a sink reports after a successful delivery; `result` is kept on the delivery row for audit. */
export interface DeliveryReceipt {
  result?: unknown;
}

/** A destination of events. `deliver` resolves when the destination has the event and throws otherwise. */
export interface Sink {
  readonly name: string;
  readonly type: string;
  /** Deliveries of this sink in flight at once. */
  readonly concurrency: number;
  deliver(envelope: DeliveryEnvelope, context: DeliveryContext): Promise<DeliveryReceipt | undefined>;
  /** Releases connections. */
  close?(): Promise<void>;
}

/** Options of {@link SinkDeliveryError}. */
export interface SinkDeliveryErrorOptions {
  cause?: unknown;
  /** The destination will never accept this event: no further attempts (the delivery is dead at once). */
  permanent?: boolean;
  /** The destination asked to stop receiving (HTTP 410): the sink is disabled. */
  disableSink?: boolean;
}

/**
 * A failed delivery attempt. The message is recorded as the delivery's `lastError`, so it never carries a
 * secret or a whole response body.
 *
 * @example
 * ```ts
 * throw new SinkDeliveryError('HTTP 410 from https://hooks.example.com/x', { disableSink: true });
 * ```
 */
export class SinkDeliveryError extends Error {
  override readonly name = 'SinkDeliveryError';
  readonly permanent: boolean;
  readonly disableSink: boolean;

  constructor(message: string, options: SinkDeliveryErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.permanent = options.permanent ?? false;
    this.disableSink = options.disableSink ?? false;
  }
}

import type { SinkFilterConfig } from '../sink-filter.js';
import type { DeliveryContext, DeliveryEnvelope, DeliveryReceipt, Sink } from '../sink.js';

/** An in-process event handler, for embedders: `createServer({ handlers: [...] })`. */
export interface EventHandler {
  /** Unique among sinks and handlers. */
  name: string;
  filter?: SinkFilterConfig;
  /** Deliveries in flight at once. Default 16. */
  concurrency?: number;
  /** Resolves when handled; a throw is retried on the dispatch schedule. Must be idempotent (at least once). */
  handle(envelope: DeliveryEnvelope, context: DeliveryContext): Promise<unknown>;
}

/**
 * Declares an in-process handler with full typing.
 *
 * @example
 * ```ts
 * const audit = defineHandler({ name: 'audit', filter: { types: ['css.moderation.*'] }, handle: async (e) => log(e.id) });
 * await createServer({ config, handlers: [audit] });
 * ```
 */
export function defineHandler(handler: EventHandler): EventHandler {
  return handler;
}

/** The sink of an in-process handler. */
export function createHandlerSink(handler: EventHandler): Sink {
  return {
    name: handler.name,
    type: 'handler',
    concurrency: handler.concurrency ?? 16,
    async deliver(
      envelope: DeliveryEnvelope,
      context: DeliveryContext,
    ): Promise<DeliveryReceipt | undefined> {
      await handler.handle(envelope, context);
      return undefined;
    },
  };
}

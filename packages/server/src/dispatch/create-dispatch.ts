import { LivehooksError, type LivehooksEvent } from '@livehooks/core';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KyselyStore } from '../store/kysely-store.js';
import type { AnySinkDefinition } from './define-sink.js';
import type { DispatchConfig, SinkConfig } from './dispatch-config.js';
import { createDispatchMetrics } from './dispatch-metrics.js';
import { DeliveryStore } from './delivery-store.js';
import { Dispatcher, type DispatchedSink } from './dispatcher.js';
import { createOutboxRouter, type DeliveryDraft } from './outbox.js';
import type { Sink } from './sink.js';
import { createHandlerSink, type EventHandler } from './sinks/handler-sink.js';
import { sinkDefinitions } from './sinks/index.js';

/** The dispatch side of a gateway. */
export interface Dispatch {
  deliveries: DeliveryStore;
  dispatcher: Dispatcher;
  /** Names of every sink and handler. */
  sinkNames: ReadonlySet<string>;
  /** The type of every sink by name (`handler` for an in-process handler), in configuration order. */
  sinkTypes: ReadonlyMap<string, string>;
  /** The group commit's outbox function; undefined when nothing is configured. */
  outbox: ((event: LivehooksEvent) => readonly DeliveryDraft[]) | undefined;
}

const definitions = new Map<string, AnySinkDefinition>(
  sinkDefinitions.map((definition) => [definition.type, definition as AnySinkDefinition]),
);

/** Builds the sink a configuration entry describes, with the factory its type's definition registers. */
export function createSink(config: SinkConfig): Sink {
  const definition = definitions.get(config.type);
  if (definition === undefined) throw new TypeError(`no sink type ${JSON.stringify(config.type)}`);
  // The definition registered for `config.type` is the one its configuration type derives from.
  return definition.create(config as unknown as Parameters<AnySinkDefinition['create']>[0]);
}

/**
 * Wires the outbox and the dispatcher of a gateway from its configured sinks and in-process handlers.
 *
 * @example
 * ```ts
 * const dispatch = createDispatch({ config, store, registry: metrics.registry, logger, handlers: [] });
 * await dispatch.dispatcher.start();
 * ```
 */
export function createDispatch(options: {
  config: { dispatch: DispatchConfig; sinks: readonly SinkConfig[] };
  store: KyselyStore;
  registry: Registry;
  logger: Logger;
  handlers?: readonly EventHandler[];
}): Dispatch {
  const { config, store, registry, logger } = options;
  const handlers = options.handlers ?? [];
  const names = new Set(config.sinks.map((sink) => sink.name));
  for (const handler of handlers) {
    if (names.has(handler.name))
      throw LivehooksError.of('LH_ERR_INVALID_CONFIG', {
        problems: [`handler name ${JSON.stringify(handler.name)} is used by another sink`],
      });
    names.add(handler.name);
  }
  const deliveries = new DeliveryStore(store);
  const sinks: DispatchedSink[] = [
    ...config.sinks.map((sink) => ({ sink: createSink(sink), retry: sink.retry, timeoutMs: sink.timeoutMs })),
    ...handlers.map((handler) => ({
      sink: createHandlerSink(handler),
      retry: config.dispatch.retry,
      timeoutMs: 30_000,
    })),
  ];
  const metrics = createDispatchMetrics(registry, () => deliveries.backlog(), [...names]);
  const dispatcher = new Dispatcher({
    deliveries,
    sinks,
    metrics,
    logger,
    pollMs: config.dispatch.pollMs,
    leaseMs: config.dispatch.leaseMs,
  });
  const outbox =
    names.size === 0
      ? undefined
      : createOutboxRouter({
          sinks: [...config.sinks, ...handlers],
          releaseStale: config.dispatch.releaseStale,
          isDisabled: (sink) => dispatcher.isDisabled(sink),
        });
  const sinkTypes = new Map<string, string>([
    ...config.sinks.map((sink) => [sink.name, sink.type] as const),
    ...handlers.map((handler) => [handler.name, 'handler'] as const),
  ]);
  return { deliveries, dispatcher, sinkNames: names, sinkTypes, outbox };
}

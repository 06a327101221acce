import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/** How an ingest request ended. */
export type IngestOutcome = 'stored' | 'duplicate' | 'rejected' | 'unavailable';

/** The gateway's Prometheus metrics, on a registry of their own (several servers may share a process). */
export interface GatewayMetrics {
  registry: Registry;
  requests: Counter<'outcome'>;
  eventsStored: Counter<'type'>;
  duplicates: Counter<'type'>;
  rejections: Counter<'reason'>;
  commitSeconds: Histogram;
  commitBatchSize: Histogram;
  commitFailures: Counter;
  /** Requests refused before any route saw them (malformed, headers too large, too slow), by error code. */
  clientErrors: Counter<'code'>;
}

/**
 * Creates the metrics served at `/metrics`: ingest requests by outcome, stored events by type, duplicates,
 * rejections by reason, group-commit latency and batch size, requests refused by the HTTP layer, plus the
 * Node process defaults.
 *
 * @example
 * ```ts
 * const metrics = createGatewayMetrics();
 * metrics.requests.inc({ outcome: 'stored' });
 * const text = await metrics.registry.metrics();
 * ```
 */
export function createGatewayMetrics(options: { defaultMetrics?: boolean } = {}): GatewayMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    requests: new Counter({
      name: 'livehooks_ingest_requests_total',
      help: 'Callback requests by outcome: stored, duplicate, rejected (4xx) or unavailable (503).',
      labelNames: ['outcome'],
      registers,
    }),
    eventsStored: new Counter({
      name: 'livehooks_events_stored_total',
      help: 'Events stored, by event type.',
      labelNames: ['type'],
      registers,
    }),
    duplicates: new Counter({
      name: 'livehooks_events_duplicate_total',
      help: 'Genuine callbacks answered 200 but not stored again because their dedupe key exists.',
      labelNames: ['type'],
      registers,
    }),
    rejections: new Counter({
      name: 'livehooks_rejections_total',
      help: 'Refused callback requests, by error code.',
      labelNames: ['reason'],
      registers,
    }),
    commitSeconds: new Histogram({
      name: 'livehooks_commit_duration_seconds',
      help: 'Duration of one group-commit transaction.',
      buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    commitBatchSize: new Histogram({
      name: 'livehooks_commit_batch_size',
      help: 'Items (events and rejection records) per group-commit transaction.',
      buckets: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000],
      registers,
    }),
    commitFailures: new Counter({
      name: 'livehooks_commit_failures_total',
      help: 'Group-commit transactions that failed (their callbacks were answered 503).',
      registers,
    }),
    clientErrors: new Counter({
      name: 'livehooks_client_errors_total',
      help: 'Requests refused by the HTTP layer before routing (malformed, headers too large, too slow), by code.',
      labelNames: ['code'],
      registers,
    }),
  };
}

import { Counter, Gauge, type Registry } from 'prom-client';

/** The dispatcher's Prometheus metrics, labelled by sink. */
export interface DispatchMetrics {
  attempts: Counter<'sink'>;
  failures: Counter<'sink'>;
  dead: Counter<'sink'>;
  queueDepth: Gauge<'sink'>;
  oldestPendingSeconds: Gauge<'sink'>;
}

/**
 * Registers the dispatch metrics on the gateway's registry: attempts, failures and dead deliveries per sink,
 * and, refreshed at each scrape, the queue depth and the age of the oldest pending delivery per sink.
 *
 * @example
 * ```ts
 * const metrics = createDispatchMetrics(gateway.registry, () => deliveries.backlog());
 * metrics.attempts.inc({ sink: 'ops' });
 * ```
 */
export function createDispatchMetrics(
  registry: Registry,
  backlog: () => Promise<{ sink: string; pending: number; oldestCreatedAt: number | null }[]>,
  sinks: readonly string[],
): DispatchMetrics {
  const registers = [registry];
  let last: Promise<{ sink: string; pending: number; oldestCreatedAt: number | null }[]> | undefined;
  // Both gauges read one query per scrape.
  const read = (): Promise<{ sink: string; pending: number; oldestCreatedAt: number | null }[]> => {
    last ??= backlog()
      .catch(() => [])
      .finally(() => setTimeout(() => (last = undefined), 0));
    return last;
  };
  return {
    attempts: new Counter({
      name: 'livehooks_delivery_attempts_total',
      help: 'Delivery attempts, by sink.',
      labelNames: ['sink'],
      registers,
    }),
    failures: new Counter({
      name: 'livehooks_delivery_failures_total',
      help: 'Failed delivery attempts, by sink.',
      labelNames: ['sink'],
      registers,
    }),
    dead: new Counter({
      name: 'livehooks_deliveries_dead_total',
      help: 'Deliveries given up after their last attempt (or refused for good), by sink.',
      labelNames: ['sink'],
      registers,
    }),
    queueDepth: new Gauge({
      name: 'livehooks_delivery_queue_depth',
      help: 'Pending deliveries, by sink.',
      labelNames: ['sink'],
      registers,
      async collect() {
        const rows = await read();
        for (const sink of sinks) this.set({ sink }, rows.find((row) => row.sink === sink)?.pending ?? 0);
      },
    }),
    oldestPendingSeconds: new Gauge({
      name: 'livehooks_delivery_oldest_pending_seconds',
      help: 'Age of the oldest pending delivery, by sink (0 when none).',
      labelNames: ['sink'],
      registers,
      async collect() {
        const rows = await read();
        const now = Date.now();
        for (const sink of sinks) {
          const oldest = rows.find((row) => row.sink === sink)?.oldestCreatedAt;
          this.set({ sink }, oldest === null || oldest === undefined ? 0 : (now - oldest) / 1000);
        }
      },
    }),
  };
}

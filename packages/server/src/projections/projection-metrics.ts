import { Counter, Gauge, type Registry } from 'prom-client';

/** The projector's Prometheus metrics. */
export interface ProjectionMetrics {
  setAside: Counter;
}

/**
 * Registers the projector's metrics on the gateway's registry: events set aside since start, and, read at
 * each scrape, how many stay set aside (an alert on `livehooks_projection_failures > 0` catches them).
 *
 * @example
 * ```ts
 * const metrics = createProjectionMetrics(gateway.registry, () => countProjectionFailures(store));
 * metrics.setAside.inc();
 * ```
 */
export function createProjectionMetrics(
  registry: Registry,
  failures: () => Promise<number>,
): ProjectionMetrics {
  const registers = [registry];
  new Gauge({
    name: 'livehooks_projection_failures',
    help: 'Events set aside because their projection fails even alone (GET /api/projections/failures).',
    registers,
    async collect() {
      // A scrape while the database is down keeps the last value rather than failing /metrics.
      const count = await failures().catch(() => undefined);
      if (count !== undefined) this.set(count);
    },
  });
  return {
    setAside: new Counter({
      name: 'livehooks_projection_set_aside_total',
      help: 'Events the projector set aside (each time its projection failed alone, retries included).',
      registers,
    }),
  };
}

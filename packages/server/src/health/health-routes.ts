import { LivehooksError } from '@livehooks/core';
import type { FastifyPluginCallback } from 'fastify';
import type { KyselyStore } from '../store/kysely-store.js';
import type { GatewayMetrics } from '../http/gateway-metrics.js';

/** How long `/readyz` waits for the database. */
const READY_TIMEOUT_MS = 2000;

/** A streak of failed group commits, as `/readyz` reports it. */
export interface CommitFailureStreak {
  /** Failed commits since the last one that succeeded. */
  failures: number;
  /** When the first of them failed (ms since the epoch). */
  since: number;
}

/** What the health routes need. */
export interface HealthRoutesOptions {
  store: KyselyStore;
  metrics: GatewayMetrics;
  isClosing: () => boolean;
  /** The current streak of failed commits, if the last commit failed (a full disk answers reads). */
  commitFailures: () => CommitFailureStreak | undefined;
}

/**
 * The health feature: `GET /healthz` (the process answers), `GET /readyz` (503 while the store does not
 * answer a query or its commits fail) and `GET /metrics` (Prometheus text format).
 *
 * @example
 * ```ts
 * await app.register(healthRoutes, { store, metrics, isClosing: () => false, commitFailures: () => undefined });
 * ```
 */
export const healthRoutes: FastifyPluginCallback<HealthRoutesOptions> = (app, deps, done) => {
  app.get('/healthz', (_request, reply) => reply.send({ status: 'ok' }));

  app.get('/readyz', async (_request, reply) => {
    if (deps.isClosing()) {
      return reply.code(503).send({ code: 'LH_ERR_STORE_UNAVAILABLE', error: 'the server is shutting down' });
    }
    const failing = deps.commitFailures();
    if (failing !== undefined) {
      throw LivehooksError.of('LH_ERR_STORE_UNAVAILABLE', {
        dialect: deps.store.dialect,
        action: 'commit',
        reason: `${failing.failures} failed commits since ${new Date(failing.since).toISOString()} and none succeeded`,
      });
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        deps.store.ping(),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
        }),
      ]);
    } catch (cause) {
      throw LivehooksError.of(
        'LH_ERR_STORE_UNAVAILABLE',
        { dialect: deps.store.dialect, action: 'answer' },
        { cause },
      );
    } finally {
      clearTimeout(timer);
    }
    return { status: 'ready', store: deps.store.dialect };
  });

  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.header('content-type', deps.metrics.registry.contentType).send(text);
  });
  done();
};

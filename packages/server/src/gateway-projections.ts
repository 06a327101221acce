import { overviewProjection } from './events/overview-projection.js';
import { moderationItemOf, moderationProjection } from './moderation/moderation-projection.js';
import type { Projection } from './projections/projection.js';
import { HostedProjector } from './projections/hosted-projector.js';
import {
  drainProjections,
  forgetProjected,
  Projector,
  replayProjections,
  type DrainOptions,
  type ProjectorHandle,
  type ProjectorOptions,
} from './projections/projector.js';
import type { KyselyStore, PruneOptions, PruneResult } from './store/kysely-store.js';
import { createStreamProjection } from './streams/stream-projection.js';
import { taskProjection } from './tasks/task-projection.js';
import { transcriptProjection } from './transcripts/transcript-projection.js';

/**
 * The gateway's projections, in the order each batch of events is applied to them (each writes only its own
 * tables): the moderation queue, transcripts, streams (which count the moderation hits of each stream) and
 * TRTC moderation tasks, and what the overview counts and lists.
 */
export const gatewayProjections: readonly Projection[] = [
  moderationProjection,
  transcriptProjection,
  createStreamProjection({ isModerationHit: (event) => moderationItemOf(event) !== undefined }),
  taskProjection,
  overviewProjection,
];

/**
 * Applies every queued event to the gateway's projections; returns how many were taken from the queue. An
 * event whose projection fails because of its own data is set aside (`GET /api/projections/failures`).
 *
 * @example
 * ```ts
 * await drainProjectionQueue(store, { onSetAside: (failure) => console.warn(failure.error) });
 * ```
 */
export function drainProjectionQueue(store: KyselyStore, options: DrainOptions = {}): Promise<number> {
  return drainProjections(store, gatewayProjections, options);
}

/**
 * Empties the gateway's projections and replays every stored event into them, oldest id first: the tables
 * equal those built live. Moderation decisions are kept and re-attached to their items.
 *
 * @example
 * ```ts
 * const store = await openStore(config.databaseUrl);
 * await store.migrate();
 * const { events } = await rebuildProjections(store);
 * ```
 */
export function rebuildProjections(
  store: KyselyStore,
  options: Omit<DrainOptions, 'pageSize'> = {},
): Promise<{ events: number }> {
  return replayProjections(store, gatewayProjections, options);
}

/**
 * Applies retention to the gateway's store ({@link KyselyStore.prune}): the events it deletes are taken out of
 * what the projections count, in the same transaction.
 *
 * @example
 * ```ts
 * const deleted = await pruneGatewayStore(store, { eventRetentionDays: 90 });
 * ```
 */
export function pruneGatewayStore(
  store: KyselyStore,
  options: Omit<PruneOptions, 'beforeEventsDeleted'>,
): Promise<PruneResult> {
  return store.prune({
    ...options,
    beforeEventsDeleted: (trx, beforeId) => forgetProjected(store, gatewayProjections, trx, beforeId),
  });
}

/**
 * Starts the gateway's projector and schedules a first run for what is still queued. Where the store can host
 * it (SQLite), it runs on the connection's worker thread ({@link HostedProjector}): pages are read and written
 * there without a round trip to this event loop per statement, and its work leaves this thread to the
 * requests. Otherwise (PostgreSQL) it runs here.
 *
 * @example
 * ```ts
 * const projector = await startGatewayProjector(store, { registry, onError: (err) => log.error({ err }) });
 * ```
 */
export async function startGatewayProjector(
  store: KyselyStore,
  options: Omit<ProjectorOptions, 'runPage'> = {},
): Promise<ProjectorHandle> {
  if (store.profile.hostInWriter !== undefined) {
    // From the sources (tests) the host module is TypeScript, loaded there through tsx.
    const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
    return HostedProjector.start(
      store,
      new URL(`./gateway-projector-host.${extension}`, import.meta.url),
      options,
    );
  }
  const projector = new Projector(store, gatewayProjections, options);
  projector.schedule();
  return projector;
}

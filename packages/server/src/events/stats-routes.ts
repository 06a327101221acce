import { LivehooksError } from '@livehooks/core';
import type { FastifyPluginCallback } from 'fastify';
import { sql } from 'kysely';
import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import { apiErrors, epochMs, integerParam, timeParam } from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import { idFloor, type KyselyStore } from '../store/kysely-store.js';
import { EVENT_LIST_COLUMNS, fromEventRow, type StoredEvent } from '../store/stored-event.js';
import { countDuplicates, countEventsByType, recentAlertIds } from './overview-projection.js';
import { storedEventSchema } from './event-schemas.js';

/** What the stats route needs. */
export interface StatsRoutesOptions {
  store: KyselyStore;
  /** How many events the projector set aside. */
  projectionFailures: () => Promise<number>;
  /** The ids of the events behind the latest moderation hits by event time, at most `limit`. */
  moderationHits: (limit: number) => Promise<string[]>;
  /** How many streams are live, broken and dropping frames now. */
  streamCounts: () => Promise<{ live: number; broken: number; lowFramerate: number }>;
  /** How many moderation items are left to review. */
  pendingReview: () => Promise<number>;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
}

const RECENT_ALERTS = 20;
const MAX_BUCKETS = 1500;
const DEFAULT_BUCKET_MS = 60_000;
const DEFAULT_WINDOW_MS = 60 * 60_000;

const counts = z.record(z.string(), z.number().int().min(0)).meta({ description: 'by event type' });

/** Events per type per time bucket, totals and recent alerts. */
export const statsSchema = z
  .object({
    buckets: z
      .array(z.object({ t: epochMs.meta({ description: 'the start of the bucket' }), counts }))
      .meta({ description: 'the buckets that hold events, oldest first' }),
    totals: z.object({
      events: z.number().int().min(0),
      duplicates: z
        .number()
        .int()
        .min(0)
        .meta({ description: 'sender retries and duplicates received, each stored once' }),
      rejections: z.number().int().min(0),
      projectionFailures: z.number().int().min(0),
      byType: counts,
      streams: z
        .object({
          live: z.number().int().min(0),
          broken: z.number().int().min(0),
          lowFramerate: z.number().int().min(0),
        })
        .meta({ description: 'streams live now, and streams whose latest health signal is a problem' }),
      pendingReview: z.number().int().min(0).meta({ description: 'moderation items left to review' }),
    }),
    recentAlerts: z.array(storedEventSchema).meta({
      description: 'the latest stream health alerts and moderation hits by event time, latest first',
    }),
  })
  .register(apiSchemas, { id: 'Stats' });

/**
 * The overview of the API (registered inside the authenticated scope): `GET /api/stats`, the events received
 * per type per time bucket since `since`, the totals of events, duplicates, refusals and events set aside by
 * the projector, the streams live and in trouble, the items left to review, and the latest alerts by event
 * time.
 *
 * @example
 * ```ts
 * await api.register(statsRoutes, { store, projectionFailures, moderationHits, streamCounts, pendingReview });
 * ```
 */
export const statsRoutes: FastifyPluginCallback<StatsRoutesOptions> = (scope, options, done) => {
  const { store } = options;
  const now = options.now ?? Date.now;

  // The latest by event time, whatever order they arrived in (Tencent retries late; clocks differ).
  const recentAlerts = async (): Promise<StoredEvent[]> => {
    const ids = new Set([
      ...(await recentAlertIds(store, RECENT_ALERTS)),
      ...(await options.moderationHits(RECENT_ALERTS)),
    ]);
    if (ids.size === 0) return [];
    const rows = await store.db
      .selectFrom('events')
      .select(EVENT_LIST_COLUMNS)
      .where('id', 'in', [...ids])
      .execute();
    return rows
      .map(fromEventRow)
      .sort((a, b) => b.occurredAt - a.occurredAt || (a.id < b.id ? 1 : -1))
      .slice(0, RECENT_ALERTS);
  };

  scope.withTypeProvider<ZodTypeProvider>().get(
    '/api/stats',
    {
      schema: {
        summary: 'Events per type per time bucket, totals and recent alerts',
        querystring: z.object({
          bucket: integerParam(
            'bucket',
            1000,
            86_400_000,
            `bucket width in ms, default ${DEFAULT_BUCKET_MS}`,
          ).transform((value) => value ?? DEFAULT_BUCKET_MS),
          since: timeParam('since', 'start of the window, default one hour ago'),
        }),
        response: { 200: statsSchema, ...apiErrors },
      },
    },
    async (request) => {
      const { bucket } = request.query;
      const until = now();
      const since = request.query.since ?? until - DEFAULT_WINDOW_MS;
      if ((until - since) / bucket > MAX_BUCKETS) {
        throw LivehooksError.of('LH_ERR_INVALID_QUERY', {
          issue: `since and bucket make more than ${MAX_BUCKETS} buckets; widen bucket or move since`,
        });
      }
      const start = sql<number>`cast(received_at / ${sql.lit(bucket)} as bigint) * ${sql.lit(bucket)}`;
      // Grouped by bucket first: grouped by type first, SQLite would walk the whole (type, id) index instead
      // of the ids since `since`.
      const rows = await store.db
        .selectFrom('events')
        .select(['type', start.as('t'), (eb) => eb.fn.countAll<number>().as('n')])
        .where('id', '>=', idFloor(since))
        .groupBy([start, 'type'])
        .execute();
      const buckets = new Map<number, Record<string, number>>();
      for (const row of rows) {
        const t = Number(row.t);
        const counts = buckets.get(t) ?? {};
        counts[row.type] = Number(row.n);
        buckets.set(t, counts);
      }
      const byType = await countEventsByType(store);
      const events = Object.values(byType).reduce((sum, n) => sum + n, 0);
      const rejections = await store.db
        .selectFrom('rejections')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return {
        buckets: [...buckets].sort(([a], [b]) => a - b).map(([t, counts]) => ({ t, counts })),
        totals: {
          events,
          duplicates: await countDuplicates(store),
          rejections: Number(rejections.n),
          projectionFailures: await options.projectionFailures(),
          byType,
          streams: await options.streamCounts(),
          pendingReview: await options.pendingReview(),
        },
        recentAlerts: await recentAlerts(),
      };
    },
  );
  done();
};

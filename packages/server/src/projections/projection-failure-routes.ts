import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { decodePosition, encodePosition } from '../api/cursor.js';
import {
  apiErrors,
  cursorParam,
  errorAnswer,
  limitParam,
  notFound,
  pageFrom,
  pageOf,
  UUID,
} from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import type { KyselyStore } from '../store/kysely-store.js';
import {
  projectionFailureSchema,
  projectionRetrySchema,
  type RetryOutcome,
} from './projection-failure-schemas.js';
import { projectionDb, toProjectionFailure } from './projector.js';

/** What the projection failure routes need. */
export interface ProjectionFailureRoutesOptions {
  store: KyselyStore;
  /** Applies a set-aside event again ({@link Projector.retry}); undefined when none has this id. */
  retry: (eventId: string) => Promise<RetryOutcome | undefined>;
}

type FailurePosition = readonly [number, string];

/**
 * The projector's part of the API (registered inside the authenticated scope): `GET /api/projections/failures`
 * lists the events set aside, most recent failure first, and `POST /api/projections/failures/{id}/retry`
 * applies one again once its cause is fixed.
 *
 * @example
 * ```ts
 * await api.register(projectionFailureRoutes, { store, retry: (id) => projector.retry(id) });
 * ```
 */
export const projectionFailureRoutes: FastifyPluginCallback<ProjectionFailureRoutesOptions> = (
  scope,
  options,
  done,
) => {
  const { store, retry } = options;
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/projections/failures',
    {
      schema: {
        summary: 'Events set aside because their projection fails even alone, most recent failure first',
        querystring: z.object({
          limit: limitParam,
          cursor: cursorParam(
            (cursor) => decodePosition(cursor, ['number', 'id']) as FailurePosition | undefined,
          ),
        }),
        response: { 200: pageOf(projectionFailureSchema), ...apiErrors },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      let select = projectionDb(store)
        .selectFrom('projection_failures')
        .selectAll()
        .orderBy('failed_at', 'desc')
        .orderBy('event_id', 'desc')
        .limit(limit + 1);
      if (cursor !== undefined) {
        select = select.where((eb) =>
          eb(eb.refTuple('failed_at', 'event_id'), '<', eb.tuple(cursor[0], cursor[1])),
        );
      }
      return pageFrom((await select.execute()).map(toProjectionFailure), limit, (last) =>
        encodePosition([last.failedAt, last.eventId]),
      );
    },
  );

  app.post(
    '/api/projections/failures/:id/retry',
    {
      schema: {
        summary: 'Applies a set-aside event again; answers whether it was projected, or its new failure',
        params: z.object({ id: z.string().meta({ description: 'the event id' }) }),
        response: { 200: projectionRetrySchema, 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const outcome = UUID.test(id) ? await retry(id) : undefined;
      if (outcome === undefined) throw notFound('projection failure', id);
      return outcome;
    },
  );
  done();
};

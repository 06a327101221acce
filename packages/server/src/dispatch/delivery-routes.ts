import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { encodeCursor, idCursorParam } from '../api/cursor.js';
import {
  apiErrors,
  errorAnswer,
  idPath,
  limitParam,
  notFound,
  oneOfParam,
  pageOf,
  param,
  timeParam,
  UUID,
} from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import { deliveryAttemptSchema, deliverySchema, sinkSummarySchema } from './delivery-schemas.js';
import type { DeliveryStore } from './delivery-store.js';
import { DELIVERY_STATUSES } from './outbox.js';
import type { Dispatcher } from './dispatcher.js';

/** What the delivery routes need. */
export interface DeliveryRoutesOptions {
  deliveries: DeliveryStore;
  dispatcher: Dispatcher;
  /** The configured sinks: a `sink` parameter must name one. */
  sinkNames: ReadonlySet<string>;
  /** The type of each configured sink by name, in configuration order. */
  sinkTypes: ReadonlyMap<string, string>;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
}

const eventParams = z.object({ id: idPath('the event id') });

/** The window a sink's success rate is counted over unless `since` says otherwise. */
const SUCCESS_WINDOW_MS = 60 * 60 * 1000;

/**
 * The deliveries feature of the API (registered inside the authenticated scope): `GET /api/sinks` (each
 * configured sink with its backlog and success rate), `GET /api/deliveries` (by status and sink, newest
 * first, cursor), `GET /api/deliveries/{id}/attempts`, `POST /api/deliveries/{id}/retry`,
 * `POST /api/deliveries/retry-dead?since=&until=&sink=`, `GET /api/events/{id}/deliveries`,
 * `POST /api/events/{id}/redeliver` with `{ "sink": "..." }` and `POST /api/events/{id}/release` (a stale
 * event's held deliveries).
 *
 * @example
 * ```ts
 * await api.register(deliveryRoutes, { deliveries, dispatcher, sinkNames, sinkTypes });
 * ```
 */
export const deliveryRoutes: FastifyPluginCallback<DeliveryRoutesOptions> = (scope, options, done) => {
  const { deliveries, dispatcher, sinkNames, sinkTypes } = options;
  const now = options.now ?? Date.now;
  const app = scope.withTypeProvider<ZodTypeProvider>();

  const configured = `configured: ${[...sinkNames].join(', ') || 'none'}`;
  const sinkParam = param('sink', { description: 'the name of a configured sink' }, (sink) =>
    sinkNames.has(sink)
      ? sink
      : { invalid: `sink ${JSON.stringify(sink.slice(0, 64))} is not configured (${configured})` },
  );
  const redeliverBody = z.object(
    {
      sink: z
        .string({ error: `sink must name a configured sink (${configured})` })
        .refine((sink) => sinkNames.has(sink), { error: `sink must name a configured sink (${configured})` })
        .meta({ description: 'the name of a configured sink' }),
    },
    { error: 'the body must be JSON: { "sink": "<name>" }' },
  );

  app.get(
    '/api/deliveries',
    {
      schema: {
        summary: 'Deliveries of events to sinks, newest first',
        querystring: z.object({
          status: oneOfParam('status', DELIVERY_STATUSES, 'the status of the deliveries'),
          sink: sinkParam,
          cursor: idCursorParam,
          limit: limitParam,
        }),
        response: { 200: pageOf(deliverySchema), ...apiErrors },
      },
    },
    async (request) => {
      const { status, sink, cursor, limit } = request.query;
      const { items, hasMore } = await deliveries.list({
        limit,
        ...(status === undefined ? {} : { status }),
        ...(sink === undefined ? {} : { sink }),
        ...(cursor === undefined ? {} : { before: cursor }),
      });
      const last = items.at(-1);
      return { items, nextCursor: hasMore && last !== undefined ? encodeCursor(last.id) : null };
    },
  );

  app.get(
    '/api/sinks',
    {
      schema: {
        summary: 'The configured sinks with their backlog, success rate and state',
        description:
          'Counts of deliveries by status, when the oldest pending one was created, and the attempts of the ' +
          'window from `since` (default: the last hour) with how many succeeded.',
        querystring: z.object({ since: timeParam('since', 'count attempts started at or after') }),
        response: { 200: z.object({ items: z.array(sinkSummarySchema) }), ...apiErrors },
      },
    },
    async (request) => {
      const since = request.query.since ?? now() - SUCCESS_WINDOW_MS;
      const figures = await deliveries.sinkFigures(since);
      const disabled = await deliveries.disabledSinks();
      const items = [...sinkTypes].map(([name, type]) => {
        const entry = figures.get(name);
        const counts = entry?.counts ?? {};
        const attempts = entry?.attempts ?? 0;
        const succeeded = entry?.succeeded ?? 0;
        const off = disabled.get(name);
        return {
          name,
          type,
          pending: counts.pending ?? 0,
          held: counts.held ?? 0,
          delivered: counts.delivered ?? 0,
          dead: counts.dead ?? 0,
          disabledDeliveries: counts.disabled ?? 0,
          oldestPendingAt: entry?.oldestPendingAt ?? null,
          window: { since, attempts, succeeded, successRate: attempts === 0 ? null : succeeded / attempts },
          disabled: off === undefined ? null : { at: off.disabledAt, reason: off.reason },
        };
      });
      return { items };
    },
  );

  app.get(
    '/api/deliveries/:id/attempts',
    {
      schema: {
        summary: 'The attempts of one delivery, oldest first',
        params: z.object({ id: idPath('the delivery id') }),
        response: {
          200: z.object({ items: z.array(deliveryAttemptSchema) }),
          404: errorAnswer,
          ...apiErrors,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!UUID.test(id) || (await deliveries.get(id)) === undefined) throw notFound('delivery', id);
      return { items: await deliveries.attemptsOf(id) };
    },
  );

  app.post(
    '/api/deliveries/retry-dead',
    {
      schema: {
        summary: 'Makes every dead delivery that died in [since, until) due now',
        querystring: z.object({
          since: timeParam('since', 'died at or after'),
          until: timeParam('until', 'died before'),
          sink: sinkParam,
        }),
        response: {
          200: z.object({ retried: z.number().int().min(0).meta({ description: 'deliveries made due' }) }),
          ...apiErrors,
        },
      },
    },
    async (request) => {
      const { since, until, sink } = request.query;
      const retried = await deliveries.retryDead({
        now: now(),
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        ...(sink === undefined ? {} : { sink }),
      });
      dispatcher.wake();
      return { retried };
    },
  );

  app.post(
    '/api/deliveries/:id/retry',
    {
      schema: {
        summary: 'Makes one delivery due now with a fresh retry schedule',
        description:
          'Retrying a disabled delivery switches its sink back on: every disabled delivery of that sink is ' +
          'pending again.',
        params: z.object({ id: idPath('the delivery id') }),
        response: { 200: deliverySchema, 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const delivery = UUID.test(id) ? await deliveries.retry(id, now()) : undefined;
      if (delivery === undefined) throw notFound('delivery', id);
      await dispatcher.refreshDisabled();
      dispatcher.wake(delivery.sink);
      return delivery;
    },
  );

  app.get(
    '/api/events/:id/deliveries',
    {
      schema: {
        summary: 'The deliveries of one event, newest first',
        params: eventParams,
        response: {
          200: z.object({ items: z.array(deliverySchema) }),
          404: errorAnswer,
          ...apiErrors,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      if (!UUID.test(id)) throw notFound('event', id);
      return { items: await deliveries.ofEvent(id) };
    },
  );

  app.post(
    '/api/events/:id/redeliver',
    {
      schema: {
        summary: 'Delivers an event to one sink again',
        description: 'The delivery of the event to that sink is made pending again, or created.',
        params: eventParams,
        body: redeliverBody,
        response: { 200: deliverySchema, 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { sink } = request.body;
      const delivery = UUID.test(id) ? await deliveries.redeliver(id, sink, now()) : undefined;
      if (delivery === undefined) throw notFound('event', id);
      dispatcher.wake(sink);
      return delivery;
    },
  );

  app.post(
    '/api/events/:id/release',
    {
      schema: {
        summary: 'Releases the deliveries held back for a stale event',
        params: eventParams,
        response: {
          200: z.object({ released: z.number().int().min(0).meta({ description: 'deliveries released' }) }),
          404: errorAnswer,
          ...apiErrors,
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      const released = UUID.test(id) ? await deliveries.release(id, now()) : undefined;
      if (released === undefined) throw notFound('event', id);
      dispatcher.wake();
      return { released };
    },
  );
  done();
};

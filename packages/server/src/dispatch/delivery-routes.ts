import { LivehooksError } from '@livehooks/core';
import type { FastifyInstance } from 'fastify';
import { decodeCursor, encodeCursor, UUID } from '../api/cursor.js';
import { isDeliveryStatus, type DeliveryStore } from './delivery-store.js';
import type { Dispatcher } from './dispatcher.js';

/** What the delivery routes need. */
export interface DeliveryRouteDependencies {
  deliveries: DeliveryStore;
  dispatcher: Dispatcher;
  sinkNames: ReadonlySet<string>;
  now?: () => number;
}

type Query = Record<string, string | string[] | undefined>;

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

function invalid(message: string): LivehooksError {
  return new LivehooksError('LH_ERR_INVALID_QUERY', message);
}

function notFound(message: string): LivehooksError {
  return new LivehooksError('LH_ERR_NOT_FOUND', message);
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw invalid(`${name} is given more than once`);
  return value === undefined || value === '' ? undefined : value;
}

function time(query: Query, name: string): number | undefined {
  const value = single(query, name);
  if (value === undefined) return undefined;
  const ms = /^\d{1,16}$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw invalid(
      `${name} must be milliseconds since the epoch or an ISO 8601 date, got ${JSON.stringify(value.slice(0, 40))}`,
    );
  }
  return ms;
}

function id(params: unknown, what: string): string {
  const value = (params as { id?: string }).id ?? '';
  if (!UUID.test(value)) throw notFound(`no ${what} ${JSON.stringify(value.slice(0, 40))}`);
  return value;
}

/**
 * The delivery API (bearer token, like the rest of `/api`): `GET /api/deliveries` (by status and sink, newest
 * first, cursor), `POST /api/deliveries/{id}/retry`, `POST /api/deliveries/retry-dead?since=&until=`,
 * `POST /api/events/{id}/redeliver` with `{ "sink": "..." }`, `POST /api/events/{id}/release` (a stale
 * event's held deliveries) and `GET /api/events/{id}/deliveries`.
 *
 * @example
 * ```ts
 * registerDeliveryRoutes(app, { deliveries, dispatcher, sinkNames });
 * ```
 */
export function registerDeliveryRoutes(app: FastifyInstance, deps: DeliveryRouteDependencies): void {
  const { deliveries, dispatcher, sinkNames } = deps;
  const now = deps.now ?? Date.now;

  const sinkParam = (query: Query): string | undefined => {
    const sink = single(query, 'sink');
    if (sink !== undefined && !sinkNames.has(sink)) {
      throw invalid(
        `sink ${JSON.stringify(sink.slice(0, 64))} is not configured (configured: ${[...sinkNames].join(', ') || 'none'})`,
      );
    }
    return sink;
  };

  app.get('/api/deliveries', async (request) => {
    const query = request.query as Query;
    const status = single(query, 'status');
    if (status !== undefined && !isDeliveryStatus(status)) {
      throw invalid(
        `status must be pending, held, delivered, dead or disabled, got ${JSON.stringify(status.slice(0, 20))}`,
      );
    }
    const sink = sinkParam(query);
    const limitText = single(query, 'limit');
    const limit =
      limitText === undefined ? DEFAULT_LIMIT : /^\d{1,4}$/.test(limitText) ? Number(limitText) : NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT)) throw invalid(`limit must be an integer from 1 to ${MAX_LIMIT}`);
    const cursor = single(query, 'cursor');
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && before === undefined)
      throw invalid('cursor is not a cursor this API returned');
    const { items, hasMore } = await deliveries.list({
      limit,
      ...(status === undefined ? {} : { status }),
      ...(sink === undefined ? {} : { sink }),
      ...(before === undefined ? {} : { before }),
    });
    const last = items.at(-1);
    return { items, nextCursor: hasMore && last !== undefined ? encodeCursor(last.id) : null };
  });

  app.post('/api/deliveries/retry-dead', async (request) => {
    const query = request.query as Query;
    const since = time(query, 'since');
    const until = time(query, 'until');
    const sink = sinkParam(query);
    const retried = await deliveries.retryDead({
      now: now(),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
      ...(sink === undefined ? {} : { sink }),
    });
    dispatcher.wake();
    return { retried };
  });

  app.post('/api/deliveries/:id/retry', async (request) => {
    const delivery = await deliveries.retry(id(request.params, 'delivery'), now());
    if (delivery === undefined) throw notFound('no delivery with this id');
    await dispatcher.refreshDisabled();
    dispatcher.wake(delivery.sink);
    return delivery;
  });

  app.get('/api/events/:id/deliveries', async (request) => {
    const { items } = await deliveries.list({ eventId: id(request.params, 'event'), limit: MAX_LIMIT });
    return { items };
  });

  app.post('/api/events/:id/redeliver', async (request) => {
    const eventId = id(request.params, 'event');
    let body: unknown;
    try {
      const raw = request.body as Buffer | undefined;
      body = raw === undefined || raw.length === 0 ? {} : (JSON.parse(raw.toString('utf8')) as unknown);
    } catch {
      throw invalid('the body must be JSON: { "sink": "<name>" }');
    }
    const sink = (body as { sink?: unknown } | null)?.sink;
    if (typeof sink !== 'string' || !sinkNames.has(sink)) {
      throw invalid(
        `body.sink must name a configured sink (configured: ${[...sinkNames].join(', ') || 'none'})`,
      );
    }
    const delivery = await deliveries.redeliver(eventId, sink, now());
    if (delivery === undefined) throw notFound('no event with this id');
    dispatcher.wake(sink);
    return delivery;
  });

  app.post('/api/events/:id/release', async (request) => {
    const released = await deliveries.release(id(request.params, 'event'), now());
    if (released === undefined) throw notFound('no event with this id');
    dispatcher.wake();
    return { released };
  });
}

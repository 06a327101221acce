import type { ServerResponse } from 'node:http';
import { LivehooksError } from '@livehooks/core';
import type { FastifyInstance } from 'fastify';
import type { KyselyStore, TailFilter } from '../store/kysely-store.js';
import type { StoredEvent } from '../store/stored-event.js';
import { decodeCursor, encodeCursor, UUID } from '../api/cursor.js';
import { readDeliveries } from '../dispatch/event-deliveries.js';
import { typeParam } from '../api/query-params.js';
import type { EventHub } from './event-hub.js';

/** What the API routes need. */
export interface ApiDependencies {
  store: KyselyStore;
  hub: EventHub;
  /** Seconds between SSE keep-alive comments. Default 15. */
  heartbeatSeconds?: number;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
/** Events sent per store query when a live tail resumes from `Last-Event-ID`. */
const RESUME_PAGE = 500;
/** A live-tail client this far behind is disconnected; it resumes with `Last-Event-ID`. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

type Query = Record<string, string | string[] | undefined>;

function invalid(message: string): LivehooksError {
  return new LivehooksError('LH_ERR_INVALID_QUERY', message);
}

function single(query: Query, name: string): string | undefined {
  const value = query[name];
  if (Array.isArray(value)) throw invalid(`${name} is given more than once`);
  return value === undefined || value === '' ? undefined : value;
}

/** Exact types and patterns such as `css.moderation.*` (expanded to the catalog's types). */
function types(query: Query): string[] | undefined {
  return typeParam(query);
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

function limit(query: Query): number {
  const value = single(query, 'limit');
  if (value === undefined) return DEFAULT_LIMIT;
  const number = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(number >= 1 && number <= MAX_LIMIT)) {
    throw invalid(
      `limit must be an integer from 1 to ${MAX_LIMIT}, got ${JSON.stringify(value.slice(0, 20))}`,
    );
  }
  return number;
}

function tailFilter(query: Query): TailFilter {
  const filter: TailFilter = {};
  const list = types(query);
  if (list !== undefined) filter.types = list;
  const streamId = single(query, 'stream_id');
  if (streamId !== undefined) filter.streamId = streamId;
  return filter;
}

function matches(event: StoredEvent, filter: TailFilter): boolean {
  return (
    (filter.types === undefined ||
      filter.types.includes(event.type) ||
      (event.classifiedAs !== undefined && filter.types.includes(event.classifiedAs))) &&
    (filter.streamId === undefined || event.subject.streamId === filter.streamId)
  );
}

/**
 * The event routes of the query API (register them inside the scope of {@link requireApiToken}): `GET /api/events` (filters, newest first, opaque cursor),
 * `GET /api/events/:id` (with the raw body and headers) and `GET /api/events/stream` (Server-Sent Events
 * live tail, resumable with `Last-Event-ID`).
 */
export function registerApiRoutes(app: FastifyInstance, deps: ApiDependencies): void {
  const { store, hub } = deps;
  const streams = new Set<ServerResponse>();

  app.get('/api/events', async (request) => {
    const query = request.query as Query;
    const cursor = single(query, 'cursor');
    const before = cursor === undefined ? undefined : decodeCursor(cursor);
    if (cursor !== undefined && before === undefined)
      throw invalid('cursor is not a cursor this API returned');
    const list = types(query);
    const streamId = single(query, 'stream_id');
    const roomId = single(query, 'room_id');
    const taskId = single(query, 'task_id');
    const userId = single(query, 'user_id');
    const family = single(query, 'family');
    const text = single(query, 'q');
    const since = time(query, 'since');
    const until = time(query, 'until');
    const size = limit(query);
    const { items, hasMore } = await store.listEvents({
      limit: size,
      ...(list === undefined ? {} : { types: list }),
      ...(streamId === undefined ? {} : { streamId }),
      ...(roomId === undefined ? {} : { roomId }),
      ...(taskId === undefined ? {} : { taskId }),
      ...(userId === undefined ? {} : { userId }),
      ...(family === undefined ? {} : { family }),
      ...(text === undefined ? {} : { text }),
      ...(since === undefined ? {} : { since }),
      ...(until === undefined ? {} : { until }),
      ...(before === undefined ? {} : { before }),
    });
    const last = items.at(-1);
    return { items, nextCursor: hasMore && last !== undefined ? encodeCursor(last.id) : null };
  });

  app.get('/api/events/stream', async (request, reply) => {
    const filter = tailFilter(request.query as Query);
    const lastEventId = request.headers['last-event-id'];
    if (lastEventId !== undefined && (typeof lastEventId !== 'string' || !UUID.test(lastEventId))) {
      throw invalid('Last-Event-ID must be the id of an event this API sent');
    }
    reply.hijack();
    const response = reply.raw;
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      // A tail ends only when the server shuts down or drops a slow reader: its socket is not reused.
      connection: 'close',
      'x-accel-buffering': 'no',
    });
    response.write('retry: 2000\n\n');
    streams.add(response);

    let live = false;
    const buffered: StoredEvent[] = [];
    const sent = new Set<string>();
    const send = (event: StoredEvent): void => {
      if (sent.has(event.id)) return;
      if (response.writableLength > MAX_BUFFERED_BYTES) {
        response.end();
        return;
      }
      response.write(`id: ${event.id}\nevent: event\ndata: ${JSON.stringify(event)}\n\n`);
    };
    // Subscribe before reading the backlog, so nothing committed in between is missed.
    const unsubscribe = hub.subscribe((events) => {
      for (const event of events) {
        if (!matches(event, filter)) continue;
        if (live) send(event);
        else buffered.push(event);
      }
    });
    const heartbeat = setInterval(
      () => response.write(': keep-alive\n\n'),
      (deps.heartbeatSeconds ?? 15) * 1000,
    );
    heartbeat.unref();
    response.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(response);
    });

    try {
      if (typeof lastEventId === 'string') {
        let after = lastEventId;
        for (;;) {
          const page = await store.listEventsAfter(after, filter, RESUME_PAGE);
          for (const event of page) {
            send(event);
            sent.add(event.id);
          }
          if (page.length < RESUME_PAGE || response.destroyed) break;
          after = page.at(-1)!.id;
        }
      }
      for (const event of buffered) send(event);
      buffered.length = 0;
      sent.clear();
      live = true;
    } catch (error) {
      request.log.error({ err: error }, 'live tail could not read the backlog');
      response.end();
    }
  });

  app.get('/api/events/:id', async (request) => {
    const { id } = request.params as { id: string };
    const event = UUID.test(id) ? await store.getEvent(id) : undefined;
    if (event === undefined)
      throw new LivehooksError('LH_ERR_NOT_FOUND', `no event with id ${JSON.stringify(id.slice(0, 40))}`);
    return {
      ...event,
      raw: Buffer.from(event.raw).toString('utf8'),
      deliveries: await readDeliveries(store, event.id),
    };
  });

  // A live tail never ends by itself: end every stream before the server waits for connections to close.
  app.addHook('preClose', (done) => {
    for (const response of streams) response.end();
    done();
  });
}

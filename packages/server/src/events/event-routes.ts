import type { ServerResponse } from 'node:http';
import { LivehooksError } from '@livehooks/core';
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { decodeCursor, encodeCursor } from '../api/cursor.js';
import {
  apiErrors,
  errorAnswer,
  idPath,
  limitParam,
  pageOf,
  param,
  textParam,
  timeParam,
  typeParam,
  UUID,
} from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import { UUID_TEMPLATE, type KyselyStore, type TailFilter } from '../store/kysely-store.js';
import type { StoredEvent } from '../store/stored-event.js';
import type { EventHub } from './event-hub.js';
import { eventDetailSchema, storedEventSchema } from './event-schemas.js';

/** What the event routes need. */
export interface EventRoutesOptions {
  store: KyselyStore;
  hub: EventHub;
  /** The deliveries of an event, shown with its detail, and their schema. */
  deliveries: { schema: z.ZodType; of: (eventId: string) => Promise<unknown[]> };
  /** Seconds between SSE keep-alive comments. Default 15. */
  heartbeatSeconds?: number;
}

/** Events sent per store query when a live tail resumes from `Last-Event-ID`. */
const RESUME_PAGE = 500;
/** A live-tail client this far behind is disconnected; it resumes with `Last-Event-ID`. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

const listQuery = z.object({
  type: typeParam,
  stream_id: textParam('stream_id', 'a CSS stream id'),
  room_id: textParam('room_id', 'a TRTC room id'),
  task_id: textParam('task_id', 'a task id'),
  user_id: textParam('user_id', 'a TRTC user id'),
  family: textParam('family', 'css or trtc'),
  q: textParam('q', 'words the summary contains'),
  since: timeParam('since', 'received at or after'),
  until: timeParam('until', 'received before'),
  id_prefix: param(
    'id_prefix',
    { description: 'the start of an event id, e.g. 0193a1b2 or 0193a1b2-7c' },
    (value) => {
      const prefix = value.toLowerCase();
      const fits =
        prefix.length <= UUID_TEMPLATE.length &&
        [...prefix].every((char, i) => (UUID_TEMPLATE[i] === '-' ? char === '-' : /[0-9a-f]/.test(char)));
      return fits
        ? prefix
        : { invalid: `id_prefix ${JSON.stringify(value.slice(0, 40))} is not the start of an event id` };
    },
  ),
  cursor: textParam('cursor', 'the nextCursor of the previous page (opaque)'),
  limit: limitParam,
});

const tailQuery = z.object({ type: typeParam, stream_id: textParam('stream_id', 'a CSS stream id') });

function matches(event: StoredEvent, filter: TailFilter): boolean {
  return (
    (filter.types === undefined ||
      filter.types.includes(event.type) ||
      (event.classifiedAs !== undefined && filter.types.includes(event.classifiedAs))) &&
    (filter.streamId === undefined || event.subject.streamId === filter.streamId)
  );
}

/**
 * The events feature of the API (registered inside the authenticated scope): `GET /api/events` (filters,
 * newest first, opaque cursor), `GET /api/events/:id` (with the raw body, headers and deliveries) and
 * `GET /api/events/stream` (Server-Sent Events live tail, resumable with `Last-Event-ID`).
 */
export const eventRoutes: FastifyPluginCallback<EventRoutesOptions> = (scope, options, done) => {
  const { store, hub } = options;
  const app = scope.withTypeProvider<ZodTypeProvider>();
  const streams = new Set<ServerResponse>();

  app.get(
    '/api/events',
    {
      schema: {
        summary: 'Stored events, newest first',
        querystring: listQuery,
        response: { 200: pageOf(storedEventSchema), ...apiErrors },
      },
    },
    async (request) => {
      const {
        cursor,
        limit,
        type,
        stream_id,
        room_id,
        task_id,
        user_id,
        family,
        q,
        since,
        until,
        id_prefix,
      } = request.query;
      const before = cursor === undefined ? undefined : decodeCursor(cursor);
      if (cursor !== undefined && before === undefined) {
        throw LivehooksError.of('LH_ERR_INVALID_QUERY', {
          parameter: 'cursor',
          expected: 'the nextCursor of a page this API answered',
        });
      }
      const { items, hasMore } = await store.listEvents({
        limit,
        ...(type === undefined ? {} : { types: type }),
        ...(stream_id === undefined ? {} : { streamId: stream_id }),
        ...(room_id === undefined ? {} : { roomId: room_id }),
        ...(task_id === undefined ? {} : { taskId: task_id }),
        ...(user_id === undefined ? {} : { userId: user_id }),
        ...(family === undefined ? {} : { family }),
        ...(q === undefined ? {} : { text: q }),
        ...(since === undefined ? {} : { since }),
        ...(until === undefined ? {} : { until }),
        ...(id_prefix === undefined ? {} : { idPrefix: id_prefix }),
        ...(before === undefined ? {} : { before }),
      });
      const last = items.at(-1);
      return { items, nextCursor: hasMore && last !== undefined ? encodeCursor(last.id) : null };
    },
  );

  app.get(
    '/api/events/stream',
    {
      schema: {
        summary: 'The live tail: every event stored from now on, as Server-Sent Events',
        description:
          'Each event is sent as `id: <event id>`, `event: event`, `data: <Event JSON>`. A client that ' +
          'reconnects with the Last-Event-ID header gets what it missed first.',
        querystring: tailQuery,
        produces: 'text/event-stream',
        response: { 200: z.string().meta({ description: 'a stream of Server-Sent Events' }), ...apiErrors },
      },
    },
    async (request, reply) => {
      const filter: TailFilter = {
        ...(request.query.type === undefined ? {} : { types: request.query.type }),
        ...(request.query.stream_id === undefined ? {} : { streamId: request.query.stream_id }),
      };
      const lastEventId = request.headers['last-event-id'];
      if (lastEventId !== undefined && (typeof lastEventId !== 'string' || !UUID.test(lastEventId))) {
        throw LivehooksError.of('LH_ERR_INVALID_QUERY', {
          parameter: 'Last-Event-ID',
          expected: 'the id of an event this API sent',
        });
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
        (options.heartbeatSeconds ?? 15) * 1000,
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
    },
  );

  app.get(
    '/api/events/:id',
    {
      schema: {
        summary: 'One stored event with its body as received, its headers and its deliveries',
        params: z.object({ id: idPath('the event id') }),
        response: { 200: eventDetailSchema(options.deliveries.schema), 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const event = UUID.test(id) ? await store.getEvent(id) : undefined;
      if (event === undefined) {
        throw LivehooksError.of('LH_ERR_NOT_FOUND', { what: 'event with id', id });
      }
      return {
        ...event,
        raw: Buffer.from(event.raw).toString('utf8'),
        deliveries: await options.deliveries.of(event.id),
      };
    },
  );

  // A live tail never ends by itself: end every stream before the server waits for connections to close.
  app.addHook('preClose', (done) => {
    for (const response of streams) response.end();
    done();
  });
  done();
};

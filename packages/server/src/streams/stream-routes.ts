import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { decodePosition, encodePosition } from '../api/cursor.js';
import {
  apiErrors,
  cursorParam,
  errorAnswer,
  limitParam,
  notFound,
  oneOfParam,
  pageFrom,
  pageOf,
  textParam,
} from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import type { KyselyStore } from '../store/kysely-store.js';
import {
  findStream,
  listStreams,
  streamScreenshots,
  streamTimeline,
  type StreamKey,
  type StreamPosition,
} from './stream-repository.js';
import { streamDetailSchema, streamItemSchema } from './stream-schemas.js';

/** What the stream routes need. */
export interface StreamRoutesOptions {
  store: KyselyStore;
  /** The moderation items of a stream, newest first, shown with its detail, and their schema. */
  moderation: { schema: z.ZodType; of: (stream: StreamKey, limit: number) => Promise<unknown[]> };
}

const STREAM_TIMELINE = 200;
const STREAM_SCREENSHOTS = 24;
const STREAM_MODERATION = 50;

const listQuery = z.object({
  status: oneOfParam('status', ['live', 'offline', 'unknown'] as const, 'live, offline or unknown'),
  q: textParam('q', 'part of the stream id'),
  limit: limitParam,
  cursor: cursorParam(
    (cursor) => decodePosition(cursor, ['number', 'text', 'text']) as StreamPosition | undefined,
  ),
});

/**
 * The streams feature of the API (registered inside the authenticated scope): `GET /api/streams` (by status
 * and part of the id, most recent activity first, cursor) and `GET /api/streams/{streamId}` (with its
 * timeline, screenshots and moderation hits).
 *
 * @example
 * ```ts
 * await api.register(streamRoutes, { store, moderation: { schema: moderationItemSchema, of: moderationOf } });
 * ```
 */
export const streamRoutes: FastifyPluginCallback<StreamRoutesOptions> = (scope, options, done) => {
  const { store, moderation } = options;
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/streams',
    {
      schema: {
        summary: 'Streams, most recent activity first',
        querystring: listQuery,
        response: { 200: pageOf(streamItemSchema), ...apiErrors },
      },
    },
    async (request) => {
      const { status, q, cursor, limit } = request.query;
      const rows = await listStreams(store, {
        limit: limit + 1,
        ...(status === undefined ? {} : { status }),
        ...(q === undefined ? {} : { text: q }),
        ...(cursor === undefined ? {} : { after: cursor }),
      });
      return pageFrom(rows, limit, (last) => encodePosition([last.lastEventAt, last.appId, last.streamId]));
    },
  );

  app.get(
    '/api/streams/:streamId',
    {
      schema: {
        summary: 'One stream with its timeline (newest 200 events), screenshots and moderation hits',
        params: z.object({ streamId: z.string().meta({ description: 'the stream id' }) }),
        querystring: z.object({
          app_id: textParam('app_id', 'the app, when a stream id exists in several'),
        }),
        response: { 200: streamDetailSchema(moderation.schema), 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const { streamId } = request.params;
      const stream = await findStream(store, streamId, request.query.app_id);
      if (stream === undefined) throw notFound('stream', streamId);
      return {
        ...stream,
        timeline: await streamTimeline(store, stream, STREAM_TIMELINE),
        screenshots: await streamScreenshots(store, stream, STREAM_SCREENSHOTS),
        moderation: await moderation.of(stream, STREAM_MODERATION),
      };
    },
  );
  done();
};

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
  param,
  textParam,
} from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import type { KyselyStore } from '../store/kysely-store.js';
import {
  findStream,
  listStreams,
  streamPosition,
  streamScreenshots,
  streamTimeline,
  type StreamHealth,
  type StreamKey,
  type StreamPosition,
} from './stream-repository.js';
import { healthSchema, streamDetailSchema, streamItemSchema } from './stream-schemas.js';

/** What the stream routes need. */
export interface StreamRoutesOptions {
  store: KyselyStore;
  /** The moderation items of a stream, newest first, shown with its detail, and their schema. */
  moderation: { schema: z.ZodType; of: (stream: StreamKey, limit: number) => Promise<unknown[]> };
}

const STREAM_TIMELINE = 200;
const STREAM_SCREENSHOTS = 24;
const STREAM_MODERATION = 50;

const HEALTHS = healthSchema.options;

/** `health`: one health or several as `broken,low_framerate`. */
const healthParam = param(
  'health',
  { description: `${HEALTHS.join(', ')}; several as broken,low_framerate` },
  (value) => {
    const healths = [...new Set(value.split(',').map((item) => item.trim()))];
    const wrong = healths.find((health) => !(HEALTHS as readonly string[]).includes(health));
    return wrong === undefined
      ? (healths as StreamHealth[])
      : {
          invalid: `health must be ${HEALTHS.join(', ')} or several of them as a,b; got ${JSON.stringify(wrong.slice(0, 40))}`,
        };
  },
);

const listQuery = z
  .object({
    status: oneOfParam('status', ['live', 'offline', 'unknown'] as const, 'live, offline or unknown'),
    health: healthParam,
    q: textParam('q', 'part of the stream id'),
    sort: oneOfParam(
      'sort',
      ['recent', 'problems'] as const,
      'recent (default): most recent activity first; problems: broken, then low frame rate, then healthy, latest signal first',
    ),
    limit: limitParam,
    cursor: cursorParam(
      (cursor) =>
        (decodePosition(cursor, ['number', 'text', 'text']) ??
          decodePosition(cursor, ['number', 'number', 'text', 'text'])) as StreamPosition | undefined,
    ),
  })
  .refine(({ sort, cursor }) => cursor === undefined || cursor.length === (sort === 'problems' ? 4 : 3), {
    message: 'cursor is not a cursor of this sort: keep the sort of the page that returned it',
    path: ['cursor'],
  });

/**
 * The streams feature of the API (registered inside the authenticated scope): `GET /api/streams` (by status,
 * health and part of the id, most recent activity or worst health first, cursor) and `GET /api/streams/{streamId}` (with its
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
        summary: 'Streams, most recent activity first or worst health first',
        querystring: listQuery,
        response: { 200: pageOf(streamItemSchema), ...apiErrors },
      },
    },
    async (request) => {
      const { status, health, q, cursor, limit } = request.query;
      const sort = request.query.sort ?? 'recent';
      const rows = await listStreams(store, {
        limit: limit + 1,
        sort,
        ...(status === undefined ? {} : { status }),
        ...(health === undefined ? {} : { health }),
        ...(q === undefined ? {} : { text: q }),
        ...(cursor === undefined ? {} : { after: cursor }),
      });
      return pageFrom(rows, limit, (last) => encodePosition(streamPosition(last, sort)));
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

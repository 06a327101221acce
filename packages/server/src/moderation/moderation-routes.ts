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
  UUID,
} from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import type { KyselyStore } from '../store/kysely-store.js';
import {
  decide,
  listModeration,
  moderationDetail,
  type ModerationPosition,
} from './moderation-repository.js';
import { decisionRequestSchema, moderationDetailSchema, moderationItemSchema } from './moderation-schemas.js';

/** What the moderation routes need. */
export interface ModerationRoutesOptions {
  store: KyselyStore;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
}

const listQuery = z.object({
  status: oneOfParam(
    'status',
    ['pending', 'confirmed', 'dismissed', 'escalated'] as const,
    'pending, confirmed, dismissed or escalated',
  ),
  source: textParam(
    'source',
    'an event type (css.moderation.image, trtc.moderation.result, ...) or a family',
  ),
  stream_id: textParam('stream_id', 'a CSS stream id'),
  limit: limitParam,
  cursor: cursorParam((cursor) => decodePosition(cursor, ['number', 'id']) as ModerationPosition | undefined),
});

const itemParams = z.object({ id: z.string().meta({ description: 'the item id (the event id)' }) });

/**
 * The moderation feature of the API (registered inside the authenticated scope): the queue
 * `GET /api/moderation` (by status, source and stream, newest first, cursor), `GET /api/moderation/{id}` with
 * its decisions, and `POST /api/moderation/{id}/decision`, which records a human decision.
 *
 * @example
 * ```ts
 * await api.register(moderationRoutes, { store });
 * ```
 */
export const moderationRoutes: FastifyPluginCallback<ModerationRoutesOptions> = (scope, options, done) => {
  const { store } = options;
  const now = options.now ?? Date.now;
  const app = scope.withTypeProvider<ZodTypeProvider>();

  app.get(
    '/api/moderation',
    {
      schema: {
        summary: 'The moderation queue, newest first',
        querystring: listQuery,
        response: { 200: pageOf(moderationItemSchema), ...apiErrors },
      },
    },
    async (request) => {
      const { status, source, stream_id, cursor, limit } = request.query;
      const rows = await listModeration(store, {
        limit: limit + 1,
        ...(status === undefined ? {} : { status }),
        ...(source === undefined ? {} : { source }),
        ...(stream_id === undefined ? {} : { streamId: stream_id }),
        ...(cursor === undefined ? {} : { after: cursor }),
      });
      return pageFrom(rows, limit, (last) => encodePosition([last.occurredAt, last.id]));
    },
  );

  app.get(
    '/api/moderation/:id',
    {
      schema: {
        summary: 'One moderation item with its decisions, oldest first',
        params: itemParams,
        response: { 200: moderationDetailSchema, 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const detail = UUID.test(id) ? await moderationDetail(store, id) : undefined;
      if (detail === undefined) throw notFound('moderation item', id);
      return detail;
    },
  );

  app.post(
    '/api/moderation/:id/decision',
    {
      schema: {
        summary: 'Records a human decision (kept as an audit trail) and returns the updated item',
        params: itemParams,
        body: decisionRequestSchema,
        response: { 200: moderationItemSchema, 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { action, actor, note } = request.body;
      const at = now();
      const item = UUID.test(id)
        ? await decide(store, id, { action, actor: actor || 'anonymous', note: note ?? '', at })
        : undefined;
      if (item === undefined) throw notFound('moderation item', id);
      return item;
    },
  );
  done();
};

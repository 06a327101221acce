import { LivehooksError } from '@livehooks/core';
import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { decodePosition, encodePosition } from '../api/cursor.js';
import {
  apiErrors,
  cursorParam,
  errorAnswer,
  integerParam,
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
  countModeration,
  decide,
  listModeration,
  moderationDetail,
  undoDecision,
  type ModerationFilter,
  type ModerationPosition,
} from './moderation-repository.js';
import {
  bulkDecisionRequestSchema,
  bulkDecisionSchema,
  decisionRequestSchema,
  moderationCountsSchema,
  moderationDetailSchema,
  moderationItemSchema,
  undoRequestSchema,
} from './moderation-schemas.js';

/** What the moderation routes need. */
export interface ModerationRoutesOptions {
  store: KyselyStore;
  /** Current time in ms; injectable for tests. */
  now?: () => number;
}

const filterFields = {
  source: textParam(
    'source',
    'an event type (css.moderation.image, trtc.moderation.result, ...) or a family',
  ),
  stream_id: textParam('stream_id', 'a CSS stream id'),
  label: textParam('label', 'a label the item carries (Porn, Ad, ...), any case'),
  min_score: integerParam('min_score', 0, 100, 'items scored at least this'),
};

const listQuery = z.object({
  status: oneOfParam(
    'status',
    ['pending', 'confirmed', 'dismissed', 'escalated'] as const,
    'pending, confirmed, dismissed or escalated',
  ),
  ...filterFields,
  limit: limitParam,
  cursor: cursorParam((cursor) => decodePosition(cursor, ['number', 'id']) as ModerationPosition | undefined),
});

/** The filter of the query's parameters. */
function filterOf(query: {
  source?: string | undefined;
  stream_id?: string | undefined;
  label?: string | undefined;
  min_score?: number | undefined;
}): ModerationFilter {
  const { source, stream_id, label, min_score } = query;
  return {
    ...(source === undefined ? {} : { source }),
    ...(stream_id === undefined ? {} : { streamId: stream_id }),
    ...(label === undefined ? {} : { label }),
    ...(min_score === undefined ? {} : { minScore: min_score }),
  };
}

const itemParams = z.object({ id: z.string().meta({ description: 'the item id (the event id)' }) });

/**
 * The moderation feature of the API (registered inside the authenticated scope): the queue
 * `GET /api/moderation` (by status, source, stream, label and score, newest first, cursor) and its counts by
 * status `GET /api/moderation/counts`, `GET /api/moderation/{id}` with its decisions,
 * `POST /api/moderation/{id}/decision` which records a human decision, `POST /api/moderation/decisions` which
 * records one on several items, and `POST /api/moderation/{id}/undo` which takes the latest back.
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
      const { status, cursor, limit } = request.query;
      const rows = await listModeration(store, {
        ...filterOf(request.query),
        limit: limit + 1,
        ...(status === undefined ? {} : { status }),
        ...(cursor === undefined ? {} : { after: cursor }),
      });
      return pageFrom(rows, limit, (last) => encodePosition([last.occurredAt, last.id]));
    },
  );

  app.get(
    '/api/moderation/counts',
    {
      schema: {
        summary: 'How many items of the queue are in each review state, pending being those left to review',
        querystring: z.object(filterFields),
        response: { 200: moderationCountsSchema, ...apiErrors },
      },
    },
    (request) => countModeration(store, filterOf(request.query)),
  );

  app.post(
    '/api/moderation/decisions',
    {
      schema: {
        summary: 'Records one decision on several items at once, each kept in its audit trail',
        body: bulkDecisionRequestSchema,
        response: { 200: bulkDecisionSchema, ...apiErrors },
      },
    },
    (request) => {
      const { ids, action, actor, note } = request.body;
      return decide(store, ids, { action, actor: actor || 'anonymous', note: note ?? '', at: now() });
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
        ? (await decide(store, [id], { action, actor: actor || 'anonymous', note: note ?? '', at })).items[0]
        : undefined;
      if (item === undefined) throw notFound('moderation item', id);
      return item;
    },
  );

  app.post(
    '/api/moderation/:id/undo',
    {
      schema: {
        summary:
          'Takes back the latest decision still standing (kept in the audit trail) and returns the updated item',
        params: itemParams,
        body: undoRequestSchema,
        response: { 200: moderationItemSchema, 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const { actor, note } = request.body;
      const item = UUID.test(id)
        ? await undoDecision(store, id, { actor: actor || 'anonymous', note: note ?? '', at: now() })
        : undefined;
      if (item === undefined) throw notFound('moderation item', id);
      if (item === 'nothing') {
        throw LivehooksError.of('LH_ERR_INVALID_QUERY', {
          issue: `moderation item ${JSON.stringify(id)} has no decision to undo: it is pending`,
        });
      }
      return item;
    },
  );
  done();
};

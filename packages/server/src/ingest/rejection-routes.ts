import type { FastifyPluginCallback } from 'fastify';
import type { Selectable } from 'kysely';
import { z } from 'zod';
import { decodePosition, encodePosition } from '../api/cursor.js';
import { apiSchemas } from '../api/openapi.js';
import {
  apiErrors,
  cursorParam,
  epochMs,
  errorAnswer,
  idPath,
  limitParam,
  notFound,
  pageFrom,
  pageOf,
  textParam,
  UUID,
} from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import type { RejectionsTable } from '../store/database.js';
import type { KyselyStore } from '../store/kysely-store.js';

/** What the rejection routes need. */
export interface RejectionRoutesOptions {
  store: KyselyStore;
}

/** A refused callback request, as the API answers it. */
export const rejectionSchema = z
  .object({
    id: z.string(),
    receivedAt: epochMs,
    status: z.number().int().meta({ description: 'the HTTP status answered' }),
    code: z.string().meta({ description: 'the LH_ERR_* code answered' }),
    message: z.string(),
    remoteAddress: z.string().meta({ description: "the client's address, '' when unknown" }),
    path: z.string().meta({ description: 'the request path, its ingest secret redacted' }),
    headers: z
      .record(z.string(), z.string())
      .meta({ description: 'the request headers without credentials' }),
    bodyPrefix: z.string().meta({ description: 'the first 4 KiB of the body, as UTF-8 text' }),
  })
  .register(apiSchemas, { id: 'Rejection', description: 'a refused callback request' });

/** How many refusals are kept for each `LH_ERR_*` code. */
export const rejectionReasonsSchema = z
  .object({
    items: z.array(
      z.object({
        code: z.string().meta({ description: 'the LH_ERR_* code answered' }),
        count: z.number().int().min(0),
        lastAt: epochMs.meta({ description: 'when the latest refusal with this code was received' }),
      }),
    ),
  })
  .meta({ description: 'most frequent first' });

type RejectionPosition = readonly [number, string];

function toRejection(row: Selectable<RejectionsTable>): z.output<typeof rejectionSchema> {
  return {
    id: row.id,
    receivedAt: Number(row.received_at),
    status: Number(row.status),
    code: row.reason,
    message: row.message,
    remoteAddress: row.remote_address ?? '',
    path: row.path,
    headers: JSON.parse(row.headers) as Record<string, string>,
    bodyPrefix: Buffer.from(row.body_head).toString('utf8'),
  };
}

/**
 * The refusals of ingest in the API (registered inside the authenticated scope): `GET /api/rejections` lists
 * the refused callback requests kept for audit, by `LH_ERR_*` code, newest first, cursor;
 * `GET /api/rejections/reasons` counts them by code; `GET /api/rejections/{id}` answers one.
 *
 * @example
 * ```ts
 * await api.register(rejectionRoutes, { store });
 * ```
 */
export const rejectionRoutes: FastifyPluginCallback<RejectionRoutesOptions> = (scope, options, done) => {
  const { store } = options;
  const app = scope.withTypeProvider<ZodTypeProvider>();
  app.get(
    '/api/rejections/reasons',
    {
      schema: {
        summary: 'How many refused requests are kept for each LH_ERR_* code',
        response: { 200: rejectionReasonsSchema, ...apiErrors },
      },
    },
    async () => {
      const rows = await store.db
        .selectFrom('rejections')
        .select((eb) => ['reason', eb.fn.countAll<number>().as('count'), eb.fn.max('received_at').as('last')])
        .groupBy('reason')
        .execute();
      const items = rows
        .map((row) => ({ code: row.reason, count: Number(row.count), lastAt: Number(row.last) }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code));
      return { items };
    },
  );

  app.get(
    '/api/rejections/:id',
    {
      schema: {
        summary: 'One refused callback request',
        params: z.object({ id: idPath('the refusal id') }),
        response: { 200: rejectionSchema, 404: errorAnswer, ...apiErrors },
      },
    },
    async (request) => {
      const { id } = request.params;
      const row = UUID.test(id)
        ? await store.db.selectFrom('rejections').selectAll().where('id', '=', id).executeTakeFirst()
        : undefined;
      if (row === undefined) throw notFound('rejection', id);
      return toRejection(row);
    },
  );

  app.get(
    '/api/rejections',
    {
      schema: {
        summary: 'Refused callback requests, newest first',
        querystring: z.object({
          reason: textParam('reason', 'an LH_ERR_* code'),
          limit: limitParam,
          cursor: cursorParam(
            (cursor) => decodePosition(cursor, ['number', 'id']) as RejectionPosition | undefined,
          ),
        }),
        response: { 200: pageOf(rejectionSchema), ...apiErrors },
      },
    },
    async (request) => {
      const { reason, limit, cursor } = request.query;
      let select = store.db
        .selectFrom('rejections')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(limit + 1);
      if (reason !== undefined) select = select.where('reason', '=', reason);
      if (cursor !== undefined) select = select.where('id', '<', cursor[1]);
      const rows = (await select.execute()).map(toRejection);
      return pageFrom(rows, limit, (last) => encodePosition([last.receivedAt, last.id]));
    },
  );
  done();
};

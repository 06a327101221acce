import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { decodePosition, encodePosition } from '../api/cursor.js';
import { apiSchemas } from '../api/openapi.js';
import {
  apiErrors,
  cursorParam,
  epochMs,
  limitParam,
  pageFrom,
  pageOf,
  textParam,
} from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
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

type RejectionPosition = readonly [number, string];

/**
 * The refusals of ingest in the API (registered inside the authenticated scope): `GET /api/rejections` lists
 * the refused callback requests kept for audit, by `LH_ERR_*` code, newest first, cursor.
 *
 * @example
 * ```ts
 * await api.register(rejectionRoutes, { store });
 * ```
 */
export const rejectionRoutes: FastifyPluginCallback<RejectionRoutesOptions> = (scope, options, done) => {
  const { store } = options;
  scope.withTypeProvider<ZodTypeProvider>().get(
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
      const rows = (await select.execute()).map((row) => ({
        id: row.id,
        receivedAt: Number(row.received_at),
        status: Number(row.status),
        code: row.reason,
        message: row.message,
        remoteAddress: row.remote_address ?? '',
        path: row.path,
        headers: JSON.parse(row.headers) as Record<string, string>,
        bodyPrefix: Buffer.from(row.body_head).toString('utf8'),
      }));
      return pageFrom(rows, limit, (last) => encodePosition([last.receivedAt, last.id]));
    },
  );
  done();
};

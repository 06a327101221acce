import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { openApiDocument, type OpenApiDocument } from './openapi.js';
import { apiErrors } from './query-schemas.js';
import type { DocumentedRoute, ZodTypeProvider } from './route-schema.js';

/** What the document route needs. */
export interface OpenApiDocumentRouteOptions {
  /** The routes the API scope recorded with their schemas; read when the document is first asked for. */
  routes: readonly DocumentedRoute[];
}

const documentSchema = z
  .object({ openapi: z.literal('3.1.0') })
  .catchall(z.unknown())
  .meta({ description: 'an OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.0)' });

/**
 * `GET /api/openapi.json`: the OpenAPI document of the API, built from the schemas the routes of the API
 * scope declare (the same schemas that validate the requests), once, when first asked for.
 *
 * @example
 * ```ts
 * const routes: DocumentedRoute[] = [];
 * await app.register(async (api) => {
 *   useRouteSchemas(api, routes);
 *   await api.register(openApiDocumentRoute, { routes });
 * });
 * ```
 */
export const openApiDocumentRoute: FastifyPluginCallback<OpenApiDocumentRouteOptions> = (
  scope,
  options,
  done,
) => {
  let document: OpenApiDocument | undefined;
  scope.withTypeProvider<ZodTypeProvider>().get(
    '/api/openapi.json',
    {
      schema: {
        summary: 'The OpenAPI document of this API',
        response: { 200: documentSchema, ...apiErrors },
      },
    },
    () => (document ??= openApiDocument(options.routes)),
  );
  done();
};

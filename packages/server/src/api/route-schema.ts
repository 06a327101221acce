import { LivehooksError } from '@livehooks/core';
import type {
  FastifyInstance,
  FastifySchema,
  FastifySchemaCompiler,
  FastifyTypeProvider,
  RouteOptions,
} from 'fastify';
import type { z } from 'zod';

/**
 * Types a route's handler from its zod schemas: `request.params`, `request.query` and `request.body` are the
 * schemas' outputs, and the handler must return what the response schema accepts.
 */
export interface ZodTypeProvider extends FastifyTypeProvider {
  validator: this['schema'] extends z.ZodType ? z.output<this['schema']> : unknown;
  serializer: this['schema'] extends z.ZodType ? z.input<this['schema']> : unknown;
}

/** The schema of a route of the API: zod schemas for each part, and words for the document. */
export interface RouteSchema extends FastifySchema {
  summary: string;
  description?: string;
  params?: z.ZodObject;
  querystring?: z.ZodObject;
  body?: z.ZodType;
  headers?: z.ZodObject;
  /** By status code; a status answered with a body other than JSON is described by `produces`. */
  response: Record<number, z.ZodType>;
  /** The media type of the 200 answer when it is not JSON (the live tail's `text/event-stream`). */
  produces?: string;
}

/** The message of the first issue, prefixed with the parameter it concerns unless the message names it. */
export function issueMessage(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'the request is not valid';
  const name = issue.path.map(String).join('.');
  return name === '' || issue.message.startsWith(`${issue.path[0] as string} `)
    ? issue.message
    : `${name}: ${issue.message}`;
}

/**
 * A request body as JSON: the gateway reads every body as raw bytes (callbacks are verified on them), so a
 * route that declares a body schema parses it here. No body is `undefined`.
 */
function parseJsonBody(data: unknown): unknown {
  if (data === null || data === undefined) return undefined;
  const text = Buffer.isBuffer(data) ? data.toString('utf8') : typeof data === 'string' ? data : undefined;
  if (text === undefined) return data;
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    return LivehooksError.of('LH_ERR_INVALID_QUERY', { parameter: 'the body', expected: 'JSON' }, { cause });
  }
}

/**
 * Validates each request part with its zod schema; a part that fails is answered 400 `LH_ERR_INVALID_QUERY`
 * with the message of its first issue.
 */
export const zodValidatorCompiler: FastifySchemaCompiler<z.ZodType> = ({ schema, httpPart }) => {
  const body = httpPart === 'body';
  return (data: unknown) => {
    let value = data;
    if (body) {
      const parsed = parseJsonBody(data);
      if (parsed instanceof LivehooksError) return { error: parsed };
      value = parsed;
    }
    const result = schema.safeParse(value);
    return result.success
      ? { value: result.data }
      : {
          error: LivehooksError.of(
            'LH_ERR_INVALID_QUERY',
            { issue: issueMessage(result.error) },
            { cause: result.error },
          ),
        };
  };
};

/** Route options of the API after its schemas are known: what the document is built from. */
export interface DocumentedRoute {
  method: string;
  url: string;
  schema: RouteSchema;
}

/**
 * Sets the zod compilers on an encapsulated scope and records every route registered inside it with its
 * schema, for the OpenAPI document. A route without a summary and the schema of a 2xx answer makes the
 * server refuse to start (`app.ready()` fails with `LH_ERR_INTERNAL` naming it): every route of the API is
 * in the document.
 *
 * @example
 * ```ts
 * const routes: DocumentedRoute[] = [];
 * await app.register(async (api) => {
 *   useRouteSchemas(api, routes);
 *   await api.register(eventRoutes, options);
 * });
 * ```
 */
export function useRouteSchemas(app: FastifyInstance, routes: DocumentedRoute[]): void {
  app.setValidatorCompiler(zodValidatorCompiler);
  // Answers are typed by their schema at compile time; they are serialised as they are.
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  const undocumented: string[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).filter(
      (method) => method !== 'HEAD',
    );
    if (methods.length === 0) return;
    const schema = route.schema as Partial<RouteSchema> | undefined;
    if (
      schema?.summary === undefined ||
      !Object.keys(schema.response ?? {}).some((status) => status.startsWith('2'))
    ) {
      undocumented.push(`${methods.join(', ')} ${route.url}`);
      return;
    }
    for (const method of methods) {
      routes.push({ method: method.toLowerCase(), url: route.url, schema: schema as RouteSchema });
    }
  });
  // A plugin's route is registered while the plugin runs, where a thrown error would escape the boot
  // sequence: the refusal waits for the server to be made ready.
  app.addHook('onReady', (done) => {
    done(
      undocumented.length === 0
        ? undefined
        : LivehooksError.of('LH_ERR_INTERNAL', {
            bug: `the API routes ${undocumented.join('; ')} declare no summary or no schema of a 2xx answer; every route of the API is described in its OpenAPI document`,
          }),
    );
  });
}

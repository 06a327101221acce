import { z } from 'zod';
import type { DocumentedRoute } from './route-schema.js';

/** Named schemas of the API: referenced from the document's `components.schemas` by their `id`. */
export const apiSchemas = z.registry<{ id: string; description?: string }>();

type JsonSchema = Record<string, unknown>;

const componentUri = (id: string): string => `#/components/schemas/${id}`;

/**
 * Converts many schemas at once, in one direction (`input` for requests, `output` for answers): a schema of
 * {@link apiSchemas} inside them becomes a `$ref` to its component. Returns the JSON Schema of each, and
 * the components.
 */
function convert(
  schemas: readonly z.ZodType[],
  io: 'input' | 'output',
): { converted: Map<z.ZodType, JsonSchema>; components: Record<string, JsonSchema> } {
  const registry = z.registry<{ id: string }>();
  const componentIds = new Set<string>();
  for (const [id, schema] of apiSchemas._idmap) {
    registry.add(schema, { id });
    componentIds.add(id);
  }
  const ids = new Map<z.ZodType, string>();
  for (const schema of schemas) {
    if (ids.has(schema) || apiSchemas.has(schema)) continue;
    const id = `part${ids.size}`;
    ids.set(schema, id);
    registry.add(schema, { id });
  }
  const { schemas: json } = z.toJSONSchema(registry, {
    io,
    target: 'draft-2020-12',
    unrepresentable: 'any',
    reused: 'inline',
    uri: componentUri,
  }) as { schemas: Record<string, JsonSchema> };
  const strip = (schema: JsonSchema): JsonSchema => {
    const { $schema: _, $id: __, id: ___, ...rest } = schema;
    return rest;
  };
  const converted = new Map<z.ZodType, JsonSchema>();
  for (const schema of schemas) {
    const component = apiSchemas.get(schema)?.id;
    converted.set(
      schema,
      component === undefined ? strip(json[ids.get(schema)!]!) : { $ref: componentUri(component) },
    );
  }
  const components: Record<string, JsonSchema> = {};
  for (const id of [...componentIds].sort()) components[id] = strip(json[id]!);
  return { converted, components };
}

/** Fastify's `/a/:id` as OpenAPI's `/a/{id}`. */
const openApiPath = (url: string): string => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

function parametersOf(
  schema: z.ZodObject | undefined,
  location: 'path' | 'query',
  input: Map<z.ZodType, JsonSchema>,
): JsonSchema[] {
  if (schema === undefined) return [];
  const json = input.get(schema)!;
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: location,
      required: location === 'path' || required.has(name),
      ...(description === undefined ? {} : { description }),
      schema: rest,
    };
  });
}

const STATUS_WORDS: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No content',
  400: 'A malformed parameter or body (LH_ERR_INVALID_QUERY)',
  401: 'No or a wrong bearer token (LH_ERR_UNAUTHORIZED)',
  404: 'No such record (LH_ERR_NOT_FOUND)',
  500: 'An unexpected error (LH_ERR_INTERNAL)',
  503: 'The store cannot be reached (LH_ERR_STORE_UNAVAILABLE)',
};

function operationOf(
  route: DocumentedRoute,
  input: Map<z.ZodType, JsonSchema>,
  output: Map<z.ZodType, JsonSchema>,
): JsonSchema {
  const { schema } = route;
  const responses: Record<string, JsonSchema> = {};
  for (const [status, body] of Object.entries(schema.response)) {
    const media =
      Number(status) < 300 && schema.produces !== undefined ? schema.produces : 'application/json';
    responses[status] = {
      description: STATUS_WORDS[Number(status)] ?? 'Answer',
      content: { [media]: { schema: output.get(body)! } },
    };
  }
  return {
    summary: schema.summary,
    ...(schema.description === undefined ? {} : { description: schema.description }),
    parameters: [
      ...parametersOf(schema.params, 'path', input),
      ...parametersOf(schema.querystring, 'query', input),
    ],
    ...(schema.body === undefined
      ? {}
      : {
          requestBody: {
            required: !schema.body.safeParse(undefined).success,
            content: { 'application/json': { schema: input.get(schema.body)! } },
          },
        }),
    responses,
  };
}

/** The version of the API the document describes. */
export const API_VERSION = '1.0.0';

/** An OpenAPI 3.1 document. */
export interface OpenApiDocument {
  openapi: '3.1.0';
  [key: string]: unknown;
}

/**
 * The OpenAPI 3.1 document of the API, built from the schemas the routes declare: the same zod schemas that
 * validate the requests. Paths and methods are sorted so the document is stable.
 */
export function openApiDocument(routes: readonly DocumentedRoute[]): OpenApiDocument {
  const sorted = [...routes].sort((a, b) =>
    a.url === b.url ? a.method.localeCompare(b.method) : a.url.localeCompare(b.url),
  );
  const requestParts = sorted.flatMap(({ schema }) =>
    [schema.params, schema.querystring, schema.body].filter((part) => part !== undefined),
  );
  const { converted: input } = convert(requestParts, 'input');
  const { converted: output, components } = convert(
    sorted.flatMap(({ schema }) => Object.values(schema.response)),
    'output',
  );
  const paths: Record<string, Record<string, JsonSchema>> = {};
  for (const route of sorted) {
    (paths[openApiPath(route.url)] ??= {})[route.method] = operationOf(route, input, output);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'livehooks gateway API',
      version: API_VERSION,
      description:
        'The query API of a livehooks gateway: stored callbacks, projections, deliveries and refusals. ' +
        'Every route needs the API token as a bearer token. Generated from the routes\u2019 schemas.',
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the API token' } },
      schemas: components,
    },
  };
}

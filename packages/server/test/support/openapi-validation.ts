import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';

/** docs/openapi.json: the document generated from the routes' schemas. */
const document = JSON.parse(
  readFileSync(new URL('../../../../docs/openapi.json', import.meta.url), 'utf8'),
) as { paths: unknown };
const ajv = new Ajv2020({ strict: false, validateSchema: false, allErrors: true });
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
ajv.addSchema(document, 'openapi.json');

const pointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');

/** Validates an answer against the response schema the OpenAPI document declares for it; returns the errors. */
export function validate(route: string, method: string, status: number, body: unknown): string[] {
  const operation = (
    document.paths as Record<string, Record<string, { responses: Record<string, { $ref?: string }> }>>
  )[route]?.[method];
  if (operation === undefined) return [`${method.toUpperCase()} ${route} is not in the document`];
  const response = operation.responses[String(status)];
  if (response === undefined) return [`${method.toUpperCase()} ${route} declares no ${status} answer`];
  const base =
    response.$ref === undefined ? `#/paths/${pointer(route)}/${method}/responses/${status}` : response.$ref;
  const check = ajv.compile({ $ref: `openapi.json${base}/content/application~1json/schema` });
  return check(body)
    ? []
    : (check.errors ?? []).map((error) => `${error.instancePath} ${error.message ?? ''}`);
}

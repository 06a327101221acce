import { z } from 'zod';
import { dispatchSchema } from '../dispatch/dispatch-config.js';
import { sinkSchemaOf, type AnySinkDefinition } from '../dispatch/define-sink.js';
import { sinkDefinitions } from '../dispatch/sinks/index.js';
import { defaultOf, defOf, shapeOf } from './_schema-walk.js';
import { CONFIG_OPTIONS } from './config-options.js';
import { configFileSchema } from './config-schema.js';

export { CONFIG_OPTIONS, type ConfigOption } from './config-options.js';

// What `npm run generate` writes from the config schema: the config file's JSON Schema and the option
// tables of docs/configuration.md and docs/sinks.md. This module loads no database or broker client, so
// the CLI reads CONFIG_OPTIONS from it (`@livehooks/server/config`) without starting the server's code.

/**
 * The JSON Schema of the config file, for editors: `"$schema"` in a config file points at it.
 *
 * @example
 * ```ts
 * writeFileSync('config.schema.json', JSON.stringify(configJsonSchema(), null, 2));
 * ```
 */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configFileSchema, {
    io: 'input',
    unrepresentable: 'any',
    // A default under text preprocessing (`"8080"` is read as 8080) is not emitted by zod: add it.
    override: ({ zodSchema, jsonSchema }) => {
      const def = defOf(zodSchema);
      if (def.type === 'default' && jsonSchema.default === undefined) {
        jsonSchema.default = def.defaultValue;
      }
    },
  });
}

/** Display width of a table cell: CJK characters take two columns, as prettier counts them. */
function widthOf(text: string): number {
  let width = 0;
  for (const char of text)
    width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/u.test(char) ? 2 : 1;
  return width;
}

/** A markdown table padded as prettier formats it, so the generated docs pass `prettier --check`. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [header, ...rows].map((row) =>
    row.map((cell) => cell.replaceAll('|', '\\|').replaceAll('\n', ' ')),
  );
  const widths = header.map((_, column) => Math.max(3, ...cells.map((row) => widthOf(row[column]!))));
  const line = (row: readonly string[]) =>
    `| ${row.map((cell, column) => cell + ' '.repeat(widths[column]! - widthOf(cell))).join(' | ')} |`;
  return [
    line(cells[0]!),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...cells.slice(1).map(line),
  ].join('\n');
}

const code = (text: string) => `\`${text}\``;

/** A default in words as a table cell: a value in code, a phrase as text with its `<placeholders>` in code. */
function defaultWords(text: string | undefined): string {
  if (text === undefined || text === 'none') return 'none';
  return text.includes(' ') ? text.replace(/<[^>]+>/g, (placeholder) => code(placeholder)) : code(text);
}

/** The description of an option, also when it is on the schema a default or an optional wraps. */
function descriptionOf(schema: z.ZodType): string {
  const inner = defOf(schema).innerType;
  return schema.description ?? (inner === undefined ? '' : descriptionOf(inner));
}

function defaultCell(schema: z.ZodType, fallback: string): string {
  const found = defaultOf(schema);
  if (found === undefined) return fallback;
  const { value } = found;
  if (Array.isArray(value) && value.length > 3) return code(`[${value.slice(0, 3).join(', ')}, ...]`);
  return code(typeof value === 'string' ? value : JSON.stringify(value));
}

/** Rows of `key | default | meaning` for every leaf option of a shape, nested objects flattened. */
function optionRows(
  shape: Record<string, z.ZodType>,
  prefix: string,
  fallback: (schema: z.ZodType) => string,
): string[][] {
  return Object.entries(shape).flatMap(([name, schema]) => {
    const inner = shapeOf(schema);
    const key = `${prefix}${name}`;
    if (inner !== undefined) return optionRows(inner, `${key}.`, fallback);
    return [[code(key), defaultCell(schema, fallback(schema)), descriptionOf(schema)]];
  });
}

const optionalOrRequired = (schema: z.ZodType) => (schema.safeParse(undefined).success ? 'none' : 'required');

/**
 * The option tables of `docs/configuration.md`: options with their environment variables, then the
 * `dispatch` section.
 *
 * @example
 * ```ts
 * configOptionsMarkdown().options; // '| Environment variable | Config file key | Default | Meaning |\n...'
 * ```
 */
export function configOptionsMarkdown(): { options: string; dispatch: string } {
  return {
    options: table(
      ['Environment variable', 'Config file key', 'Default', 'Meaning'],
      [
        ...CONFIG_OPTIONS.map((option) => [
          code(option.env),
          code(option.key),
          defaultWords(option.default),
          option.description,
        ]),
        [
          code('LIVEHOOKS_CONFIG'),
          '',
          'none',
          "Path of the JSON config file (the CLI's `--config` takes precedence).",
        ],
      ],
    ),
    dispatch: table(
      ['Config file key', 'Default', 'Meaning'],
      optionRows(shapeOf(dispatchSchema)!, 'dispatch.', optionalOrRequired),
    ),
  };
}

/** The `default` cell of an option every sink has, where it is not one fixed value. */
function commonSinkDefault(key: string, definitions: readonly AnySinkDefinition[]): string | undefined {
  if (key === 'type') return 'required';
  if (key === 'concurrency')
    return definitions.map((definition) => `${definition.type} ${definition.concurrency}`).join(', ');
  return key.startsWith('retry.') ? code('dispatch.retry') : undefined;
}

/**
 * The option tables of `docs/sinks.md`: `common` for the options every sink has, then one per sink type.
 *
 * @example
 * ```ts
 * sinkOptionsMarkdown().get('webhook'); // '| option | default | meaning |\n...'
 * ```
 */
export function sinkOptionsMarkdown(): Map<string, string> {
  const definitions = sinkDefinitions as readonly AnySinkDefinition[];
  const header = ['option', 'default', 'meaning'];
  const first = definitions[0]!;
  const common = Object.entries(shapeOf(sinkSchemaOf(first))!).filter(
    ([name]) => !(name in first.options.shape),
  );
  const tables = new Map<string, string>([
    [
      'common',
      table(
        header,
        optionRows(Object.fromEntries(common), '', optionalOrRequired).map(([key, fallback, meaning]) => [
          key!,
          commonSinkDefault(key!.slice(1, -1), definitions) ?? fallback!,
          key === code('type') ? definitions.map((definition) => code(definition.type)).join(', ') : meaning!,
        ]),
      ),
    ],
  ]);
  for (const definition of definitions) {
    const secrets = new Set<string>(definition.secrets);
    const rows = optionRows(definition.options.shape, '', optionalOrRequired).map(
      ([key, fallback, meaning]) => [
        key!,
        fallback!,
        secrets.has(key!.slice(1, -1)) ? `${meaning} A secret: a problem never quotes it.` : meaning!,
      ],
    );
    tables.set(definition.type, table(header, rows));
  }
  return tables;
}

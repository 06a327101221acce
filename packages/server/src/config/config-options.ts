import type { z } from 'zod';
import { baseOf, defaultOf, defOf, shapeOf } from './_schema-walk.js';
import { configFileSchema, optionRegistry } from './config-schema.js';

/** One gateway option that an environment variable and a flag can also set. */
export interface ConfigOption {
  /** Dotted key in the config file, e.g. `css.keys`. */
  key: string;
  /** Its environment variable, e.g. `LIVEHOOKS_CSS_KEYS`. */
  env: string;
  /** What it does, for the docs and the JSON Schema. */
  description: string;
  /** A short phrase for `--help`. */
  help: string;
  /** The default, in words; undefined when the option has none. */
  default: string | undefined;
  /** A switch: `true`/`false` rather than a value. */
  boolean: boolean;
  /** Its value is a secret. */
  secret: boolean;
}

function shown(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function optionsOf(shape: Readonly<Record<string, z.ZodType>>, prefix: string): ConfigOption[] {
  return Object.entries(shape).flatMap(([name, schema]) => {
    const meta = optionRegistry.get(schema);
    if (meta !== undefined) {
      return [
        {
          key: `${prefix}${name}`,
          env: meta.env,
          description: schema.description ?? '',
          help: meta.help,
          // `none` in words: an empty list of keys, say, is no default to show.
          default:
            meta.defaultText === 'none' ? undefined : (meta.defaultText ?? shown(defaultOf(schema)?.value)),
          boolean: defOf(baseOf(schema)).type === 'boolean',
          secret: meta.secret ?? false,
        },
      ];
    }
    const section = shapeOf(schema);
    return prefix === '' && section !== undefined ? optionsOf(section, `${name}.`) : [];
  });
}

/**
 * Every option an environment variable and a flag can also set, in config file order, derived from the
 * config schema: `docs/configuration.md` and the `livehooks serve` flags are generated from it.
 *
 * @example
 * ```ts
 * CONFIG_OPTIONS.find((option) => option.key === 'port'); // { env: 'LIVEHOOKS_PORT', default: '8080', ... }
 * ```
 */
export const CONFIG_OPTIONS: readonly ConfigOption[] = optionsOf(configFileSchema.shape, '');

import type { z } from 'zod';

// Reads the structure of the config schema (its wrappers, shapes and defaults) to derive the option list,
// the docs tables and the JSON Schema defaults from it.

interface Def {
  type: string;
  innerType?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  defaultValue?: unknown;
}

/** The definition of a schema: its kind and what it wraps. */
export function defOf(schema: z.ZodType | z.core.$ZodType): Def {
  return (schema as z.ZodType).def;
}

/** The schema under defaults, optionals and text preprocessing: what the value finally is. */
export function baseOf(schema: z.ZodType): z.ZodType {
  const def = defOf(schema);
  if (def.innerType !== undefined) return baseOf(def.innerType);
  if (def.type === 'pipe' && def.out !== undefined) return baseOf(def.out);
  return schema;
}

/** The object shape under defaults and optionals, if the schema is an object. */
export function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = defOf(baseOf(schema));
  return def.type === 'object' ? def.shape : undefined;
}

/** The default value a schema fills in when the option is left out, if any. */
export function defaultOf(schema: z.ZodType): { value: unknown } | undefined {
  const def = defOf(schema);
  if (def.type === 'default') return { value: def.defaultValue };
  return def.innerType === undefined ? undefined : defaultOf(def.innerType);
}

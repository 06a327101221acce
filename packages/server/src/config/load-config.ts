import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { z } from 'zod';
import { formatPath } from '../dispatch/_config-fields.js';
import { dispatchProblems, resolveSinks } from '../dispatch/dispatch-config.js';
import { ConfigError } from './config-error.js';
import { CONFIG_OPTIONS } from './config-options.js';
import { configFileSchema } from './config-schema.js';
import type { ServerConfig } from './server-config.js';

export { CONFIG_OPTIONS, type ConfigOption } from './config-options.js';

/** A partial configuration in the config file's shape (also how CLI flags are passed). */
export type ConfigInput = Record<string, unknown>;

/** Options for {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Environment variables; `LIVEHOOKS_*` are read. Usually `process.env`. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Path of a JSON config file. Default: `LIVEHOOKS_CONFIG` from `env`, else none. */
  file?: string;
  /** Overrides in the config file's shape, e.g. from CLI flags; `undefined` values are ignored. */
  flags?: ConfigInput;
  /** Resolves relative paths. Default `process.cwd()`. */
  cwd?: string;
}

/** Where a value came from; a problem names it. */
type Origin = { kind: 'file'; path: string } | { kind: 'env'; name: string } | { kind: 'flag' };

function isObject(value: unknown): value is ConfigInput {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Sections whose options are merged one by one across layers (`css`, `connections`, ...). */
const OPTION_SECTIONS = new Set(
  CONFIG_OPTIONS.filter((option) => option.key.includes('.')).map((option) => option.key.split('.')[0]!),
);

/**
 * Lays one source over the merged input, recording where each value came from. Options of a section
 * are merged one by one; any other value (a list of sinks, the `dispatch` section) is replaced whole.
 */
function layer(input: ConfigInput, origin: Origin, merged: ConfigInput, origins: Map<string, Origin>): void {
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (OPTION_SECTIONS.has(name) && isObject(value)) {
      const section = isObject(merged[name]) ? { ...merged[name] } : {};
      for (const [key, item] of Object.entries(value)) {
        if (item === undefined) continue;
        section[key] = item;
        origins.set(`${name}.${key}`, origin);
      }
      merged[name] = section;
    } else {
      merged[name] = value;
      origins.set(name, origin);
    }
  }
}

/** One problem line per issue (per unknown key), led by where the value came from. */
function problemsOf(
  issue: z.core.$ZodIssue,
  origins: ReadonlyMap<string, Origin>,
  merged: ConfigInput,
): string[] {
  const [section, key] = issue.path;
  const origin =
    origins.get(`${String(section)}.${String(key)}`) ?? origins.get(String(section)) ?? undefined;
  if (section === 'dispatch' || section === 'sinks') {
    const lead =
      origin?.kind === 'file' ? `config file ${origin.path}: ` : origin?.kind === 'flag' ? 'flag ' : '';
    return dispatchProblems(issue, merged.sinks).map((line) => `${lead}${line}`);
  }
  const paths =
    issue.code === 'unrecognized_keys' ? issue.keys.map((name) => [...issue.path, name]) : [issue.path];
  return paths.map((path) => {
    const at =
      origins.get(formatPath(path.slice(0, 2))) ?? origins.get(formatPath(path.slice(0, 1))) ?? origin;
    switch (at?.kind) {
      case 'env':
        return `${at.name}: ${issue.message}`;
      case 'file':
        return `config file ${at.path}: ${formatPath(path)}: ${issue.message}`;
      case 'flag':
        return `flag ${formatPath(path)}: ${issue.message}`;
      default:
        return `${formatPath(path)}: ${issue.message}`;
    }
  });
}

/** What a file system error code means for a file the user named. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file; check the path given to --config',
  EACCES: 'permission denied; the file must be readable by this user',
  EISDIR: 'is a directory, not a JSON file',
};

/** The config file as an object, or the problem that keeps it from being read. */
function readConfigFile(path: string): ConfigInput | string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    return `${FILE_ERRORS[code] ?? 'cannot be read'} (${code})`;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON (${(error as Error).message})`;
  }
  if (isObject(value)) return value;
  return `must hold a JSON object, got ${Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`}`;
}

/**
 * Loads and validates the gateway configuration from defaults, an optional JSON config file, `LIVEHOOKS_*`
 * environment variables and flag overrides, in that order of precedence (later wins), against the config
 * schema. Throws a {@link ConfigError} listing one line per problem.
 *
 * @example
 * ```ts
 * const config = loadConfig({ env: process.env, flags: { port: options.port } });
 * const server = await startServer(config);
 * ```
 */
export function loadConfig(options: LoadConfigOptions = {}): ServerConfig {
  const env = options.env ?? {};
  const cwd = options.cwd ?? process.cwd();
  const merged: ConfigInput = {};
  const origins = new Map<string, Origin>();

  const problems: string[] = [];

  const filePath = options.file ?? (env.LIVEHOOKS_CONFIG?.trim() || undefined);
  if (filePath !== undefined) {
    const file = readConfigFile(resolve(cwd, filePath));
    if (typeof file === 'string') problems.push(`config file ${resolve(cwd, filePath)}: ${file}`);
    else layer(file, { kind: 'file', path: filePath }, merged, origins);
  }
  for (const option of CONFIG_OPTIONS) {
    const value = env[option.env];
    if (value === undefined || value.trim() === '') continue;
    const [section, key] = option.key.split('.') as [string, string | undefined];
    const input = key === undefined ? { [section]: value } : { [section]: { [key]: value } };
    layer(input, { kind: 'env', name: option.env }, merged, origins);
  }
  if (options.flags !== undefined) layer(options.flags, { kind: 'flag' }, merged, origins);

  const result = configFileSchema.safeParse(merged, { reportInput: true });
  if (!result.success) {
    problems.push(...result.error.issues.flatMap((issue) => problemsOf(issue, origins, merged)));
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(problems);
  const { $schema: _schema, dataDir, databaseUrl, dashboardDir, dispatch, sinks, ...rest } = result.data;
  const resolvedDataDir = resolve(cwd, dataDir);
  // zod leaves an optional option out rather than setting it to undefined, as ServerConfig has it.
  return {
    ...(rest as Omit<ServerConfig, 'dataDir' | 'databaseUrl' | 'dashboardDir' | 'dispatch' | 'sinks'>),
    dataDir: resolvedDataDir,
    databaseUrl: databaseUrl ?? join(resolvedDataDir, 'livehooks.db'),
    ...(dashboardDir === undefined ? {} : { dashboardDir: resolve(cwd, dashboardDir) }),
    dispatch,
    sinks: resolveSinks(dispatch, sinks),
  };
}

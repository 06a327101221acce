import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_MAX_BODY_BYTES, isLivehooksError } from '@livehooks/core';
import { parseDispatchSections } from '../dispatch/dispatch-config.js';
import { parseDatabaseUrl } from '../store/database-url.js';
import { ConfigError } from './config-error.js';
import type { LogLevel, ServerConfig } from './server-config.js';

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

type Kind =
  | 'string'
  | 'port'
  | 'bool'
  | 'logLevel'
  | 'cssKeys'
  | 'trtcKeys'
  | 'apiToken'
  | 'ingestSecret'
  | { min: number; max: number };

/** One configuration option: its config-file key, its environment variable and its kind. */
export interface ConfigOption {
  /** Dotted key in the config file, e.g. `css.keys`. */
  key: string;
  env: string;
  kind: Kind;
}

const DAY_LIMIT = 36_500;

/** Every option the gateway reads; `docs/configuration.md` documents each (a test keeps them in step). */
export const CONFIG_OPTIONS: readonly ConfigOption[] = [
  { key: 'host', env: 'LIVEHOOKS_HOST', kind: 'string' },
  { key: 'port', env: 'LIVEHOOKS_PORT', kind: 'port' },
  { key: 'databaseUrl', env: 'LIVEHOOKS_DATABASE_URL', kind: 'string' },
  { key: 'dataDir', env: 'LIVEHOOKS_DATA_DIR', kind: 'string' },
  { key: 'dashboardDir', env: 'LIVEHOOKS_DASHBOARD_DIR', kind: 'string' },
  { key: 'apiToken', env: 'LIVEHOOKS_API_TOKEN', kind: 'apiToken' },
  { key: 'ingestSecret', env: 'LIVEHOOKS_INGEST_SECRET', kind: 'ingestSecret' },
  { key: 'logLevel', env: 'LIVEHOOKS_LOG_LEVEL', kind: 'logLevel' },
  { key: 'maxBodyBytes', env: 'LIVEHOOKS_MAX_BODY_BYTES', kind: { min: 1024, max: 64 * 1024 * 1024 } },
  { key: 'trustProxy', env: 'LIVEHOOKS_TRUST_PROXY', kind: 'bool' },
  { key: 'css.keys', env: 'LIVEHOOKS_CSS_KEYS', kind: 'cssKeys' },
  { key: 'css.allowUnsigned', env: 'LIVEHOOKS_CSS_ALLOW_UNSIGNED', kind: 'bool' },
  { key: 'css.rejectStale', env: 'LIVEHOOKS_CSS_REJECT_STALE', kind: 'bool' },
  { key: 'css.skewSeconds', env: 'LIVEHOOKS_CSS_SKEW_SECONDS', kind: { min: 0, max: 86_400 } },
  { key: 'trtc.keys', env: 'LIVEHOOKS_TRTC_KEYS', kind: 'trtcKeys' },
  { key: 'trtc.allowUnsigned', env: 'LIVEHOOKS_TRTC_ALLOW_UNSIGNED', kind: 'bool' },
  {
    key: 'connections.headersTimeoutMs',
    env: 'LIVEHOOKS_HEADERS_TIMEOUT_MS',
    kind: { min: 100, max: 600_000 },
  },
  {
    key: 'connections.requestTimeoutMs',
    env: 'LIVEHOOKS_REQUEST_TIMEOUT_MS',
    kind: { min: 100, max: 600_000 },
  },
  {
    key: 'connections.keepAliveTimeoutMs',
    env: 'LIVEHOOKS_KEEP_ALIVE_TIMEOUT_MS',
    kind: { min: 100, max: 600_000 },
  },
  { key: 'connections.max', env: 'LIVEHOOKS_MAX_CONNECTIONS', kind: { min: 1, max: 1_000_000 } },
  { key: 'commit.maxBatch', env: 'LIVEHOOKS_COMMIT_MAX_BATCH', kind: { min: 1, max: 10_000 } },
  { key: 'commit.maxQueue', env: 'LIVEHOOKS_COMMIT_MAX_QUEUE', kind: { min: 1, max: 1_000_000 } },
  { key: 'commit.timeoutMs', env: 'LIVEHOOKS_COMMIT_TIMEOUT_MS', kind: { min: 100, max: 60_000 } },
  { key: 'retention.eventDays', env: 'LIVEHOOKS_EVENT_RETENTION_DAYS', kind: { min: 1, max: DAY_LIMIT } },
  {
    key: 'retention.rejectionDays',
    env: 'LIVEHOOKS_REJECTION_RETENTION_DAYS',
    kind: { min: 1, max: DAY_LIMIT },
  },
  {
    key: 'retention.rejectionMaxRows',
    env: 'LIVEHOOKS_REJECTION_MAX_ROWS',
    kind: { min: 100, max: 10_000_000 },
  },
  { key: 'shutdownTimeoutMs', env: 'LIVEHOOKS_SHUTDOWN_TIMEOUT_MS', kind: { min: 0, max: 600_000 } },
];

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);
const INGEST_SECRET = /^[A-Za-z0-9_-]{16,128}$/;
const SDK_APP_ID = /^\d{1,20}$/;
const KEY_TEXT = /^[^\s,]{1,256}$/;

type Parsed = { value: unknown } | { problem: string };

function describe(value: unknown): string {
  return Array.isArray(value) ? 'a list' : value === null ? 'null' : `a ${typeof value}`;
}

function quote(value: unknown): string {
  return JSON.stringify(String(value).slice(0, 60));
}

function parseInteger(value: unknown, min: number, max: number, what: string): Parsed {
  const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value.trim()) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < min || number > max) {
    return {
      problem: `${typeof value === 'string' || typeof value === 'number' ? quote(value) : describe(value)} is not ${what} (an integer from ${min} to ${max})`,
    };
  }
  return { value: number };
}

function listOf(value: unknown): string[] | undefined {
  if (typeof value === 'string')
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.map((item) => item.trim()).filter((item) => item !== '');
  }
  return undefined;
}

function parseTrtcKeys(value: unknown): Parsed {
  let entries: [string, unknown][];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    entries = Object.entries(value);
  } else {
    const list = listOf(value);
    if (list === undefined)
      return { problem: `expected "sdkappid:key" entries separated by commas, got ${describe(value)}` };
    const pairs: [string, unknown][] = [];
    for (const [index, item] of list.entries()) {
      const colon = item.indexOf(':');
      if (colon <= 0) return { problem: `entry ${index + 1} is not "sdkappid:key" (the key is not shown)` };
      pairs.push([item.slice(0, colon).trim(), item.slice(colon + 1).trim()]);
    }
    entries = pairs;
  }
  // No prototype: the SdkAppId header of every TRTC callback is looked up here, and `__proto__` or
  // `constructor` must find nothing.
  const keys = Object.create(null) as Record<string, string>;
  for (const [sdkAppId, key] of entries) {
    if (!SDK_APP_ID.test(sdkAppId)) return { problem: `SdkAppId ${quote(sdkAppId)} is not a number` };
    if (typeof key !== 'string' || !KEY_TEXT.test(key)) {
      return {
        problem: `the key for SdkAppId ${sdkAppId} is empty or contains spaces or commas (the key is not shown)`,
      };
    }
    keys[sdkAppId] = key;
  }
  return { value: keys };
}

function parseValue(kind: Kind, value: unknown): Parsed {
  if (typeof kind === 'object') return parseInteger(value, kind.min, kind.max, 'a valid number');
  switch (kind) {
    case 'string':
      return typeof value === 'string' && value.trim() !== ''
        ? { value: value.trim() }
        : { problem: `expected a non-empty string, got ${describe(value)}` };
    case 'port':
      return parseInteger(value, 0, 65_535, 'a TCP port');
    case 'bool': {
      if (typeof value === 'boolean') return { value };
      const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
      if (TRUE.has(text)) return { value: true };
      if (FALSE.has(text)) return { value: false };
      return {
        problem: `${typeof value === 'string' ? quote(value) : describe(value)} is not a boolean (true or false)`,
      };
    }
    case 'logLevel':
      return typeof value === 'string' &&
        (LOG_LEVELS as readonly string[]).includes(value.trim().toLowerCase())
        ? { value: value.trim().toLowerCase() }
        : { problem: `${quote(value)} is not a log level (${LOG_LEVELS.join(', ')})` };
    case 'cssKeys': {
      const list = listOf(value);
      if (list === undefined) return { problem: `expected keys separated by commas, got ${describe(value)}` };
      const bad = list.findIndex((key) => !KEY_TEXT.test(key));
      return bad === -1
        ? { value: list }
        : { problem: `key ${bad + 1} contains spaces (the key is not shown)` };
    }
    case 'trtcKeys':
      return parseTrtcKeys(value);
    case 'apiToken':
      return typeof value === 'string' && /^\S{16,256}$/.test(value.trim())
        ? { value: value.trim() }
        : { problem: 'must be 16 to 256 characters without spaces (the value is not shown)' };
    case 'ingestSecret':
      return typeof value === 'string' && INGEST_SECRET.test(value.trim())
        ? { value: value.trim() }
        : { problem: 'must be 16 to 128 characters of A-Z a-z 0-9 _ - (the value is not shown)' };
  }
}

const DISPATCH_SECTIONS = new Set(['$schema', 'dispatch', 'sinks']);
const byKey = new Map(CONFIG_OPTIONS.map((option) => [option.key, option]));
const sections = new Set(CONFIG_OPTIONS.filter((o) => o.key.includes('.')).map((o) => o.key.split('.')[0]!));

/** Walks a config-file-shaped object into dotted keys; unknown keys become problems. */
function flatten(
  input: ConfigInput,
  label: (key: string) => string,
  into: Map<string, { value: unknown; source: string }>,
  problems: string[],
  prefix = '',
): void {
  for (const [name, value] of Object.entries(input)) {
    // `dispatch` and `sinks` are structured sections, validated by parseDispatchSections.
    if (value === undefined || (prefix === '' && DISPATCH_SECTIONS.has(name))) continue;
    const key = `${prefix}${name}`;
    if (byKey.has(key)) {
      into.set(key, { value, source: label(key) });
    } else if (
      prefix === '' &&
      sections.has(name) &&
      value !== null &&
      typeof value === 'object' &&
      !Array.isArray(value)
    ) {
      flatten(value as ConfigInput, label, into, problems, `${name}.`);
    } else {
      problems.push(`${label(key)}: unknown option (known: ${CONFIG_OPTIONS.map((o) => o.key).join(', ')})`);
    }
  }
}

/** What a file system error code means for a file the user named. */
const FILE_ERRORS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file; check the path given to --config',
  EACCES: 'permission denied; the file must be readable by this user',
  EISDIR: 'is a directory, not a JSON file',
};

function readConfigFile(path: string, problems: string[]): ConfigInput | undefined {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const reason = FILE_ERRORS[code] ?? 'cannot be read';
    problems.push(`config file ${path}: ${reason} (${code})`);
    return undefined;
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    problems.push(`config file ${path}: not valid JSON (${(error as Error).message})`);
    return undefined;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    problems.push(`config file ${path}: must hold a JSON object, got ${describe(value)}`);
    return undefined;
  }
  return value as ConfigInput;
}

/**
 * Loads and validates the gateway configuration from defaults, an optional JSON config file, `LIVEHOOKS_*`
 * environment variables and flag overrides, in that order of precedence (later wins). Throws a
 * {@link ConfigError} listing one line per problem.
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
  const problems: string[] = [];
  const values = new Map<string, { value: unknown; source: string }>();

  const filePath = options.file ?? (env.LIVEHOOKS_CONFIG?.trim() || undefined);
  let dispatchInput: unknown;
  let sinksInput: unknown;
  let dispatchLabel = 'flags';
  if (filePath !== undefined) {
    const path = resolve(cwd, filePath);
    const file = readConfigFile(path, problems);
    if (file !== undefined) flatten(file, (key) => `config file ${filePath}: ${key}`, values, problems);
    ({ dispatch: dispatchInput, sinks: sinksInput } = file ?? {});
    dispatchLabel = `config file ${filePath}`;
  }
  for (const option of CONFIG_OPTIONS) {
    const value = env[option.env];
    if (value !== undefined && value.trim() !== '') values.set(option.key, { value, source: option.env });
  }
  if (options.flags !== undefined) flatten(options.flags, (key) => `flag ${key}`, values, problems);
  if (options.flags?.dispatch !== undefined || options.flags?.sinks !== undefined) {
    dispatchInput = options.flags.dispatch ?? dispatchInput;
    sinksInput = options.flags.sinks ?? sinksInput;
    dispatchLabel = 'flags';
  }
  const {
    dispatch,
    sinks,
    problems: dispatchProblems,
  } = parseDispatchSections(dispatchInput, sinksInput, dispatchLabel);
  problems.push(...dispatchProblems);

  const parsed = new Map<string, unknown>();
  for (const [key, { value, source }] of values) {
    const result = parseValue(byKey.get(key)!.kind, value);
    if ('problem' in result) problems.push(`${source}: ${result.problem}`);
    else parsed.set(key, result.value);
  }
  const get = <T>(key: string, fallback: T): T => (parsed.has(key) ? (parsed.get(key) as T) : fallback);

  const dataDir = resolve(cwd, get('dataDir', './data'));
  const databaseUrl = get('databaseUrl', join(dataDir, 'livehooks.db'));
  try {
    parseDatabaseUrl(databaseUrl, cwd);
  } catch (error) {
    if (!isLivehooksError(error)) throw error;
    problems.push(`${values.get('databaseUrl')?.source ?? 'databaseUrl'}: ${error.message}`);
  }
  const headersTimeoutMs = get('connections.headersTimeoutMs', 3000);
  const requestTimeoutMs = get('connections.requestTimeoutMs', 4000);
  // Node refuses a headers timeout longer than the request timeout, which covers the headers too.
  if (headersTimeoutMs > requestTimeoutMs) {
    problems.push(
      `${values.get('connections.headersTimeoutMs')?.source ?? 'connections.headersTimeoutMs'}: ${headersTimeoutMs} exceeds connections.requestTimeoutMs (${requestTimeoutMs}); the request timeout covers the headers too`,
    );
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const config: ServerConfig = {
    host: get('host', '0.0.0.0'),
    port: get('port', 8080),
    databaseUrl,
    dataDir,
    logLevel: get('logLevel', 'info'),
    maxBodyBytes: get('maxBodyBytes', DEFAULT_MAX_BODY_BYTES),
    trustProxy: get('trustProxy', false),
    css: {
      keys: get('css.keys', []),
      allowUnsigned: get('css.allowUnsigned', false),
      rejectStale: get('css.rejectStale', false),
      skewSeconds: get('css.skewSeconds', 0),
    },
    trtc: { keys: get('trtc.keys', {}), allowUnsigned: get('trtc.allowUnsigned', false) },
    connections: {
      headersTimeoutMs,
      requestTimeoutMs,
      keepAliveTimeoutMs: get('connections.keepAliveTimeoutMs', 5000),
      max: get('connections.max', 1000),
    },
    commit: {
      maxBatch: get('commit.maxBatch', 1000),
      maxQueue: get('commit.maxQueue', 10_000),
      timeoutMs: get('commit.timeoutMs', 4000),
    },
    retention: {
      rejectionDays: get('retention.rejectionDays', 7),
      rejectionMaxRows: get('retention.rejectionMaxRows', 10_000),
    },
    shutdownTimeoutMs: get('shutdownTimeoutMs', 10_000),
    dispatch,
    sinks,
  };
  const apiToken = get<string | undefined>('apiToken', undefined);
  if (apiToken !== undefined) config.apiToken = apiToken;
  const ingestSecret = get<string | undefined>('ingestSecret', undefined);
  if (ingestSecret !== undefined) config.ingestSecret = ingestSecret;
  const dashboardDir = get<string | undefined>('dashboardDir', undefined);
  if (dashboardDir !== undefined) config.dashboardDir = resolve(cwd, dashboardDir);
  const eventDays = get<number | undefined>('retention.eventDays', undefined);
  if (eventDays !== undefined) config.retention.eventDays = eventDays;
  return config;
}

import { Option, type Command } from 'commander';

/** One gateway configuration option as a `livehooks serve` flag. */
export interface ConfigFlag {
  /** The config-file key (`css.keys`), as in `@livehooks/server`'s `CONFIG_OPTIONS`. */
  key: string;
  /** Its environment variable. */
  env: string;
  description: string;
  /** A switch (`--trust-proxy`, `--trust-proxy false`) rather than a value. */
  boolean?: boolean;
  /** A secret: the help advises the environment variable, which `ps` does not show. */
  secret?: boolean;
}

/**
 * Every gateway option, in `CONFIG_OPTIONS` order; a test fails when the server adds one that is
 * missing here. Flag names are the keys in kebab case: `css.keys` -> `--css-keys`.
 */
export const CONFIG_FLAGS: readonly ConfigFlag[] = [
  {
    key: 'host',
    env: 'LIVEHOOKS_HOST',
    description: 'interface to listen on (default 0.0.0.0; 127.0.0.1 with --dev)',
  },
  { key: 'port', env: 'LIVEHOOKS_PORT', description: 'TCP port (default 8080; 0 picks a free one)' },
  {
    key: 'databaseUrl',
    env: 'LIVEHOOKS_DATABASE_URL',
    description: 'a SQLite path or sqlite: URL, or a postgres:// URL (default <data-dir>/livehooks.db)',
  },
  {
    key: 'dataDir',
    env: 'LIVEHOOKS_DATA_DIR',
    description: 'directory for the SQLite database and the generated API token (default ./data)',
  },
  {
    key: 'dashboardDir',
    env: 'LIVEHOOKS_DASHBOARD_DIR',
    description: "directory of the built dashboard served at / (default: the dashboard package's dist)",
  },
  {
    key: 'apiToken',
    env: 'LIVEHOOKS_API_TOKEN',
    description: 'bearer token of the API (default: generated once, kept in <data-dir>/api-token)',
    secret: true,
  },
  {
    key: 'ingestSecret',
    env: 'LIVEHOOKS_INGEST_SECRET',
    description:
      'path secret: callbacks also accepted under /callbacks/<secret>, unsigned CSS 314/321/328 included',
    secret: true,
  },
  {
    key: 'logLevel',
    env: 'LIVEHOOKS_LOG_LEVEL',
    description: 'fatal, error, warn, info, debug, trace or silent (default info)',
  },
  {
    key: 'maxBodyBytes',
    env: 'LIVEHOOKS_MAX_BODY_BYTES',
    description: 'largest accepted callback body (default 1048576)',
  },
  {
    key: 'trustProxy',
    env: 'LIVEHOOKS_TRUST_PROXY',
    description: 'take client addresses from X-Forwarded-For',
    boolean: true,
  },
  {
    key: 'css.keys',
    env: 'LIVEHOOKS_CSS_KEYS',
    description: 'CSS callback keys, comma-separated (several during a rotation)',
    secret: true,
  },
  {
    key: 'css.allowUnsigned',
    env: 'LIVEHOOKS_CSS_ALLOW_UNSIGNED',
    description: 'accept CSS callbacks without t/sign on every ingest URL',
    boolean: true,
  },
  {
    key: 'css.rejectStale',
    env: 'LIVEHOOKS_CSS_REJECT_STALE',
    description: 'refuse CSS callbacks whose expiry t has passed, instead of keeping them flagged stale',
    boolean: true,
  },
  {
    key: 'css.skewSeconds',
    env: 'LIVEHOOKS_CSS_SKEW_SECONDS',
    description: 'seconds past t before a CSS callback counts as stale (default 0)',
  },
  {
    key: 'trtc.keys',
    env: 'LIVEHOOKS_TRTC_KEYS',
    description: 'TRTC callback keys, comma-separated sdkappid:key',
    secret: true,
  },
  {
    key: 'trtc.allowUnsigned',
    env: 'LIVEHOOKS_TRTC_ALLOW_UNSIGNED',
    description: 'accept TRTC callbacks without a Sign header',
    boolean: true,
  },
  {
    key: 'connections.headersTimeoutMs',
    env: 'LIVEHOOKS_HEADERS_TIMEOUT_MS',
    description: 'how long a client may take to send its request headers before 408 (default 3000)',
  },
  {
    key: 'connections.requestTimeoutMs',
    env: 'LIVEHOOKS_REQUEST_TIMEOUT_MS',
    description: 'how long a client may take to send the whole request before 408 (default 4000)',
  },
  {
    key: 'connections.keepAliveTimeoutMs',
    env: 'LIVEHOOKS_KEEP_ALIVE_TIMEOUT_MS',
    description: 'how long an idle keep-alive connection stays open (default 5000)',
  },
  {
    key: 'connections.max',
    env: 'LIVEHOOKS_MAX_CONNECTIONS',
    description: 'most open connections; more are closed at once (default 1000)',
  },
  {
    key: 'commit.maxBatch',
    env: 'LIVEHOOKS_COMMIT_MAX_BATCH',
    description: 'most callbacks per group-commit transaction (default 1000)',
  },
  {
    key: 'commit.maxQueue',
    env: 'LIVEHOOKS_COMMIT_MAX_QUEUE',
    description: 'most callbacks waiting for a commit before 503 (default 10000)',
  },
  {
    key: 'commit.timeoutMs',
    env: 'LIVEHOOKS_COMMIT_TIMEOUT_MS',
    description: 'how long a callback waits for its commit before 503 (default 4000)',
  },
  {
    key: 'retention.eventDays',
    env: 'LIVEHOOKS_EVENT_RETENTION_DAYS',
    description: 'delete events older than this many days (default: keep all)',
  },
  {
    key: 'retention.rejectionDays',
    env: 'LIVEHOOKS_REJECTION_RETENTION_DAYS',
    description: 'delete rejection records older than this many days (default 7)',
  },
  {
    key: 'retention.rejectionMaxRows',
    env: 'LIVEHOOKS_REJECTION_MAX_ROWS',
    description: 'keep at most this many rejection records (default 10000)',
  },
  {
    key: 'shutdownTimeoutMs',
    env: 'LIVEHOOKS_SHUTDOWN_TIMEOUT_MS',
    description: 'how long a graceful shutdown waits for in-flight requests (default 10000)',
  },
];

/** `css.allowUnsigned` -> `css-allow-unsigned`. */
export function flagName(key: string): string {
  return key.replace(/\./g, '-').replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

/** `css-allow-unsigned` -> the property commander stores it under: `cssAllowUnsigned`. */
function attributeName(key: string): string {
  return flagName(key).replace(/-([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** Adds `--config` and the given configuration flags to a command. */
export function addConfigFlags(command: Command, flags: readonly ConfigFlag[] = CONFIG_FLAGS): Command {
  command.option('--config <file>', 'JSON config file (default: LIVEHOOKS_CONFIG)');
  for (const flag of flags) {
    const description = `${flag.description} [${flag.env}]${flag.secret ? ' (prefer the variable: flags show in ps)' : ''}`;
    command.addOption(
      new Option(`--${flagName(flag.key)} ${flag.boolean ? '[true|false]' : '<value>'}`, description),
    );
  }
  return command;
}

/** The configuration flags given, in the config file's nested shape that `loadConfig({ flags })` takes. */
export function configFromFlags(
  options: Record<string, unknown>,
  flags: readonly ConfigFlag[] = CONFIG_FLAGS,
): Record<string, unknown> {
  const config: Record<string, unknown> = {};
  for (const flag of flags) {
    const value = options[attributeName(flag.key)];
    if (value === undefined) continue;
    const dot = flag.key.indexOf('.');
    const target = dot === -1 ? config : ((config[flag.key.slice(0, dot)] ??= {}) as Record<string, unknown>);
    target[flag.key.slice(dot + 1)] = value;
  }
  return config;
}

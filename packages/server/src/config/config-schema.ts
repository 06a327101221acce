import { DEFAULT_MAX_BODY_BYTES } from '@livehooks/core';
import { z } from 'zod';
import { strictSection } from '../dispatch/_config-fields.js';
import { dispatchSections } from '../dispatch/dispatch-config.js';
import { databaseUrlProblem } from '../store/database-url.js';
import {
  booleanOption,
  choiceOption,
  integerOption,
  keyListOption,
  secretOption,
  textOption,
  trtcKeysOption,
} from './_option-fields.js';

/** How an option is also set from the environment and the command line. */
export interface OptionMeta {
  /** Its environment variable. */
  env: string;
  /** A short phrase for `livehooks serve --help`; the default is appended. */
  help: string;
  /** The default in words, where it is not a fixed value (`generated`, `<dataDir>/livehooks.db`). */
  defaultText?: string;
  /** Its value is a secret: flags show in `ps`, so the help advises the variable. */
  secret?: boolean;
}

/** The environment variable, flag help and secrecy of each option, keyed by its schema. */
export const optionRegistry = z.registry<OptionMeta>();

/** Declares an option: `description` documents it (docs, JSON Schema), `meta` names its variable. */
function option<Schema extends z.ZodType>(schema: Schema, description: string, meta: OptionMeta): Schema {
  const described = schema.describe(description);
  optionRegistry.add(described, meta);
  return described;
}

const DAY_LIMIT = 36_500;

/** The pino log levels. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Top-level options: where the gateway listens and stores, its tokens, logs and limits. */
const serverOptions = {
  host: option(
    textOption().default('0.0.0.0'),
    'Interface to listen on. Tencent must be able to reach it; use `127.0.0.1` for local work.',
    { env: 'LIVEHOOKS_HOST', help: 'interface to listen on' },
  ),
  port: option(integerOption(0, 65_535, 'a TCP port').default(8080), 'TCP port; `0` picks a free one.', {
    env: 'LIVEHOOKS_PORT',
    help: 'TCP port; 0 picks a free one',
  }),
  databaseUrl: option(
    textOption()
      .superRefine((url, context) => {
        const problem = databaseUrlProblem(url);
        if (problem !== undefined) context.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    'Where events are stored: a SQLite path or `sqlite:` URL, or a `postgres://` URL (see [Database URLs](#database-urls)).',
    {
      env: 'LIVEHOOKS_DATABASE_URL',
      help: 'a SQLite path or sqlite: URL, or a postgres:// URL',
      defaultText: '<dataDir>/livehooks.db',
    },
  ),
  dataDir: option(
    textOption().default('./data'),
    'Directory of the default SQLite database and of the generated API token (`api-token`).',
    { env: 'LIVEHOOKS_DATA_DIR', help: 'directory for the SQLite database and the generated API token' },
  ),
  dashboardDir: option(
    textOption().optional(),
    'Directory of the built dashboard served at `/` (default: the `dist` folder of the `@livehooks/dashboard` package the gateway depends on). When it is missing, `/` answers a short text saying how to get one.',
    {
      env: 'LIVEHOOKS_DASHBOARD_DIR',
      help: 'directory of the built dashboard served at /',
      defaultText: "the dashboard package's dist",
    },
  ),
  apiToken: option(
    secretOption(/^\S{16,256}$/, 'must be 16 to 256 characters without spaces').optional(),
    'Bearer token of the query API, 16 to 256 characters. When unset, a token is generated on first start, kept in `<dataDir>/api-token` (mode 0600) and printed.',
    {
      env: 'LIVEHOOKS_API_TOKEN',
      help: 'bearer token of the API',
      defaultText: 'generated once, kept in <dataDir>/api-token',
      secret: true,
    },
  ),
  ingestSecret: option(
    secretOption(/^[A-Za-z0-9_-]{16,128}$/, 'must be 16 to 128 characters of A-Z a-z 0-9 _ -').optional(),
    'A path secret, 16 to 128 characters of `A-Z a-z 0-9 _ -`. Callbacks are then also accepted under `/callbacks/<secret>` (and `/css`, `/trtc` below it), where unsigned CSS callbacks are allowed. The secret is redacted (`***`) from stored paths and logs.',
    {
      env: 'LIVEHOOKS_INGEST_SECRET',
      help: 'path secret: callbacks also accepted under /callbacks/<secret>, unsigned CSS 314/321/328 included',
      defaultText: 'none',
      secret: true,
    },
  ),
  logLevel: option(
    choiceOption(LOG_LEVELS, 'a log level').default('info'),
    '`fatal`, `error`, `warn`, `info`, `debug`, `trace` or `silent`. `info` logs one line per request (method, path with the secret redacted, status, latency, event type, outcome); bodies are never logged.',
    { env: 'LIVEHOOKS_LOG_LEVEL', help: LOG_LEVELS.join(', ') },
  ),
  maxBodyBytes: option(
    integerOption(1024, 64 * 1024 * 1024).default(DEFAULT_MAX_BODY_BYTES),
    'Largest callback body in bytes; larger ones get 413 `LH_ERR_BODY_TOO_LARGE`.',
    { env: 'LIVEHOOKS_MAX_BODY_BYTES', help: 'largest accepted callback body in bytes' },
  ),
  trustProxy: option(
    booleanOption().default(false),
    'Take the client address from `X-Forwarded-For` (behind a load balancer). Affects the address kept in rejection records.',
    { env: 'LIVEHOOKS_TRUST_PROXY', help: 'take client addresses from X-Forwarded-For' },
  ),
};

/** `css`: how CSS callbacks are authenticated. */
const cssSection = strictSection({
  keys: option(
    keyListOption().default([]),
    'CSS callback keys (the `CallbackKey` of the callback template); several during a key rotation. In the environment: separated by commas.',
    {
      env: 'LIVEHOOKS_CSS_KEYS',
      help: 'CSS callback keys, comma-separated (several during a rotation)',
      defaultText: 'none',
      secret: true,
    },
  ),
  allowUnsigned: option(
    booleanOption().default(false),
    'Accept CSS callbacks that carry no `t`/`sign` on every ingest URL. Off by default: CSS 314, 321 and 328 are never signed and are accepted only on the secret URL.',
    { env: 'LIVEHOOKS_CSS_ALLOW_UNSIGNED', help: 'accept CSS callbacks without t/sign on every ingest URL' },
  ),
  rejectStale: option(
    booleanOption().default(false),
    'Refuse (401 `LH_ERR_CSS_SIGN_EXPIRED`) correctly signed CSS callbacks whose expiry `t` has passed. By default they are stored and flagged `stale`: Tencent may retry past `t`.',
    {
      env: 'LIVEHOOKS_CSS_REJECT_STALE',
      help: 'refuse CSS callbacks whose expiry t has passed, instead of keeping them flagged stale',
    },
  ),
  skewSeconds: option(
    integerOption(0, 86_400).default(0),
    'Seconds past `t` before a CSS callback counts as stale.',
    { env: 'LIVEHOOKS_CSS_SKEW_SECONDS', help: 'seconds past t before a CSS callback counts as stale' },
  ),
})
  .prefault({})
  .describe('CSS (Cloud Streaming Services) callbacks.');

/** `trtc`: how TRTC callbacks are authenticated. */
const trtcSection = strictSection({
  keys: option(
    trtcKeysOption().default({}),
    'TRTC callback key per SdkAppId: an object `{ "1400000001": "key" }` or a list of `"sdkappid:key"`. In the environment: `sdkappid:key` pairs separated by commas.',
    {
      env: 'LIVEHOOKS_TRTC_KEYS',
      help: 'TRTC callback keys, comma-separated sdkappid:key',
      defaultText: 'none',
      secret: true,
    },
  ),
  allowUnsigned: option(
    booleanOption().default(false),
    'Accept TRTC callbacks without a `Sign` header (only for apps with no callback key set in the console).',
    { env: 'LIVEHOOKS_TRTC_ALLOW_UNSIGNED', help: 'accept TRTC callbacks without a Sign header' },
  ),
})
  .prefault({})
  .describe('TRTC (Real-Time Communication) callbacks.');

/** `connections`: limits that keep slow and idle clients from holding the gateway. */
const connectionsSection = strictSection({
  headersTimeoutMs: option(
    integerOption(100, 600_000).default(3000),
    'How long a client may take to send its request headers, in ms; then it gets 408 `LH_ERR_REQUEST_TIMEOUT` and the connection is closed. At most `connections.requestTimeoutMs`.',
    {
      env: 'LIVEHOOKS_HEADERS_TIMEOUT_MS',
      help: 'how long a client may take to send its request headers before 408, in ms',
    },
  ),
  requestTimeoutMs: option(
    integerOption(100, 600_000).default(4000),
    'How long a client may take to send the whole request, headers and body, in ms (TRTC waits 5 s for the answer, CSS 20 s); then 408 and the connection is closed.',
    {
      env: 'LIVEHOOKS_REQUEST_TIMEOUT_MS',
      help: 'how long a client may take to send the whole request before 408, in ms',
    },
  ),
  keepAliveTimeoutMs: option(
    integerOption(100, 600_000).default(5000),
    "How long an idle keep-alive connection stays open between requests, in ms. Behind a load balancer that reuses connections, set it above the balancer's idle timeout.",
    {
      env: 'LIVEHOOKS_KEEP_ALIVE_TIMEOUT_MS',
      help: 'how long an idle keep-alive connection stays open, in ms',
    },
  ),
  max: option(
    integerOption(1, 1_000_000).default(1000),
    "Most open connections; beyond it new connections are closed at once (the sender retries). Keep it below the process's file descriptor limit (`ulimit -n`) minus room for database and sink connections.",
    { env: 'LIVEHOOKS_MAX_CONNECTIONS', help: 'most open connections; more are closed at once' },
  ),
})
  .check(
    // Node refuses a headers timeout longer than the request timeout, which covers the headers too.
    z.superRefine(
      (connections: { headersTimeoutMs: unknown; requestTimeoutMs: unknown }, context) => {
        const { headersTimeoutMs, requestTimeoutMs } = connections;
        if (
          typeof headersTimeoutMs === 'number' &&
          typeof requestTimeoutMs === 'number' &&
          headersTimeoutMs > requestTimeoutMs
        ) {
          context.addIssue({
            code: 'custom',
            path: ['headersTimeoutMs'],
            message: `${headersTimeoutMs} exceeds connections.requestTimeoutMs (${requestTimeoutMs}); the request timeout covers the headers too`,
          });
        }
      },
      { when: () => true },
    ),
  )
  .prefault({})
  .describe('Connection limits; see [Slow and idle connections](#slow-and-idle-connections).');

/** `commit`: the group commit that makes each callback durable before it is answered. */
const commitSection = strictSection({
  maxBatch: option(
    integerOption(1, 10_000).default(1000),
    'Most callbacks (and rejection records) committed in one transaction.',
    { env: 'LIVEHOOKS_COMMIT_MAX_BATCH', help: 'most callbacks per group-commit transaction' },
  ),
  maxQueue: option(
    integerOption(1, 1_000_000).default(10_000),
    'Most callbacks waiting for a commit; beyond it callbacks get 503 at once and Tencent retries.',
    { env: 'LIVEHOOKS_COMMIT_MAX_QUEUE', help: 'most callbacks waiting for a commit before 503' },
  ),
  timeoutMs: option(
    integerOption(100, 60_000).default(4000),
    'How long a callback waits for its commit before it is answered 503, in ms (TRTC gives up after 5 s).',
    {
      env: 'LIVEHOOKS_COMMIT_TIMEOUT_MS',
      help: 'how long a callback waits for its commit before 503, in ms',
    },
  ),
})
  .prefault({})
  .describe('The group commit.');

/** `retention`: what is pruned, and when. */
const retentionSection = strictSection({
  eventDays: option(
    integerOption(1, DAY_LIMIT).optional(),
    'Delete events received more than this many days ago (applied every 10 minutes and by `livehooks db prune`).',
    {
      env: 'LIVEHOOKS_EVENT_RETENTION_DAYS',
      help: 'delete events older than this many days',
      defaultText: 'keep all',
    },
  ),
  rejectionDays: option(
    integerOption(1, DAY_LIMIT).default(7),
    'Delete rejection records older than this many days.',
    {
      env: 'LIVEHOOKS_REJECTION_RETENTION_DAYS',
      help: 'delete rejection records older than this many days',
    },
  ),
  rejectionMaxRows: option(
    integerOption(100, 10_000_000).default(10_000),
    'Keep at most this many rejection records (the newest).',
    { env: 'LIVEHOOKS_REJECTION_MAX_ROWS', help: 'keep at most this many rejection records' },
  ),
})
  .prefault({})
  .describe('Pruning of old events and rejection records.');

/**
 * The config file (`livehooks.config.json`), section by section. Validation, the `ServerConfig` type, the
 * JSON Schema editors complete the file with, `docs/configuration.md`, the environment variables and the
 * `livehooks serve` flags all derive from it.
 *
 * @example
 * ```ts
 * const result = configFileSchema.safeParse(JSON.parse(text));
 * ```
 */
export const configFileSchema = strictSection({
  $schema: z
    .string()
    .optional()
    .describe(
      'The JSON Schema of this file, for editors: `./node_modules/@livehooks/server/config.schema.json`.',
    ),
  ...serverOptions,
  css: cssSection,
  trtc: trtcSection,
  connections: connectionsSection,
  commit: commitSection,
  retention: retentionSection,
  shutdownTimeoutMs: option(
    integerOption(0, 600_000).default(10_000),
    'On SIGTERM/SIGINT the gateway stops accepting connections, commits and answers what is in flight, then closes; connections still open after this many ms are closed.',
    {
      env: 'LIVEHOOKS_SHUTDOWN_TIMEOUT_MS',
      help: 'how long a graceful shutdown waits for in-flight requests, in ms',
    },
  ),
  ...dispatchSections,
}).meta({
  title: 'livehooks gateway configuration',
  description:
    'The config file of `livehooks serve`; environment variables and flags override it. See docs/configuration.md.',
});

/** The config file as validated, before paths are resolved. */
export type ConfigFile = z.output<typeof configFileSchema>;

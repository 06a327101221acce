import type { DispatchConfig, SinkConfig } from '../dispatch/dispatch-config.js';

/** pino log levels. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/**
 * The gateway's validated configuration, as {@link loadConfig} returns it. `docs/configuration.md`
 * documents every field with its environment variable and default.
 */
export interface ServerConfig {
  /** Interface to listen on. Default `0.0.0.0` (Tencent must reach it). */
  host: string;
  /** TCP port. Default 8080; 0 picks a free port. */
  port: number;
  /** A SQLite path or `sqlite:` URL, or a `postgres://` URL. Default `<dataDir>/livehooks.db`. */
  databaseUrl: string;
  /** Directory for the SQLite database and the generated API token. Default `./data`. */
  dataDir: string;
  /** The built dashboard served at `/`. Default: the `dist` folder of the installed `@livehooks/dashboard` package. */
  dashboardDir?: string;
  /** Bearer token of the API; generated and kept in `<dataDir>/api-token` when unset. */
  apiToken?: string;
  /** Path secret: callbacks are also accepted under `/callbacks/<secret>`, where unsigned CSS events are allowed. */
  ingestSecret?: string;
  logLevel: LogLevel;
  /** Largest accepted callback body. Default 1 MiB. */
  maxBodyBytes: number;
  /** Take the client address from `X-Forwarded-For` (behind a load balancer). Default false. */
  trustProxy: boolean;
  css: {
    /** CSS callback keys; several during a rotation. */
    keys: string[];
    /** Accept CSS callbacks without `t`/`sign` on every ingest URL. Default false. */
    allowUnsigned: boolean;
    /** Refuse callbacks whose expiry `t` has passed instead of storing them flagged `stale`. Default false. */
    rejectStale: boolean;
    /** Seconds past `t` before a callback counts as stale. Default 0. */
    skewSeconds: number;
  };
  trtc: {
    /** TRTC callback key per SdkAppId. */
    keys: Record<string, string>;
    /** Accept TRTC callbacks without a `Sign` header. Default false. */
    allowUnsigned: boolean;
  };
  connections: {
    /** How long a client may take to send the request headers before the connection is closed. Default 3000 ms. */
    headersTimeoutMs: number;
    /** How long a client may take to send the whole request, headers and body. Default 4000 ms. */
    requestTimeoutMs: number;
    /** How long an idle keep-alive connection stays open between requests. Default 5000 ms. */
    keepAliveTimeoutMs: number;
    /** Most open connections; beyond it, new connections are closed at once. Default 1000. */
    max: number;
  };
  commit: {
    /** Most items per group-commit transaction. Default 1000. */
    maxBatch: number;
    /** Most items waiting for a commit; beyond it callbacks get 503 at once. Default 10 000. */
    maxQueue: number;
    /** How long a callback waits for its commit before it is answered 503. Default 4000 ms. */
    timeoutMs: number;
  };
  retention: {
    /** Delete events older than this many days. Default: keep every event. */
    eventDays?: number;
    /** Delete rejection records older than this many days. Default 7. */
    rejectionDays: number;
    /** Keep at most this many rejection records. Default 10 000. */
    rejectionMaxRows: number;
  };
  /** How long a graceful shutdown waits for in-flight requests before closing anyway. Default 10 000 ms. */
  shutdownTimeoutMs: number;
  /** The dispatcher (`dispatch` in the config file): stale events, polling, leases, default retries. */
  dispatch: DispatchConfig;
  /** Where events are delivered (`sinks` in the config file); `docs/sinks.md` documents each type. */
  sinks: SinkConfig[];
}

import type { SinkConfig } from '../dispatch/dispatch-config.js';
import type { ConfigFile, LOG_LEVELS } from './config-schema.js';

/** pino log levels. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Optional fields hold a value when present (`exactOptionalPropertyTypes`), in sections too. */
type Present<T> = {
  [K in keyof T]: Exclude<T[K], undefined> extends infer V
    ? V extends readonly unknown[]
      ? V
      : V extends Record<string, unknown>
        ? Present<V>
        : V
    : never;
};

/**
 * The gateway's validated configuration, as {@link loadConfig} returns it: the config file's shape with
 * defaults filled in, paths resolved and each sink's retry schedule completed from `dispatch.retry`.
 * `docs/configuration.md` documents every field with its environment variable and default.
 */
export type ServerConfig = Present<
  Omit<ConfigFile, '$schema' | 'databaseUrl' | 'sinks'> & {
    /** A SQLite path or `sqlite:` URL, or a `postgres://` URL; default `<dataDir>/livehooks.db`. */
    databaseUrl: string;
    /** Where events are delivered (`sinks` in the config file); `docs/sinks.md` documents each type. */
    sinks: SinkConfig[];
  }
>;

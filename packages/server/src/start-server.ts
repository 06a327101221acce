import { networkInterfaces } from 'node:os';
import type { Logger } from 'pino';
import { resolveApiToken, type ApiTokenResolution } from './config/resolve-api-token.js';
import type { ServerConfig } from './config/server-config.js';
import { createLogger } from './http/create-logger.js';
import { createServer, type LivehooksServer } from './create-server.js';
import { protectionWarnings } from './protection-warnings.js';
import { redactDatabaseUrl } from './store/database-url.js';

/** Options for {@link startServer}. */
export interface StartServerOptions {
  /** Default: a pino logger at `config.logLevel` on stdout ({@link createLogger}). */
  logger?: Logger;
  /**
   * Shut down gracefully on SIGTERM and SIGINT, then exit the process (a second signal exits at once).
   * Default true.
   */
  handleSignals?: boolean;
}

/** A listening gateway. */
export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8080` (a wildcard host is shown as 127.0.0.1). */
  url: string;
  /** The host it is bound to, as configured: `127.0.0.1`, `0.0.0.0`, `::`, ... */
  host: string;
  /** The port it is bound to (the one the system chose when configured as 0). */
  port: number;
  /** Whether it listens on every interface (host `0.0.0.0`, `::` or empty). */
  everyInterface: boolean;
  /**
   * The base URLs it can be reached at: `url` alone for a specific host; for every interface, loopback and
   * each address of this machine's network interfaces.
   */
  urls: string[];
  /** Where the query API is: `<url>/api`. */
  apiUrl: string;
  /** The API bearer token. */
  apiToken: string;
  /** Where the token came from: `config`, `file` (kept under the data dir) or `generated` (just now). */
  apiTokenSource: ApiTokenResolution['source'];
  /**
   * A one-time link that signs the dashboard in: `<url>/#signin=<code>`, valid once for 10 minutes, on this
   * gateway only (the code is kept in its memory). The fragment never reaches a server or a log.
   */
  signInUrl: string;
  /** The protections left off by the configuration (also logged as warnings). */
  warnings: string[];
  /** The underlying server: Fastify app, store, metrics. */
  server: LivehooksServer;
  /** Graceful shutdown; see {@link LivehooksServer.close}. Idempotent. */
  close(): Promise<void>;
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The addresses a wildcard bind reaches: loopback first, then every interface's (IPv6 only on `::`). */
function interfaceAddresses(host: string): string[] {
  const addresses = Object.values(networkInterfaces())
    .flatMap((entries) => entries ?? [])
    .filter((entry) => !entry.internal)
    .filter((entry) => entry.family === 'IPv4' || (host === '::' && !entry.address.startsWith('fe80:')))
    .map((entry) => entry.address);
  return ['127.0.0.1', ...addresses];
}

/**
 * Starts the gateway: opens and migrates the store, resolves the API token (generating and keeping one
 * under the data directory when none is configured), warns about protections left off, and listens.
 *
 * @example
 * ```ts
 * const config = loadConfig({ env: process.env });
 * const { url, apiToken } = await startServer(config);
 * console.log(`callbacks: ${url}/callbacks  API token: ${apiToken}`);
 * ```
 */
export async function startServer(
  config: ServerConfig,
  options: StartServerOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const token = resolveApiToken(config);
  const server = await createServer({ config, logger, apiToken: token.token });
  const warnings = protectionWarnings(config);
  for (const warning of warnings) logger.warn({ protection: 'off' }, warning);

  const forceAfter = (): NodeJS.Timeout => {
    const timer = setTimeout(() => {
      logger.warn({ timeoutMs: config.shutdownTimeoutMs }, 'shutdown timeout: closing remaining connections');
      server.app.server.closeAllConnections();
    }, config.shutdownTimeoutMs);
    timer.unref();
    return timer;
  };
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const timer = forceAfter();
      try {
        await server.close();
      } finally {
        clearTimeout(timer);
      }
    })();
    return closing;
  };

  try {
    await server.app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await server.close();
    throw error;
  }
  const address = server.app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const everyInterface = isWildcard(config.host);
  const url = `http://${everyInterface ? '127.0.0.1' : urlHost(config.host)}:${port}`;
  const urls = everyInterface
    ? interfaceAddresses(config.host).map((address) => `http://${urlHost(address)}:${port}`)
    : [url];
  logger.info(
    {
      url,
      host: config.host,
      port,
      database: redactDatabaseUrl(config.databaseUrl),
      store: server.store.dialect,
    },
    'livehooks gateway listening',
  );

  if (options.handleSignals ?? true) {
    let signalled = false;
    // Log lines are written asynchronously: flush them before the process ends.
    const exit = (code: number): void => logger.flush(() => process.exit(code));
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        logger.warn({ signal }, 'second signal: exiting now');
        exit(1);
        return;
      }
      signalled = true;
      logger.info({ signal }, 'shutting down: finishing in-flight callbacks');
      close().then(
        () => {
          logger.info('shut down');
          exit(0);
        },
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  }

  return {
    url,
    host: config.host,
    port,
    everyInterface,
    urls,
    apiUrl: `${url}/api`,
    apiToken: token.token,
    apiTokenSource: token.source,
    signInUrl: `${url}/#signin=${server.signInCodes.issue()}`,
    warnings,
    server,
    close,
  };
}

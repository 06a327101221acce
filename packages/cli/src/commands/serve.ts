import { TEST_KEYS } from '@livehooks/fixtures';
import { join } from 'node:path';
import { Command } from 'commander';
import { CliError } from '../_cli-error.js';
import { addConfigFlags, configFromFlags } from '../_config-flags.js';
import { rememberGateway } from '../_gateway-options.js';
import { printJsonLine, printLine, style } from '../_output.js';
import { describeStoreError } from '../_store-error.js';
import { withHelp } from '../_command-help.js';
import { exitCodes } from '../exit-codes.js';

interface ServeFlags extends Record<string, unknown> {
  config?: string;
  dev?: boolean;
  json?: boolean;
}

const DEV_WARNING =
  'development mode: callbacks signed with the published test keys, and CSS callbacks without a signature, are accepted; anyone who reaches the gateway can forge them. Never use --dev where Tencent or the internet can reach the gateway.';

/** Whether a host only this machine can reach. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\./.test(host);
}

/** Why a listen failed, in words, with what to do. */
function describeListenError(code: string | undefined, host: string): string {
  switch (code) {
    case 'EADDRINUSE':
      return 'the port is already in use (another gateway?); choose another with --port, or --port 0 for any free one';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges); choose a port above 1023 with --port';
    case 'EADDRNOTAVAIL':
      return `${host} is not an address of this machine; choose one with --host (0.0.0.0 for every interface)`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `the host name ${host} does not resolve; choose an address with --host`;
    default:
      return code ?? 'unknown error';
  }
}

async function serve(flags: ServeFlags): Promise<void> {
  const { API_TOKEN_FILE, createLogger, loadConfig, redactDatabaseUrl, startServer } =
    await import('@livehooks/server');
  const overrides = configFromFlags(flags);
  // --dev listens on loopback only, unless the host is set explicitly.
  if (flags.dev && overrides.host === undefined && !process.env.LIVEHOOKS_HOST) overrides.host = '127.0.0.1';
  const config = loadConfig({
    env: process.env,
    ...(flags.config === undefined ? {} : { file: flags.config }),
    flags: overrides,
  });
  const devWarnings: string[] = [];
  if (flags.dev) {
    if (!config.css.keys.includes(TEST_KEYS.css)) config.css.keys = [...config.css.keys, TEST_KEYS.css];
    config.trtc.keys = { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key, ...config.trtc.keys };
    // Tencent never signs 13 CSS types (328, 314, 315, 321, 343, 344, 345, 348, 349): in dev mode they are
    // stored like the rest, so every type trigger sends is. The test keys already let anyone forge a callback.
    config.css.allowUnsigned = true;
    devWarnings.push(DEV_WARNING);
    if (!isLoopback(config.host)) {
      devWarnings.push(
        `--dev on ${config.host}: the published test keys (TEST_KEYS of @livehooks/fixtures, listed in docs/cli.md) are accepted from every network that reaches this address; anyone there can store forged callbacks. Use --dev on 127.0.0.1 only, or configure your own keys without --dev.`,
      );
    }
  }
  let running: Awaited<ReturnType<typeof startServer>>;
  try {
    // Standard output carries the summary only; logs are diagnostics, on standard error.
    running = await startServer(config, { logger: createLogger(config.logLevel, 2) });
  } catch (error) {
    const { code, syscall } = error as NodeJS.ErrnoException;
    if (syscall === 'listen' || syscall === 'getaddrinfo') {
      throw new CliError(
        exitCodes.config,
        `cannot listen on ${config.host}:${config.port}: ${describeListenError(code, config.host)}`,
        { cause: error },
      );
    }
    const reason = describeStoreError(error);
    if (reason !== undefined) {
      throw new CliError(
        exitCodes.config,
        `cannot open the store ${redactDatabaseUrl(config.databaseUrl)}: ${reason}`,
        { cause: error },
      );
    }
    throw error;
  }
  // Lets the gateway commands find a token kept in the data directory from any directory.
  if (running.apiTokenSource !== 'config')
    await rememberGateway([running.url, ...running.urls], join(config.dataDir, API_TOKEN_FILE)).catch(
      () => {},
    );
  const warnings = [...devWarnings, ...running.warnings];
  const banner = {
    host: running.host,
    port: running.port,
    everyInterface: running.everyInterface,
    urls: running.urls,
    url: running.url,
    callbackUrl: `${running.url}/callbacks`,
    dashboardUrl: `${running.url}/`,
    apiUrl: running.apiUrl,
    // A token the operator configured is theirs already; only a generated one is worth printing.
    ...(running.apiTokenSource === 'config' ? {} : { apiToken: running.apiToken }),
    apiTokenSource: running.apiTokenSource,
    database: redactDatabaseUrl(config.databaseUrl),
    dev: Boolean(flags.dev),
    warnings,
  };
  if (flags.json) {
    printJsonLine(banner);
    return;
  }
  const token =
    running.apiTokenSource === 'config'
      ? '(as configured)'
      : `${running.apiToken}  ${style('dim', running.apiTokenSource === 'generated' ? `(generated, kept in ${config.dataDir}/api-token)` : `(from ${config.dataDir}/api-token)`)}`;
  printLine(
    running.everyInterface
      ? `${style('bold', 'livehooks gateway')} listening on ${running.host} port ${running.port} (every interface): ${running.urls.join(', ')}`
      : `${style('bold', 'livehooks gateway')} listening on ${running.url}`,
  );
  printLine(
    `  callbacks  ${banner.callbackUrl}  (also /callbacks/css, /callbacks/trtc${config.ingestSecret ? ', and under /callbacks/<ingest secret>' : ''})`,
  );
  printLine(`  dashboard  ${banner.dashboardUrl}`);
  printLine(`  sign in    ${running.signInUrl}  ${style('dim', '(one-time link, valid 10 minutes)')}`);
  printLine(`  API        ${banner.apiUrl}  (Authorization: Bearer <API token>)`);
  printLine(`  API token  ${token}`);
  printLine(`  store      ${banner.database}`);
  for (const warning of warnings) printLine(style('yellow', `  warning: ${warning}`));
  printLine(style('dim', '  Ctrl+C stops it gracefully. Logs follow as JSON lines on standard error.'));
}

/**
 * `livehooks serve`: starts the gateway with the configuration from the environment, an optional
 * config file and flags (later wins), and prints where it listens and the API token.
 *
 * @example
 * ```sh
 * LIVEHOOKS_CSS_KEYS=my-key livehooks serve --port 9000
 * ```
 */
export function createServeCommand(): Command {
  const command = new Command('serve').description(
    'Start the gateway: verified, deduplicated, durable ingest of CSS and TRTC callbacks, query API and live tail',
  );
  addConfigFlags(command)
    .option(
      '--dev',
      'also accept the published test keys (what livehooks trigger signs with) and CSS callbacks without a signature, and listen on 127.0.0.1',
    )
    .option('--json', 'print the start-up summary as one JSON line')
    .action(async (flags: ServeFlags) => serve(flags));
  return withHelp(command, {
    notes: [
      `--dev accepts the published test keys, TEST_KEYS of @livehooks/fixtures: CSS key ${TEST_KEYS.css}; TRTC SdkAppId ${TEST_KEYS.trtc.sdkAppId} with key ${TEST_KEYS.trtc.key}. trigger signs with them by default, and verify --key checks a triggered callback with them. Anyone can sign with them: --dev listens on 127.0.0.1 unless --host says otherwise, and warns when it does.`,
      'Every flag mirrors a LIVEHOOKS_* environment variable and a config file key; flags win over the variables, which win over the config file. docs/configuration.md documents each option.',
      'It prints where it listens (for --host 0.0.0.0, every address it is reachable at), the callback, dashboard and API URLs and the API token (generated on first start and kept in <data-dir>/api-token unless LIVEHOOKS_API_TOKEN is set), then logs one JSON line per request on standard error. SIGINT or SIGTERM stops it gracefully: callbacks in flight are committed and answered first.',
    ],
    examples: [
      'livehooks serve --dev                                  # try it locally with livehooks trigger',
      'LIVEHOOKS_CSS_KEYS=k1,k2 LIVEHOOKS_TRTC_KEYS=1400000001:key livehooks serve',
      'livehooks serve --config livehooks.config.json --port 9000',
      'LIVEHOOKS_DATABASE_URL=postgres://user:pass@db:5432/livehooks livehooks serve',
    ],
    exitCodes: [
      [exitCodes.ok, 'stopped gracefully'],
      [exitCodes.failure, 'unexpected failure'],
      [
        exitCodes.config,
        'invalid configuration (one line per problem), port in use or not allowed, store unreachable (each with what to do)',
      ],
    ],
  });
}

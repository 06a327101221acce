import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_SERVER, GatewayClient } from './_gateway-client.js';
import { printNote } from './_output.js';
import { httpUrl } from './_parse-option.js';

/** The flags every command that talks to a running gateway takes. */
export interface GatewayFlags {
  server: string;
  token?: string;
  verbose?: boolean;
}

/** Adds `--server` (or `LIVEHOOKS_SERVER`), `--token` (or `LIVEHOOKS_API_TOKEN`) and `--verbose` to a command. */
export function addGatewayOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--server <url>', 'the gateway')
        .env('LIVEHOOKS_SERVER')
        .default(DEFAULT_SERVER)
        .argParser(httpUrl),
    )
    .addOption(
      new Option(
        '--token <token>',
        "API token (default: LIVEHOOKS_API_TOKEN, else <data-dir>/api-token of the gateway's configuration, else the token file serve recorded for --server)",
      ).env('LIVEHOOKS_API_TOKEN'),
    )
    .option('--verbose', 'say which gateway and which API token source are used');
}

/**
 * The per-user record of the gateways `livehooks serve` started on this machine: for each URL, the file
 * that keeps its API token (never the token itself). `$XDG_CONFIG_HOME/livehooks/gateways.json`, else
 * `~/.config/livehooks/gateways.json`.
 */
export function gatewaysFile(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CONFIG_HOME?.trim() || join(homedir(), '.config');
  return join(base, 'livehooks', 'gateways.json');
}

type GatewayRecord = Record<string, { tokenFile: string; at: number }>;

async function readGateways(): Promise<GatewayRecord> {
  try {
    const parsed = JSON.parse(await readFile(gatewaysFile(), 'utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as GatewayRecord) : {};
  } catch {
    return {};
  }
}

function normalise(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * Records, for each URL a gateway answers on, the file that keeps its API token, so `tail`, `events` and
 * the other gateway commands find it from any directory. Only the path is written (mode 0600).
 *
 * @example
 * ```ts
 * await rememberGateway(['http://127.0.0.1:8080'], '/srv/livehooks/data/api-token');
 * ```
 */
export async function rememberGateway(urls: readonly string[], tokenFile: string): Promise<void> {
  const file = gatewaysFile();
  const record = await readGateways();
  for (const url of urls) record[normalise(url)] = { tokenFile: resolve(tokenFile), at: Date.now() };
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}

/** The data directory of the gateway's configuration (`LIVEHOOKS_CONFIG`, `LIVEHOOKS_DATA_DIR`, `./data`). */
async function configuredDataDir(): Promise<string> {
  const { loadConfig } = await import('@livehooks/server');
  try {
    return loadConfig({ env: process.env }).dataDir;
  } catch {
    // A configuration that does not load (it may need keys this shell lacks) still names its data dir here.
    return resolve(process.env.LIVEHOOKS_DATA_DIR ?? './data');
  }
}

async function readToken(file: string): Promise<string | undefined> {
  return (await readFile(file, 'utf8').catch(() => '')).trim() || undefined;
}

/** The API token and where it came from, or every place searched when there is none. */
export async function resolveToken(
  flags: Pick<GatewayFlags, 'server' | 'token'>,
): Promise<{ token: string; source: string } | { searched: string[] }> {
  if (flags.token !== undefined) {
    const fromEnv = process.env.LIVEHOOKS_API_TOKEN === flags.token;
    return { token: flags.token, source: fromEnv ? 'LIVEHOOKS_API_TOKEN' : '--token' };
  }
  const { API_TOKEN_FILE } = await import('@livehooks/server');
  const searched = ['--token', 'LIVEHOOKS_API_TOKEN'];
  const dataDirFile = join(await configuredDataDir(), API_TOKEN_FILE);
  searched.push(dataDirFile);
  const fromDataDir = await readToken(dataDirFile);
  if (fromDataDir !== undefined) return { token: fromDataDir, source: dataDirFile };
  const recorded = (await readGateways())[normalise(flags.server)]?.tokenFile;
  searched.push(`${gatewaysFile()} (${normalise(flags.server)})`);
  if (typeof recorded === 'string') {
    const fromRecord = await readToken(recorded);
    if (fromRecord !== undefined) return { token: fromRecord, source: `${recorded} (recorded by serve)` };
  }
  return { searched };
}

/**
 * A client for the gateway the flags name, with the first API token found: `--token`, then
 * `LIVEHOOKS_API_TOKEN`, then `<data-dir>/api-token` of the gateway's configuration, then the token file
 * `livehooks serve` recorded for that URL in the per-user {@link gatewaysFile}.
 */
export async function gatewayClient(flags: GatewayFlags): Promise<GatewayClient> {
  const found = await resolveToken(flags);
  if (flags.verbose) {
    const serverSource =
      process.env.LIVEHOOKS_SERVER !== undefined && flags.server === process.env.LIVEHOOKS_SERVER
        ? 'LIVEHOOKS_SERVER'
        : flags.server === DEFAULT_SERVER
          ? 'default'
          : '--server';
    printNote(`gateway ${flags.server} (from ${serverSource})`);
    printNote(
      'token' in found
        ? `API token from ${found.source}`
        : `no API token found (looked at ${found.searched.join(', ')})`,
    );
  }
  return new GatewayClient({
    server: flags.server,
    ...('token' in found ? { token: found.token } : { searched: found.searched }),
  });
}

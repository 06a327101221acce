import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { DEFAULT_SERVER, GatewayClient } from './_gateway-client.js';
import { httpUrl } from './_parse-option.js';

/** The flags every command that talks to a running gateway takes. */
export interface GatewayFlags {
  server: string;
  token?: string;
}

/** Adds `--server` and `--token` (or `LIVEHOOKS_API_TOKEN`) to a command. */
export function addGatewayOptions(command: Command): Command {
  return command
    .addOption(new Option('--server <url>', 'the gateway').default(DEFAULT_SERVER).argParser(httpUrl))
    .addOption(
      new Option(
        '--token <token>',
        'API token (default: LIVEHOOKS_API_TOKEN, else the one serve kept in ./data/api-token)',
      ).env('LIVEHOOKS_API_TOKEN'),
    );
}

/**
 * A client for the gateway the flags name. Without a token it reads the one `livehooks serve`
 * generated under the data directory, so the local tour needs no copy and paste.
 */
export async function gatewayClient(flags: GatewayFlags): Promise<GatewayClient> {
  let token = flags.token;
  const { API_TOKEN_FILE } = await import('@livehooks/server');
  const file = join(resolve(process.env.LIVEHOOKS_DATA_DIR ?? './data'), API_TOKEN_FILE);
  if (token === undefined) token = (await readFile(file, 'utf8').catch(() => '')).trim() || undefined;
  return new GatewayClient({
    server: flags.server,
    ...(token === undefined ? { searched: ['--token', 'LIVEHOOKS_API_TOKEN', file] } : { token }),
  });
}

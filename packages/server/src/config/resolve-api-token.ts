import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The API token in use and where it came from. */
export interface ApiTokenResolution {
  token: string;
  /** `config`: set by the operator; `file`: read from `<dataDir>/api-token`; `generated`: created now. */
  source: 'config' | 'file' | 'generated';
  /** The token file, when the token lives in one. */
  path?: string;
}

/** Name of the file under the data directory that keeps a generated API token. */
export const API_TOKEN_FILE = 'api-token';

/**
 * The API bearer token: the configured one, else the one kept in `<dataDir>/api-token`, else a new random
 * token written there (mode 0600) so it survives restarts.
 *
 * @example
 * ```ts
 * const { token, source } = resolveApiToken({ dataDir: './data' });
 * if (source === 'generated') console.log(`API token: ${token}`);
 * ```
 */
export function resolveApiToken(config: { apiToken?: string; dataDir: string }): ApiTokenResolution {
  if (config.apiToken !== undefined) return { token: config.apiToken, source: 'config' };
  const path = join(config.dataDir, API_TOKEN_FILE);
  try {
    const token = readFileSync(path, 'utf8').trim();
    if (token.length >= 16) return { token, source: 'file', path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const token = `lh_${randomBytes(24).toString('base64url')}`;
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(path, `${token}\n`, { mode: 0o600 });
  return { token, source: 'generated', path };
}

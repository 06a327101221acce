import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenApiDocument } from './api/openapi.js';
import { loadConfig } from './config/load-config.js';
import { createServer } from './create-server.js';

/**
 * The OpenAPI document of the gateway's API, as `GET /api/openapi.json` serves it, without a database of
 * the caller's: a gateway is built on a temporary SQLite file, asked for its document and closed, and the
 * file removed. `npm run generate` writes it to docs/openapi.json.
 *
 * @example
 * ```ts
 * const document = await apiDocument();
 * console.log(Object.keys(document.paths as object)); // ['/api/deliveries', '/api/events', ...]
 * ```
 */
export async function apiDocument(): Promise<OpenApiDocument> {
  const dir = mkdtempSync(join(tmpdir(), 'livehooks-api-document-'));
  try {
    const apiToken = randomBytes(32).toString('base64url');
    const config = loadConfig({
      env: {},
      cwd: dir,
      flags: { databaseUrl: join(dir, 'livehooks.db'), dataDir: dir, logLevel: 'silent' },
    });
    const server = await createServer({ config, apiToken });
    try {
      const response = await server.app.inject({
        method: 'GET',
        url: '/api/openapi.json',
        headers: { authorization: `Bearer ${apiToken}` },
      });
      return response.json<OpenApiDocument>();
    } finally {
      await server.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

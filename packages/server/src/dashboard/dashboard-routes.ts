import { createReadStream, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, posix, resolve, sep } from 'node:path';
import { LivehooksError } from '@livehooks/core';
import type { FastifyPluginCallback } from 'fastify';
import { redactPath } from '../http/redact.js';

/** The package that carries the built dashboard, a dependency of this one. */
const DASHBOARD_PACKAGE = '@livehooks/dashboard';

/**
 * The built dashboard: the `dist` folder of the installed `@livehooks/dashboard` package, found by module
 * resolution from `from` (default: this module; in this repository, the workspace link to
 * `packages/dashboard`), or `undefined` when that package cannot be found.
 *
 * @example
 * ```ts
 * await app.register(dashboardRoutes, { dir: config.dashboardDir ?? resolveDashboardDir() });
 * ```
 */
export function resolveDashboardDir(from: string | URL = import.meta.url): string | undefined {
  try {
    const manifest = createRequire(from).resolve(`${DASHBOARD_PACKAGE}/package.json`);
    return join(dirname(manifest), 'dist');
  } catch {
    return undefined;
  }
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Headers of every dashboard answer. The app loads only its own scripts, styles and API (same origin); images
 * and audio under review come from Tencent's storage over http(s); nothing may frame it (clickjacking of the
 * moderation buttons), and no page it links to learns its URL.
 */
export const DASHBOARD_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "img-src 'self' data: https: http:",
    "media-src 'self' https: http:",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
};

/** Paths that belong to the gateway, never to the single-page app. */
const GATEWAY_PREFIXES = ['/api/', '/callbacks/'];
const GATEWAY_PATHS = new Set(['/api', '/callbacks']);

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Where the dashboard's files are. */
export interface DashboardRoutesOptions {
  /** The built dashboard; `undefined` when none is installed. */
  dir: string | undefined;
}

/**
 * The dashboard feature: serves the dashboard at `/`: its files, and `index.html` for any other GET path that
 * is neither the API nor a callback URL (client-side routes survive a reload). Without a built dashboard
 * (`dir` missing, or `undefined` when none is installed), `/` says how to get one.
 *
 * @example
 * ```ts
 * await app.register(dashboardRoutes, { dir: resolveDashboardDir() });
 * ```
 */
export const dashboardRoutes: FastifyPluginCallback<DashboardRoutesOptions> = (app, options, done) => {
  const root = options.dir === undefined ? undefined : resolve(options.dir);
  const index = root === undefined ? undefined : join(root, 'index.html');

  app.get('/*', async (request, reply) => {
    const path = decodeURIComponent(request.url.split('?')[0]!);
    // However a client spells a gateway path (`/API/events`, `//api/x`, `/a/../api`), it never gets the app.
    const gateway = posix.normalize(path).toLowerCase();
    if (GATEWAY_PATHS.has(gateway) || GATEWAY_PREFIXES.some((prefix) => gateway.startsWith(prefix))) {
      throw LivehooksError.of('LH_ERR_NOT_FOUND', { route: `GET ${redactPath(request.url)}` });
    }
    void reply.headers(DASHBOARD_HEADERS);
    if (root === undefined || index === undefined || !isFile(index)) {
      const missing =
        index === undefined
          ? `The livehooks dashboard is not installed (no package ${DASHBOARD_PACKAGE}).\nInstall ${DASHBOARD_PACKAGE}`
          : `The livehooks dashboard is not built (no ${index}).\nRun \`npm run build\` in the livehooks repository`;
      return reply
        .code(path === '/' ? 200 : 404)
        .type('text/plain; charset=utf-8')
        .send(`${missing}, or set dashboardDir (LIVEHOOKS_DASHBOARD_DIR).\nThe API is under /api.\n`);
    }
    const file = resolve(root, `.${path}`);
    const inside = file === root || file.startsWith(root + sep);
    if (inside && file !== root && isFile(file)) {
      // Vite fingerprints everything under assets/: those never change; index.html must be revalidated.
      reply.header(
        'cache-control',
        path.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      return reply
        .type(CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream')
        .send(createReadStream(file));
    }
    if (extname(path) !== '') throw LivehooksError.of('LH_ERR_NOT_FOUND', { what: 'file', id: path });
    reply.header('cache-control', 'no-cache');
    return reply.type('text/html; charset=utf-8').send(createReadStream(index));
  });
  done();
};

import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { dashboardRoutes, resolveDashboardDir } from '../src/dashboard/dashboard-routes.js';

// How the gateway finds the built dashboard when it is installed from the registry: the `@livehooks/dashboard`
// package beside it in node_modules, not a folder of this repository.
const root = realpathSync(mkdtempSync(join(tmpdir(), 'livehooks-dashboard-dir-')));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** An app folder as npm lays it out: `<app>/node_modules/@livehooks/{server,dashboard}`. */
function installLayout(name: string, withDashboard: boolean): URL {
  const app = join(root, name);
  const server = join(app, 'node_modules/@livehooks/server/dist/http/dashboard-routes.js');
  mkdirSync(dirname(server), { recursive: true });
  writeFileSync(server, '');
  if (withDashboard) {
    const dashboard = join(app, 'node_modules/@livehooks/dashboard');
    mkdirSync(join(dashboard, 'dist'), { recursive: true });
    writeFileSync(join(dashboard, 'package.json'), JSON.stringify({ name: '@livehooks/dashboard' }));
    writeFileSync(join(dashboard, 'dist/index.html'), '<!doctype html><title>installed dashboard</title>');
  }
  return pathToFileURL(server);
}

describe('the default dashboard directory', () => {
  it('is the dist folder of the @livehooks/dashboard package installed beside the server', () => {
    expect(resolveDashboardDir(installLayout('installed', true))).toBe(
      join(root, 'installed/node_modules/@livehooks/dashboard/dist'),
    );
  });

  it('is found wherever npm placed the two packages', () => {
    // The server nested under the CLI (a version conflict), the dashboard hoisted to the top.
    const app = join(root, 'nested');
    const server = join(app, 'node_modules/livehooks/node_modules/@livehooks/server/dist/http/x.js');
    mkdirSync(dirname(server), { recursive: true });
    writeFileSync(server, '');
    installLayout('nested', true);
    expect(resolveDashboardDir(pathToFileURL(server))).toBe(
      join(app, 'node_modules/@livehooks/dashboard/dist'),
    );
  });

  it('is undefined when no dashboard package is installed', () => {
    expect(resolveDashboardDir(installLayout('without', false))).toBeUndefined();
  });

  it('is the workspace dashboard in this repository', () => {
    expect(resolveDashboardDir()).toBe(
      join(dirname(realpathSync(new URL('../../dashboard/package.json', import.meta.url))), 'dist'),
    );
  });

  it('serves the installed dashboard, and says how to get one when none is installed', async () => {
    const installed = Fastify();
    await installed.register(dashboardRoutes, { dir: resolveDashboardDir(installLayout('served', true)) });
    const index = await installed.inject({ method: 'GET', url: '/' });
    expect(index.statusCode).toBe(200);
    expect(index.body).toContain('<title>installed dashboard</title>');

    const none = Fastify();
    await none.register(dashboardRoutes, { dir: resolveDashboardDir(installLayout('none', false)) });
    const missing = await none.inject({ method: 'GET', url: '/' });
    expect(missing.statusCode).toBe(200);
    expect(missing.body).toContain('not installed (no package @livehooks/dashboard)');
    expect(missing.body).toContain('LIVEHOOKS_DASHBOARD_DIR');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TOKEN, startTestGateway, type TestGateway } from './support/gateway';

const dashboardRoot = fileURLToPath(new URL('..', import.meta.url));

describe('the sign-in link, in Chromium against a real gateway', () => {
  let distDir: string;
  let gateway: TestGateway;
  let browser: Browser;

  beforeAll(async () => {
    distDir = mkdtempSync(join(tmpdir(), 'livehooks-dashboard-dist-'));
    await build({ root: dashboardRoot, logLevel: 'silent', build: { outDir: distDir, emptyOutDir: true } });
    gateway = await startTestGateway({ dashboardDir: distDir });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    if (distDir !== undefined) rmSync(distDir, { recursive: true, force: true });
  });

  it('lands signed in with the code gone from the address bar, and refuses the link a second time', async () => {
    const link = gateway.running.signInUrl;
    expect(link).toMatch(/\/#signin=[\w-]{43}$/);

    const first = await browser.newPage();
    first.setDefaultTimeout(10_000);
    await first.goto(link);
    await first.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(first.url()).toBe(`${gateway.url}/`);
    expect(await first.evaluate(() => sessionStorage.getItem('livehooks.apiToken'))).toBe(API_TOKEN);
    // The link's history entry was replaced, not added to: going back leaves the dashboard.
    await first.goBack();
    expect(first.url()).toBe('about:blank');

    const second = await (await browser.newContext()).newPage();
    second.setDefaultTimeout(10_000);
    await second.goto(link);
    await expect.poll(() => second.getByRole('alert').textContent()).toContain('used already');
    expect(second.url()).toBe(`${gateway.url}/`);
    expect(await second.evaluate(() => sessionStorage.getItem('livehooks.apiToken'))).toBeNull();
    await second.fill('#token', API_TOKEN);
    await second.click('button[type=submit]');
    await second.getByRole('heading', { name: 'Overview' }).waitFor();
  });
});

import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { expect } from 'vitest';

const dashboardRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Where the end-to-end tests save their screenshots: `LIVEHOOKS_SCREENSHOTS`, else a folder under /tmp. */
export const SCREENSHOTS =
  process.env.LIVEHOOKS_SCREENSHOTS ?? join(tmpdir(), 'livehooks-dashboard-screenshots');

/**
 * Builds the current sources into a fresh temporary folder, so a test never runs a stale `dist` nor races
 * another build.
 */
export async function buildDashboard(): Promise<string> {
  const outDir = mkdtempSync(join(tmpdir(), 'livehooks-dashboard-dist-'));
  await build({ root: dashboardRoot, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return outDir;
}

/** Debian's Chromium, headless, as CI has it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** Saves what the page shows to {@link SCREENSHOTS}. */
export async function shoot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One rule axe-core found broken, with the elements that break it. */
export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  targets: string[];
}

/**
 * The serious and critical accessibility violations axe-core finds on the page as it is now. axe is put in
 * through the DevTools protocol, which the page's Content-Security-Policy does not restrict.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (
            context: Document,
            options: object,
          ) => Promise<{
            violations: { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }[];
          }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => ({
        id: violation.id,
        impact: violation.impact,
        help: violation.help,
        targets: violation.nodes.map((node) => node.target.join(' ')),
      }));
  });
}

/** Waits until the page shows its heading and nothing is loading any more. */
export async function settle(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await expect.poll(() => page.locator('.loading').count(), { timeout: 10_000 }).toBe(0);
}

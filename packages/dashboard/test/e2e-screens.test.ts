import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDashboard,
  launchChromium,
  seriousViolations,
  settle,
  shoot,
  type AxeViolation,
} from './support/browser';
import { api, API_TOKEN, startTestGateway, type TestGateway } from './support/gateway';
import { CHINESE_SPEECH, FRAME_SVG, LONG_STREAM, seedOperations } from './support/seed';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
const CJK = /[\u4e00-\u9fff]/;

/** The screens every page is looked at on: phone and desktop, English and Chinese, light and dark. */
const SETUPS = (['phone', 'desktop'] as const).flatMap((device) =>
  (['en-US', 'zh-CN'] as const).flatMap((locale) =>
    (['light', 'dark'] as const).map((scheme) => ({
      device,
      locale,
      scheme,
      name: `${device}-${locale}-${scheme}`,
    })),
  ),
);
type Setup = (typeof SETUPS)[number];

type Items<T> = { items: T[] };

describe('dashboard screens, in Chromium against a real gateway', () => {
  let distDir: string;
  let gateway: TestGateway;
  let browser: Browser;
  let assets: Server;
  /** The failing sink recovers once this is set. */
  let downSinkRecovered = false;
  const pages: [name: string, hash: string][] = [];

  beforeAll(async () => {
    distDir = await buildDashboard();
    // Loopback serves the seeded events' images and is the webhook receiver of two sinks, one of them down.
    assets = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        if (request.url?.endsWith('.svg')) {
          response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(FRAME_SVG);
          return;
        }
        response.writeHead(request.url === '/down' && !downSinkRecovered ? 503 : 200).end();
      });
    });
    await new Promise<void>((resolve) => assets.listen(0, '127.0.0.1', resolve));
    const origin = `http://127.0.0.1:${(assets.address() as AddressInfo).port}`;
    const retry = { scheduleMs: [50], jitter: 0 };
    gateway = await startTestGateway({
      dashboardDir: distDir,
      sinks: [
        {
          name: 'archive',
          type: 'webhook',
          url: `${origin}/archive`,
          secret: 'screens-archive-secret',
          filter: { types: ['css.moderation.*'] },
          retry,
        },
        {
          name: 'ops-alerts-down',
          type: 'webhook',
          url: `${origin}/down`,
          secret: 'screens-alerts-secret',
          filter: { types: ['css.monitor.stream_broken'] },
          retry,
        },
      ],
    });
    await seedOperations(gateway, { frame: `${origin}/frame.svg`, flagged: `${origin}/flagged.svg` });
    // The down sink's delivery has used its retries before the screens are looked at.
    for (let tries = 0; ; tries += 1) {
      const deliveries = await api<Items<{ status: string }>>(gateway, '/deliveries?sink=ops-alerts-down');
      if (deliveries.items[0]?.status === 'dead') break;
      if (tries === 100) throw new Error('the delivery to the down sink did not fail for good');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    const first = async (type: string) =>
      (await api<Items<{ id: string }>>(gateway, `/events?type=${type}&limit=1`)).items[0]!.id;
    const refusal = (await api<Items<{ id: string; code: string }>>(gateway, '/rejections')).items[0]!;
    pages.push(
      ['overview', '/'],
      ['tail', '/tail'],
      ['events', '/events'],
      ['event-push-problem', `/events/${await first('css.push.exception')}`],
      ['event-flagged-image', `/events/${await first('css.moderation.image')}`],
      ['streams', '/streams'],
      ['stream', `/streams/${encodeURIComponent(LONG_STREAM)}`],
      ['moderation', '/moderation'],
      ['tasks', '/tasks'],
      ['task', '/tasks/ops-moderation-task-room-8801'],
      ['search', `/search?q=${encodeURIComponent('直播')}`],
      ['deliveries', '/deliveries'],
      ['rejections', '/rejections'],
      ['rejection', `/rejections/${refusal.id}?reason=${refusal.code}`],
      ['not-found', '/nowhere'],
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    if (assets !== undefined) await new Promise((resolve) => assets.close(resolve));
    if (distDir !== undefined) rmSync(distDir, { recursive: true, force: true });
  });

  async function open(setup: Setup): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: setup.device === 'phone' ? PHONE : DESKTOP,
      locale: setup.locale,
      colorScheme: setup.scheme,
      timezoneId: 'Asia/Shanghai',
      ...(setup.device === 'phone' ? { isMobile: true, hasTouch: true } : {}),
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return { context, page };
  }

  for (const setup of SETUPS) {
    it(`${setup.name}: every page has its own title, speaks the language, wears the theme, fits the screen and passes axe`, async () => {
      const { context, page } = await open(setup);
      const zh = setup.locale === 'zh-CN';
      const violations: Record<string, AxeViolation[]> = {};
      const titles = new Map<string, string>();

      const check = async (name: string) => {
        await settle(page);
        await shoot(page, `${setup.name}-${name}`);
        const look = await page.evaluate(() => {
          const [r, g, b] = getComputedStyle(document.documentElement)
            .backgroundColor.match(/\d+/g)!
            .map(Number) as [number, number, number];
          return {
            lang: document.documentElement.lang,
            title: document.title,
            heading: document.querySelector('h1')?.textContent ?? '',
            brightness: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255,
            overflow: document.documentElement.scrollWidth - window.innerWidth,
          };
        });
        expect(look.lang, name).toBe(zh ? 'zh-CN' : 'en');
        expect(CJK.test(look.heading), `${name}: ${look.heading}`).toBe(zh);
        if (setup.scheme === 'dark') expect(look.brightness, name).toBeLessThan(0.2);
        else expect(look.brightness, name).toBeGreaterThan(0.9);
        expect(look.overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
        expect(look.title, name).toMatch(/ · livehooks$/);
        titles.set(name, look.title);
        const found = await seriousViolations(page);
        if (found.length > 0) violations[name] = found;
      };

      await page.goto(`${gateway.url}/`);
      await check('sign-in');
      await page.fill('#token', API_TOKEN);
      await page.locator('button[type=submit]').click();
      await page.locator('.sidebar').waitFor();

      for (const [name, hash] of pages) {
        await page.goto(`${gateway.url}/#${hash}`);
        await check(name);
      }

      if (setup.device === 'phone') {
        // The menu hides the pages until it is opened, and closes once one is chosen.
        const menu = page.locator('.menu-button');
        await expect.poll(() => page.locator('#sidebar-body').isVisible()).toBe(false);
        await menu.click();
        expect(await menu.getAttribute('aria-expanded')).toBe('true');
        await shoot(page, `${setup.name}-menu-open`);
        const streams = page.locator('#sidebar-body a[href="#/streams"]');
        await streams.click();
        await page.locator('h1', { hasText: zh ? '直播流' : 'Streams' }).waitFor();
        await expect.poll(() => page.locator('#sidebar-body').isVisible()).toBe(false);
      } else {
        expect(await page.locator('.menu-button').isVisible()).toBe(false);
      }

      expect(violations).toEqual({});
      expect(new Set(titles.values()).size, [...titles.values()].join(' | ')).toBe(titles.size);
      await context.close();
    }, 180_000);
  }

  describe('on a desktop in English', () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      ({ context, page } = await open(SETUPS.find((setup) => setup.name === 'desktop-en-US-light')!));
      await context.addInitScript((token) => sessionStorage.setItem('livehooks.apiToken', token), API_TOKEN);
    });
    afterAll(async () => {
      await context?.close();
    });

    it('has a skip link as the first Tab stop that takes the focus past the navigation', async () => {
      await page.goto(`${gateway.url}/#/moderation`);
      await settle(page);
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.className)).toBe('skip-link');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('placeholder'))).toBe(
        'your name',
      );
    });

    it('reviews from a focusable list: flagged images stay blurred until v, Enter opens the event', async () => {
      await page.goto(`${gateway.url}/#/moderation?source=css`);
      await settle(page);
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'left to review' }).textContent())
        .toBe('2 left to review');
      for (const row of await page.locator('.review-row img').all()) {
        expect(await row.evaluate((image) => image.closest('.thumb')?.classList.contains('blurred'))).toBe(
          true,
        );
      }
      const listbox = page.getByRole('listbox');
      await listbox.focus();
      // The image item is the second: move to it, show it, blur it again.
      await page.keyboard.press('j');
      const detailImage = page.getByTestId('review-detail').locator('.thumb');
      await detailImage.locator('img').waitFor();
      expect(await detailImage.getAttribute('class')).toContain('blurred');
      await page.keyboard.press('v');
      await expect.poll(() => detailImage.getAttribute('class')).not.toContain('blurred');
      await shoot(page, 'keyboard-moderation-image-shown');
      await page.keyboard.press('v');
      await expect.poll(() => detailImage.getAttribute('class')).toContain('blurred');
      // Nothing interactive inside an option: the list's rows hold no link or button.
      expect(await page.locator('[role=option] a, [role=option] button').count()).toBe(0);
      const selected = await page.locator('[role=option][aria-selected=true]').getAttribute('id');
      const stored = await api<{ eventId: string }>(gateway, `/moderation/${selected!.slice('mod-'.length)}`);
      await listbox.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/#/events/${stored.eventId}`);
      await page.getByRole('heading', { name: 'Image moderation' }).waitFor();
      // The event page of a flagged image shows the image, blurred too.
      const flagged = page.locator('.flagged-image .thumb');
      await flagged.locator('img').waitFor();
      expect(await flagged.getAttribute('class')).toContain('blurred');
    });

    it('moves the cursor past items already decided', async () => {
      await page.goto(`${gateway.url}/#/moderation?source=trtc`);
      await settle(page);
      const options = page.getByRole('listbox').getByRole('option');
      await expect.poll(() => options.count()).toBe(2);
      const [firstId, secondId] = await Promise.all([
        options.nth(0).getAttribute('id'),
        options.nth(1).getAttribute('id'),
      ]);
      // Decide the second first: the cursor goes back to the first, the one still to review.
      await options.nth(1).click();
      await page.keyboard.press('d');
      await page.getByRole('status').filter({ hasText: 'Saved: dismissed' }).waitFor();
      expect(await page.locator('[role=option][aria-selected=true]').getAttribute('id')).toBe(firstId);
      expect(await page.locator(`#${secondId}`).getAttribute('class')).toContain('decided');
      await expect
        .poll(() => page.getByRole('status').filter({ hasText: 'left to review' }).textContent())
        .toBe('1 left to review');
    });

    it('groups refused callbacks by reason and opens one by keyboard at its own address', async () => {
      await page.goto(`${gateway.url}/#/rejections`);
      await settle(page);
      const reasons = page.getByRole('navigation', { name: 'Reason' });
      await reasons.getByRole('link', { name: /Wrong signature 2/ }).click();
      await page.waitForURL('**/#/rejections?reason=LH_ERR_SIGNATURE_MISMATCH');
      await expect.poll(() => page.locator('tbody tr').count()).toBe(2);
      const link = page.locator('tbody tr').first().getByRole('link');
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(/#\/rejections\/[0-9a-f-]{36}\?reason=LH_ERR_SIGNATURE_MISMATCH$/);
      await page.getByRole('heading', { name: 'Refused callback: Wrong signature' }).waitFor();
      expect(await page.locator('pre.raw').textContent()).toContain('"sign":"bad"');
      expect(await page.title()).toBe('Refused callback: Wrong signature · livehooks');
    });

    it('says what a push-problem callback is and why it went to no sink', async () => {
      const id = (await api<Items<{ id: string }>>(gateway, '/events?type=css.push.exception&limit=1'))
        .items[0]!.id;
      await page.goto(`${gateway.url}/#/events/${id}`);
      await page.getByRole('heading', { name: 'Push problem' }).waitFor();
      const verdict = await page.locator('.verdict').textContent();
      expect(verdict).not.toMatch(/328/);
      await page.getByText('none of their filters matched this one').waitFor();
      expect(await page.getByText('once sinks').count()).toBe(0);
    });

    it('greys the live dot while paused and counts what arrived meanwhile', async () => {
      await page.goto(`${gateway.url}/#/tail`);
      const status = page.locator('.status-dot');
      await expect.poll(() => status.getAttribute('class')).toContain('status-live');
      await expect.poll(() => gateway.running.server.hub.size).toBeGreaterThan(0);
      await page.getByRole('button', { name: 'Pause' }).click();
      expect(await status.getAttribute('class')).toContain('status-paused');
      await gateway.send('css.monitor.low_framerate', { overrides: { stream_id: 'screens-paused' } });
      await expect.poll(() => status.textContent()).toBe('Paused · 1 arrived since');
      // The time column shows the date, in the zone named in its heading.
      expect(await page.locator('th.col-clock').textContent()).toBe('Time (GMT+8)');
      expect(await page.locator('td.col-clock').first().textContent()).toMatch(
        /^\d\d\/\d\d, \d\d:\d\d:\d\d$/,
      );
    });

    it('orders the recent alerts by when they happened, not by when they arrived', async () => {
      // Arrives last, happened an hour ago: it must not lead the list.
      await gateway.send('css.monitor.stream_broken', {
        now: Date.now() - 3_600_000,
        overrides: { stream_id: 'screens-late-alert' },
      });
      await page.goto(`${gateway.url}/#/`);
      await settle(page);
      const alerts = page.locator('section', { hasText: 'Recent alerts' }).locator('tbody tr');
      await alerts.filter({ hasText: 'screens-late-alert' }).waitFor();
      const times = await alerts
        .locator('time')
        .evaluateAll((nodes) => nodes.map((node) => Date.parse(node.getAttribute('datetime')!)));
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(await alerts.first().textContent()).not.toContain('screens-late-alert');
    });

    it('finds events by date range and opens one by its id', async () => {
      await page.goto(`${gateway.url}/#/events?until=2001-01-01T00:00`);
      await page.getByText('No event matches these filters').waitFor();
      await page.goto(`${gateway.url}/#/events?since=2001-01-01T00:00&until=2000-01-01T00:00`);
      await page.getByRole('alert').filter({ hasText: 'must be before' }).waitFor();
      await page.goto(`${gateway.url}/#/events?since=2001-01-01T00:00&type=css.monitor.asr`);
      await page.locator('a.summary-link').first().waitFor();

      await page.fill('input[name=id]', 'not-an-id');
      await page.getByRole('button', { name: 'Open' }).click();
      await page.getByRole('alert').filter({ hasText: 'An event id is 36 characters' }).waitFor();
      const id = (await api<Items<{ id: string }>>(gateway, '/events?type=css.monitor.asr&limit=1')).items[0]!
        .id;
      await page.fill('input[name=id]', id.toUpperCase());
      await page.getByRole('button', { name: 'Open' }).click();
      await page.getByRole('heading', { name: 'Speech transcript' }).waitFor();
      expect(await page.getByTestId('raw-body').textContent()).toContain(CHINESE_SPEECH);
    });

    it('retries every failed delivery of a sink after a confirmation', async () => {
      await page.goto(`${gateway.url}/#/deliveries?sink=ops-alerts-down`);
      await settle(page);
      await page.getByRole('button', { name: 'Retry all failed of ops-alerts-down' }).click();
      await page
        .getByText('Send every delivery to ops-alerts-down that failed for good again now?')
        .waitFor();
      downSinkRecovered = true;
      await page.getByRole('button', { name: 'Send again' }).click();
      await page.getByRole('status').filter({ hasText: 'sent again' }).waitFor();
      await expect
        .poll(
          async () =>
            (await api<Items<{ status: string }>>(gateway, '/deliveries?sink=ops-alerts-down')).items.map(
              (item) => item.status,
            ),
          { timeout: 10_000 },
        )
        // The seeded break and the late alert: both had failed for good, both are delivered now.
        .toEqual(['delivered', 'delivered']);
    });
  });
});

import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, seriousViolations, settle, shoot } from './support/browser';
import { api, API_TOKEN, startTestGateway, type TestGateway } from './support/gateway';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
const CJK = /[\u4e00-\u9fff]/;
const STREAM = 'sinks-e2e-stream';

type Items<T> = { items: T[] };

describe('sinks, delivery attempts, one refusal and id search, in Chromium against a real gateway', () => {
  let distDir: string;
  let gateway: TestGateway;
  let browser: Browser;
  let receiver: Server;
  let imageEvent: string;
  let refusalId: string;

  beforeAll(async () => {
    distDir = await buildDashboard();
    // /flaky fails twice, then takes everything; /down always fails.
    let flakyFailures = 0;
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const failing = request.url === '/down' || (request.url === '/flaky' && flakyFailures++ < 2);
        response.writeHead(failing ? (request.url === '/down' ? 502 : 500) : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const filter = { types: ['css.moderation.image'] };
    const retry = { scheduleMs: [50, 50], jitter: 0 };
    gateway = await startTestGateway({
      dashboardDir: distDir,
      sinks: [
        { name: 'flaky', type: 'webhook', url: `${hook}/flaky`, filter, retry },
        { name: 'down', type: 'webhook', url: `${hook}/down`, filter, retry },
      ],
    });
    await gateway.send('css.stream.push', { overrides: { stream_id: STREAM, channel_id: STREAM } });
    await gateway.send('css.moderation.image', { overrides: { stream_id: STREAM, streamId: STREAM } });
    const refused = await fetch(`${gateway.url}/callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        event_type: 1,
        stream_id: 'forged',
        t: Math.floor(Date.now() / 1000) + 60,
        sign: 'x',
      }),
    });
    await refused.text();
    expect(refused.status).toBe(401);
    imageEvent = (await api<Items<{ id: string }>>(gateway, '/events?type=css.moderation.image')).items[0]!
      .id;
    refusalId = (await api<Items<{ id: string }>>(gateway, '/rejections')).items[0]!.id;
    // Both deliveries settle within a second: flaky after two failures, down after its last retry.
    for (let tries = 0; ; tries++) {
      const { items } = await api<Items<{ sink: string; status: string }>>(
        gateway,
        `/events/${imageEvent}/deliveries`,
      );
      const states = items.map((delivery) => `${delivery.sink}:${delivery.status}`).sort();
      if (states.join() === 'down:dead,flaky:delivered') break;
      if (tries === 100) throw new Error(`the deliveries did not settle: ${states.join()}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    if (receiver !== undefined) await new Promise((resolve) => receiver.close(resolve));
    if (distDir !== undefined) rmSync(distDir, { recursive: true, force: true });
  });

  async function open(
    device: 'phone' | 'desktop',
    locale: 'en-US' | 'zh-CN',
    colorScheme: 'light' | 'dark' = 'light',
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport: device === 'phone' ? PHONE : DESKTOP,
      locale,
      colorScheme,
      timezoneId: 'Asia/Shanghai',
      ...(device === 'phone' ? { isMobile: true, hasTouch: true } : {}),
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(`${gateway.url}/`);
    await page.fill('#token', API_TOKEN);
    await page.locator('button[type=submit]').click();
    await page.locator('.sidebar').waitFor();
    return { context, page };
  }

  /** Fits the screen, speaks the language, wears the theme and passes axe; saves a screenshot. */
  async function look(page: Page, name: string, zh: boolean, dark = false): Promise<void> {
    await settle(page);
    await shoot(page, name);
    const seen = await page.evaluate(() => {
      const [r, g, b] = getComputedStyle(document.documentElement)
        .backgroundColor.match(/\d+/g)!
        .map(Number) as [number, number, number];
      return {
        heading: document.querySelector('h1')?.textContent ?? '',
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        brightness: (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255,
      };
    });
    expect(CJK.test(seen.heading), `${name}: ${seen.heading}`).toBe(zh);
    if (dark) expect(seen.brightness, name).toBeLessThan(0.2);
    else expect(seen.brightness, name).toBeGreaterThan(0.9);
    expect(seen.overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
    expect(await seriousViolations(page), name).toEqual([]);
  }

  it('shows each sink and opens its page with its backlog, success rate and failed deliveries', async () => {
    const { context, page } = await open('desktop', 'en-US');
    await page.goto(`${gateway.url}/#/deliveries`);
    await settle(page);
    const down = page.locator('a.card', { hasText: 'down' });
    expect(await down.textContent()).toContain('0 of 3 attempts');
    expect(await page.locator('a.card', { hasText: 'flaky' }).textContent()).toContain('1 of 3 attempts');
    await down.click();
    await page.waitForURL('**/#/deliveries/down');
    await page.getByRole('heading', { name: 'Sink down' }).waitFor();
    await settle(page);
    expect(await page.title()).toBe('Sink down · livehooks');
    expect(await page.getByTestId('sink-success').textContent()).toBe('0%');
    expect(await page.getByTestId('sink-dead').textContent()).toBe('1');
    expect(await page.getByTestId('sink-backlog').textContent()).toBe('0');
    expect(await page.getByTestId('sink-oldest').textContent()).toBe('nothing waiting');
    const rows = page.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().locator('.badge').textContent()).toBe('Failed for good');
    await page.getByRole('tab', { name: 'Delivered' }).click();
    await page.getByText('No delivery in this state').waitFor();
    await look(page, 'sink-desktop-en', false);

    await page.goto(`${gateway.url}/#/deliveries/flaky`);
    await settle(page);
    expect(await page.getByTestId('sink-success').textContent()).toBe('33.3%');
    await page.goto(`${gateway.url}/#/deliveries/nowhere`);
    await page.getByText('No sink named nowhere is configured.').waitFor();
    await context.close();
  });

  it('lists every attempt of a delivery on its event page, failures kept after the success', async () => {
    const { context, page } = await open('desktop', 'en-US');
    await page.goto(`${gateway.url}/#/events/${imageEvent}`);
    const flaky = page.getByRole('region', { name: 'Attempts to flaky' });
    await expect.poll(() => flaky.locator('tbody tr').count()).toBe(3);
    const outcomes = await flaky.locator('tbody tr .badge').allTextContents();
    expect(outcomes).toEqual(['Failed', 'Failed', 'Delivered']);
    const answers = await flaky.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(answers[0]).toMatch(/500/);
    expect(answers[2]).toBe('—');
    for (const took of await flaky.locator('tbody tr td:nth-child(4)').allTextContents())
      expect(took).toMatch(/^\d+ ms$/);
    const down = page.getByRole('region', { name: 'Attempts to down' });
    expect(await down.locator('tbody tr .badge').allTextContents()).toEqual(['Failed', 'Failed', 'Failed']);
    expect(await down.locator('tbody tr td:nth-child(3)').first().textContent()).toMatch(/502/);
    await down.scrollIntoViewIfNeeded();
    await look(page, 'attempts-desktop-en', false);
    await context.close();
  });

  it('opens one refusal by its link, and says so when no refusal has the id', async () => {
    const { context, page } = await open('desktop', 'en-US');
    await page.goto(`${gateway.url}/#/rejections/${refusalId}`);
    await page.getByRole('heading', { name: 'Refused callback: Wrong signature' }).waitFor();
    expect(await page.locator('pre.raw').textContent()).toContain('"stream_id":"forged"');
    await page.goto(`${gateway.url}/#/rejections`);
    await settle(page);
    const reasons = page.getByRole('navigation', { name: 'Reason' });
    await reasons.getByRole('link', { name: /Wrong signature 1/ }).waitFor();
    await page.goto(`${gateway.url}/#/rejections/00000000-0000-7000-8000-000000000000`);
    await page.getByText('No refused callback has this id').waitFor();
    await context.close();
  });

  it('finds events by the start of their id', async () => {
    const { context, page } = await open('desktop', 'en-US');
    await page.goto(`${gateway.url}/#/events`);
    await settle(page);
    await page.fill('input[name=id]', imageEvent.slice(0, 13).toUpperCase());
    await page.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL(`**/#/events?id_prefix=${imageEvent.slice(0, 13)}`);
    await page.getByRole('status').filter({ hasText: 'Events whose id starts with' }).waitFor();
    await expect.poll(() => page.locator(`a[href="#/events/${imageEvent}"]`).count()).toBeGreaterThan(0);
    await page.fill('input[name=id]', 'zz');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByRole('alert').filter({ hasText: 'An event id is 36 characters' }).waitFor();
    await context.close();
  });

  it('fits a phone in Chinese and dark: the sink page, the attempts and the refusal', async () => {
    const { context, page } = await open('phone', 'zh-CN', 'dark');
    await page.goto(`${gateway.url}/#/deliveries`);
    await look(page, 'deliveries-phone-zh-dark', true, true);
    await page.goto(`${gateway.url}/#/deliveries/down`);
    await page.getByRole('heading', { name: '转发目标 down' }).waitFor();
    await look(page, 'sink-phone-zh-dark', true, true);
    await page.goto(`${gateway.url}/#/events/${imageEvent}`);
    await page.getByRole('region', { name: '转发到 flaky 的尝试' }).locator('tbody tr').nth(2).waitFor();
    await page.getByRole('region', { name: '转发到 flaky 的尝试' }).scrollIntoViewIfNeeded();
    await look(page, 'attempts-phone-zh-dark', true, true);
    await page.goto(`${gateway.url}/#/rejections/${refusalId}`);
    await page.locator('pre.raw').waitFor();
    await look(page, 'rejection-phone-zh-dark', true, true);
    await context.close();
  });
});

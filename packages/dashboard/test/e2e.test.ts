import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, shoot } from './support/browser';
import { api, API_TOKEN, startTestGateway, type TestGateway } from './support/gateway';

const STREAM = 'e2e-news';
const TRANSCRIPT = '欢迎来到直播间，今天我们聊聊新闻';
/** The fixture samples come from several apps; one app id makes them one stream. */
const APP = 251000000;
const TASK = 'e2e-moderation-task';
const css = (fields: Record<string, unknown>) => ({
  overrides: { appid: APP, stream_id: STREAM, ...fields },
});

describe('dashboard end to end, in Chromium against a real gateway', () => {
  let distDir: string;
  let gateway: TestGateway;
  let browser: Browser;
  let page: Page;
  let receiver: Server;
  const received: { path: string; id: string }[] = [];
  /** What Chromium reports as blocked by the gateway's Content-Security-Policy. */
  const cspViolations: string[] = [];

  beforeAll(async () => {
    distDir = await buildDashboard();
    // A real webhook receiver: /archive takes everything, /flaky fails twice (so its delivery dies) then recovers.
    let flakyFailures = 0;
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        const failing = request.url === '/flaky' && flakyFailures++ < 2;
        if (!failing) received.push({ path: request.url ?? '', id: String(request.headers['webhook-id']) });
        response.writeHead(failing ? 500 : 200).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    const filter = { types: ['css.moderation.image'] };
    gateway = await startTestGateway({
      dashboardDir: distDir,
      sinks: [
        { name: 'archive', type: 'webhook', url: `${hook}/archive`, secret: 'e2e-archive-secret', filter },
        {
          name: 'flaky',
          type: 'webhook',
          url: `${hook}/flaky`,
          secret: 'e2e-flaky-secret',
          filter,
          retry: { scheduleMs: [50], jitter: 0 },
        },
      ],
    });

    await gateway.send('css.stream.push', css({ channel_id: STREAM }));
    await gateway.send('css.screenshot', css({ channel_id: STREAM }));
    await gateway.send(
      'css.monitor.asr',
      css({
        event_msg: `stream [ ${STREAM} ] callback message: {StartPtsTime:4.783, EndPtsTime:24.063, Text:${TRANSCRIPT}}`,
      }),
    );
    await gateway.send('css.moderation.image', css({ streamId: STREAM }));
    await gateway.send('css.monitor.stream_broken', css({}));
    const task = { 'EventInfo.TaskId': TASK, 'EventInfo.RoomId': '295210' };
    await gateway.send('trtc.moderation.start', { overrides: task });
    await gateway.send('trtc.moderation.result', { sample: 'variant-suggest-review', overrides: task });

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
    page.setDefaultTimeout(10_000);
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) cspViolations.push(message.text());
    });
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    if (receiver !== undefined) await new Promise((resolve) => receiver.close(resolve));
    if (distDir !== undefined) rmSync(distDir, { recursive: true, force: true });
  });

  it('refuses a wrong token with a message saying so', async () => {
    await page.goto(`${gateway.url}/`);
    await page.fill('#token', 'not-the-token');
    await page.click('button[type=submit]');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('did not accept this token');
    await shoot(page, 'sign-in-refused');
  });

  it('signs in with the API token and shows the overview', async () => {
    await page.fill('#token', API_TOKEN);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.locator('.chart svg path').first().waitFor();
    await expect.poll(() => page.locator('.card-value').first().textContent()).toBe('7');
    await shoot(page, 'overview');
  });

  it('shows triggered events in the live tail as they arrive, and holds them while paused', async () => {
    await page.goto(`${gateway.url}/#/tail`);
    await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    await expect.poll(() => gateway.running.server.hub.size).toBeGreaterThan(0);
    await gateway.send('css.monitor.low_framerate', { overrides: { stream_id: 'e2e-tail' } });
    const lowFramerate = page.locator('tr[data-event-type="css.monitor.low_framerate"]');
    await lowFramerate.filter({ hasText: 'e2e-tail' }).waitFor();

    await page.getByRole('button', { name: 'Pause' }).click();
    await gateway.send('css.monitor.stream_broken', { overrides: { stream_id: 'e2e-paused' } });
    await page.getByRole('button', { name: 'Resume (1 new)' }).waitFor();
    expect(await page.locator('tr', { hasText: 'e2e-paused' }).count()).toBe(0);
    await page.getByRole('button', { name: /Resume/ }).click();
    await page.locator('tr', { hasText: 'e2e-paused' }).waitFor();
    await shoot(page, 'live-tail');
  });

  it('opens events with their signature verdict and their bodies exactly as received', async () => {
    await page.locator('tr[data-event-type="css.monitor.low_framerate"] a.summary-link').first().click();
    await page.getByRole('heading', { name: 'Low frame rate' }).waitFor();
    expect(await page.getByTestId('raw-body').textContent()).toContain('"stream_id":"e2e-tail"');
    await page.getByText('Unsigned', { exact: true }).waitFor();
    await page.getByText(/came to the secret ingest URL/).waitFor();
    await shoot(page, 'event-unsigned');

    await page.goto(`${gateway.url}/#/events?type=css.screenshot`);
    await page.locator('a.summary-link').first().click();
    await page.getByRole('heading', { name: 'Screenshot taken' }).waitFor();
    await page.getByText('Verified', { exact: true }).waitFor();
    expect(await page.getByTestId('raw-body').textContent()).toMatch(/"sign":"[0-9a-f]{32}"/);
    await shoot(page, 'event');
  });

  it('lists streams and opens one with its timeline, screenshots and moderation hits', async () => {
    await page.goto(`${gateway.url}/#/streams`);
    // A broken stream is on the problems wall too: open it from the list.
    await page.locator('table').getByRole('link', { name: STREAM, exact: true }).click();
    await page.getByRole('heading', { name: `Stream ${STREAM}` }).waitFor();
    await page.getByRole('img', { name: 'Health timeline' }).waitFor();
    expect(await page.locator('.timeline .mark').count()).toBeGreaterThanOrEqual(4);
    await page.locator('.hit-list .hit').first().waitFor();
    await shoot(page, 'stream');
    await page.goto(`${gateway.url}/#/streams`);
    await page.locator('table').getByRole('link', { name: STREAM, exact: true }).waitFor();
    await shoot(page, 'streams');
  });

  it('decides a moderation item with the keyboard and keeps the decision after a reload', async () => {
    await page.goto(`${gateway.url}/#/moderation`);
    const first = page.getByRole('option').first();
    await first.waitFor();
    await shoot(page, 'moderation');
    const selectedId = (await first.getAttribute('id'))!.slice('mod-'.length);

    await page.keyboard.press('n');
    await page.keyboard.type('nudity in the frame, confirmed by e2e');
    await page.keyboard.press('Escape');
    await page.keyboard.press('c');
    await page.getByRole('status').filter({ hasText: 'Saved: confirmed' }).waitFor();

    await page.reload();
    await page.getByRole('tab', { name: 'Confirmed' }).click();
    const decided = page.locator(`#mod-${selectedId}`);
    await decided.waitFor();
    await decided.click();
    await page.getByTestId('review-detail').getByText('nudity in the frame, confirmed by e2e').waitFor();
    await shoot(page, 'moderation-decided');

    const stored = await api<{ status: string; decisions: { action: string; note: string }[] }>(
      gateway,
      `/moderation/${selectedId}`,
    );
    expect(stored.status).toBe('confirmed');
    expect(stored.decisions).toEqual([
      expect.objectContaining({ action: 'confirm', note: 'nudity in the frame, confirmed by e2e' }),
    ]);
  });

  it('finds a Chinese word in the transcripts and highlights it', async () => {
    await page.goto(`${gateway.url}/#/search`);
    await page.fill('input[name=q]', '直播');
    await page.keyboard.press('Enter');
    const hit = page.locator('.transcript mark').first();
    await hit.waitFor();
    expect(await hit.textContent()).toBe('直播');
    expect(await page.locator('.transcript-text').first().textContent()).toBe(TRANSCRIPT);
    await shoot(page, 'search');
  });

  it('shows TRTC moderation tasks with their state in words and result counts', async () => {
    await page.goto(`${gateway.url}/#/tasks`);
    const row = page.locator('tbody tr', { hasText: TASK });
    await row.waitFor();
    expect(await row.locator('.result-review').textContent()).toBe('1 review');
    expect(await row.locator('.badge').textContent()).toMatch(/^Running/);
    await shoot(page, 'tasks');
    await row.getByRole('link', { name: TASK }).click();
    await page.getByRole('heading', { name: 'Moderation task' }).waitFor();
    await page.locator('tbody tr').nth(1).waitFor();
    await shoot(page, 'task');
  });

  it('shows refused callbacks with their headers and the start of their body', async () => {
    await fetch(`${gateway.url}/callbacks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        event_type: 1,
        stream_id: 'forged',
        t: Math.floor(Date.now() / 1000) + 60,
        sign: 'bad',
      }),
    });
    await page.goto(`${gateway.url}/#/rejections`);
    const refused = page.locator('tbody tr', { hasText: 'LH_ERR_SIGNATURE_MISMATCH' });
    await refused.click();
    expect(await page.locator('tr.expanded pre').textContent()).toContain('"stream_id":"forged"');
    await shoot(page, 'rejections');
  });

  it('lists deliveries to sinks and sends a failed one again', async () => {
    type Deliveries = { items: { id: string; sink: string; status: string }[] };
    await expect
      .poll(async () => (await api<Deliveries>(gateway, '/deliveries?sink=flaky')).items[0]?.status, {
        timeout: 10_000,
      })
      .toBe('dead');
    await page.goto(`${gateway.url}/#/deliveries`);
    const archived = page.locator('tbody tr', { hasText: 'archive' });
    expect(await archived.locator('.badge').textContent()).toBe('Delivered');
    await page.getByRole('tab', { name: 'Failed' }).click();
    const failed = page.locator('tbody tr', { hasText: 'flaky' });
    expect(await failed.locator('.badge').textContent()).toBe('Failed for good');
    await shoot(page, 'deliveries');

    await failed.getByRole('button', { name: 'Retry' }).click();
    // Sending again is confirmed first.
    expect(received.map((delivery) => delivery.path)).toEqual(['/archive']);
    await failed.getByRole('button', { name: 'Send again' }).click();
    await expect
      .poll(async () => (await api<Deliveries>(gateway, '/deliveries?sink=flaky')).items[0]?.status, {
        timeout: 10_000,
      })
      .toBe('delivered');
    expect(received.map((delivery) => delivery.path).sort()).toEqual(['/archive', '/flaky']);
    await page.goto(`${gateway.url}/#/deliveries?status=delivered`);
    await page.locator('tbody tr', { hasText: 'flaky' }).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(2);
  });

  it('runs under the gateway Content-Security-Policy without a violation', async () => {
    const answer = await fetch(`${gateway.url}/`);
    expect(answer.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(cspViolations).toEqual([]);
  });
});

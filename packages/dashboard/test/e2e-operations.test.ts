import { rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { freshSample } from '@livehooks/fixtures';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDashboard, launchChromium, seriousViolations, settle, shoot } from './support/browser';
import { api, API_TOKEN, startTestGateway, type TestGateway } from './support/gateway';
import { FRAME_SVG } from './support/seed';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 768 };
/** One app for every CSS callback that names one. */
const APP = 251000042;
const MINUTE = 60_000;

type Items<T> = { items: T[] };

/** The items of the moderation queue. */
const queue = (page: Page) => page.getByRole('listbox').getByRole('option');

describe('operators at work, in Chromium against a real gateway', () => {
  let distDir: string;
  let gateway: TestGateway;
  let browser: Browser;
  let assets: Server;
  let frame: string;

  /** A CSS callback of `stream` that names the app, happening `ago` ms before now. */
  const css = (stream: string, ago = 0, fields: Record<string, unknown> = {}) => ({
    now: Date.now() - ago,
    overrides: { appid: APP, stream_id: stream, channel_id: stream, ...fields },
  });

  beforeAll(async () => {
    distDir = await buildDashboard();
    assets = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(200, { 'content-type': 'image/svg+xml' }).end(FRAME_SVG));
    });
    await new Promise<void>((resolve) => assets.listen(0, '127.0.0.1', resolve));
    frame = `http://127.0.0.1:${(assets.address() as AddressInfo).port}/frame.svg`;
    gateway = await startTestGateway({ dashboardDir: distDir });

    // The problems wall: two breaks (one half an hour ago, one a minute ago), a low frame rate, a healthy stream.
    for (const stream of ['ops-wall-early', 'ops-wall-late', 'ops-wall-slow', 'ops-wall-fine']) {
      await gateway.send('css.stream.push', css(stream, 40 * MINUTE));
      await gateway.send('css.screenshot', css(stream, 39 * MINUTE, { pic_full_url: frame }));
    }
    await gateway.send('css.monitor.stream_broken', css('ops-wall-early', 30 * MINUTE));
    await gateway.send('css.monitor.stream_broken', css('ops-wall-late', MINUTE));
    await gateway.send('css.monitor.low_framerate', css('ops-wall-slow', 10_000));

    // A stream whose live subtitles name no app: one row all the same.
    await gateway.send('css.stream.push', css('ops-subtitled', 5 * MINUTE));
    await gateway.send('css.subtitles', {
      sample: 'doc-sample-corrected',
      overrides: { stream_id: 'ops-subtitled', channel_id: 'ops-subtitled', task_id: 'ops-subtitles-task' },
    });

    // The moderation queue: three flagged frames of one stream, and a TRTC user flagged in a room.
    const flagged = (label: string, score: number, ago: number) =>
      gateway.send('css.moderation.image', {
        sample: 'doc-sample',
        now: Date.now() - ago,
        overrides: {
          appid: APP,
          streamId: 'ops-wall-fine',
          label,
          socre: score,
          suggestion: 'Review',
          labelResults: [],
          objectResults: [],
          img: frame,
        },
      });
    await flagged('Porn', 97, 3 * MINUTE);
    await flagged('Polity', 35, 2 * MINUTE);
    await flagged('Polity', 45, MINUTE);
    await gateway.send('trtc.moderation.result', {
      sample: 'doc-sample-image-corrected',
      overrides: {
        'EventInfo.TaskId': 'ops-room-task',
        'EventInfo.RoomId': '8802',
        'EventInfo.Payload.Image': frame,
      },
    });
    // Stopped by a ForbidLiveStream, then pushing again.
    await gateway.send('css.stream.disconnect', {
      ...css('ops-wall-fine', 20 * MINUTE),
      sample: 'variant-forbid-21-101',
    });
    await gateway.send('css.stream.push', css('ops-wall-fine', 15 * MINUTE, { sequence: 'ops-2' }));
    // A sender retry: the same signed push twice, stored once and counted on the overview.
    const retried = freshSample('css.stream.push', css('ops-retried', 2 * MINUTE));
    for (let copy = 0; copy < 2; copy++) {
      const answer = await fetch(`${gateway.url}/callbacks`, {
        method: 'POST',
        headers: retried.headers,
        body: retried.body,
      });
      expect(answer.status).toBe(200);
    }

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await gateway?.close();
    if (assets !== undefined) await new Promise((resolve) => assets.close(resolve));
    if (distDir !== undefined) rmSync(distDir, { recursive: true, force: true });
  });

  async function open(
    viewport: typeof DESKTOP,
    locale = 'en-US',
  ): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({
      viewport,
      locale,
      timezoneId: 'Asia/Shanghai',
      ...(viewport === PHONE ? { isMobile: true, hasTouch: true } : {}),
    });
    await context.addInitScript((token) => sessionStorage.setItem('livehooks.apiToken', token), API_TOKEN);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    return { context, page };
  }

  describe('on a desktop', () => {
    let context: BrowserContext;
    let page: Page;

    beforeAll(async () => {
      ({ context, page } = await open(DESKTOP));
    });
    afterAll(async () => {
      await context?.close();
    });

    it('puts the streams in trouble on the problems wall, the worst and latest first', async () => {
      await page.goto(`${gateway.url}/#/streams`);
      await settle(page);
      const wall = page.getByRole('list', { name: 'Problems now' });
      await wall.locator('li').first().waitFor();
      const order = await wall
        .locator('li')
        .evaluateAll((cards) => cards.map((card) => card.getAttribute('data-stream')));
      expect(order).toEqual(['ops-wall-late', 'ops-wall-early', 'ops-wall-slow']);
      expect(await wall.locator('li').first().getByText('Broken').count()).toBe(1);
      await wall.locator('li img').first().waitFor();
      await shoot(page, 'operations-desktop-problems-wall');
      expect(await seriousViolations(page)).toEqual([]);
    });

    it('filters the list by health and sorts it problems first', async () => {
      await page.goto(`${gateway.url}/#/streams`);
      await settle(page);
      await page.selectOption('select[name=health]', 'broken');
      await page.waitForURL('**/#/streams?health=broken');
      await expect
        .poll(() =>
          page
            .locator('tbody tr')
            .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-stream')).sort()),
        )
        .toEqual(['ops-wall-early', 'ops-wall-late']);
      await page.selectOption('select[name=health]', '');
      await page.selectOption('select[name=sort]', 'problems');
      await expect
        .poll(async () => (await page.locator('tbody tr').first().getAttribute('data-stream')) ?? '')
        .toBe('ops-wall-late');
    });

    it('shows one row for a stream whose subtitles name no app, with the subtitles on its timeline', async () => {
      await page.goto(`${gateway.url}/#/streams?q=ops-subtitled`);
      await settle(page);
      const rows = page.locator('tbody tr[data-stream="ops-subtitled"]');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(1);
      expect(await rows.textContent()).toContain(`app ${APP}`);
      const stored = await api<Items<{ appId: string }>>(gateway, '/streams?q=ops-subtitled');
      expect(stored.items.map((stream) => stream.appId)).toEqual([String(APP)]);
      await rows.getByRole('link', { name: 'ops-subtitled' }).click();
      await page.getByRole('heading', { name: 'Stream ops-subtitled' }).waitFor();
      await page.locator('tbody tr', { hasText: 'css.subtitles' }).waitFor();
    });

    it('says why a stream stopped in words from its codes, and its break on the page', async () => {
      await page.goto(`${gateway.url}/#/streams/ops-wall-late`);
      await page.getByRole('heading', { name: 'Stream ops-wall-late' }).waitFor();
      expect(await page.locator('.page-header .badge').allTextContents()).toContain('Broken');
      await page.goto(`${gateway.url}/#/streams?q=ops-wall-fine`);
      await page.getByText('Forbidden by a ForbidLiveStream request (code 21/101)').waitFor();
    });

    it('records a dry run of cutting off a stream, with who and why, in the stream’s audit trail', async () => {
      await page.goto(`${gateway.url}/#/streams/ops-wall-late`);
      await page.getByRole('heading', { name: 'Stream ops-wall-late' }).waitFor();
      await page.getByRole('button', { name: 'Cut off the stream' }).click();
      await page.getByLabel('Who decides').fill('duty-officer-li');
      await page.getByLabel('Why').fill('broken for the whole evening slot');
      expect(await page.getByLabel('Really call Tencent (not a dry run)').isChecked()).toBe(false);
      await page.getByRole('button', { name: 'Record a dry run' }).click();
      await page
        .getByTestId('action-outcome')
        .filter({ hasText: 'Dry run recorded: Cut off the stream' })
        .waitFor();
      const trail = page.locator('.action-trail li');
      await trail.first().waitFor();
      expect(await trail.first().getAttribute('data-status')).toBe('dry_run');
      expect(await trail.first().textContent()).toContain('Cut off the stream by duty-officer-li');
      await shoot(page, 'operations-desktop-stream-action');
      const stored = await api<
        Items<{ action: string; actor: string; reason: string; dryRun: boolean; status: string }>
      >(gateway, '/actions?stream_id=ops-wall-late');
      expect(stored.items).toEqual([
        expect.objectContaining({
          action: 'DropLiveStream',
          actor: 'duty-officer-li',
          reason: 'broken for the whole evening slot',
          dryRun: true,
          status: 'dry_run',
        }),
      ]);
      expect(await seriousViolations(page)).toEqual([]);
    });

    it('filters the queue by label and score, and counts what is left to review', async () => {
      await page.goto(`${gateway.url}/#/moderation`);
      await settle(page);
      await expect.poll(() => page.getByTestId('left-to-review').textContent()).toBe('4 left to review');
      await page.getByLabel('Label').fill('polity');
      await page.getByLabel('Score at least').fill('40');
      await page.getByRole('button', { name: 'Apply' }).click();
      await page.waitForURL(/label=polity/);
      await expect.poll(() => queue(page).count()).toBe(1);
      expect(await queue(page).first().textContent()).toContain('score 45');
      await expect.poll(() => page.getByTestId('left-to-review').textContent()).toBe('1 left to review');
    });

    it('decides several marked items at once', async () => {
      await page.goto(`${gateway.url}/#/moderation?label=Polity`);
      await settle(page);
      const options = queue(page);
      await expect.poll(() => options.count()).toBe(2);
      const ids = await options.evaluateAll((rows) => rows.map((row) => row.id.slice('mod-'.length)));
      await page.getByRole('listbox').focus();
      await page.keyboard.press('x');
      await options.nth(1).locator('.mark-box').click();
      await page.getByTestId('marked-count').filter({ hasText: '2 marked' }).waitFor();
      await shoot(page, 'operations-desktop-moderation-marked');
      await page
        .getByRole('group', { name: 'Decide the marked items' })
        .getByRole('button', { name: 'Dismiss' })
        .click();
      await page.getByRole('status').filter({ hasText: 'Saved: 2 items Dismissed.' }).waitFor();
      for (const id of ids) {
        const item = await api<{ status: string; decisions: { action: string }[] }>(
          gateway,
          `/moderation/${id}`,
        );
        expect(item.status).toBe('dismissed');
        expect(item.decisions.map((decision) => decision.action)).toEqual(['dismiss']);
      }
      await expect.poll(() => page.getByTestId('left-to-review').textContent()).toBe('0 left to review');
    });

    it('undoes a decision, and the item is to review again', async () => {
      await page.goto(`${gateway.url}/#/moderation?label=Porn`);
      await settle(page);
      const option = queue(page).first();
      await option.waitFor();
      const id = (await option.getAttribute('id'))!.slice('mod-'.length);
      await option.click();
      await page.keyboard.press('c');
      await page.getByRole('status').filter({ hasText: 'Saved: confirmed' }).waitFor();
      expect((await api<{ status: string }>(gateway, `/moderation/${id}`)).status).toBe('confirmed');
      await page.getByRole('status').getByRole('button', { name: 'Undo' }).click();
      await page.getByRole('status').filter({ hasText: 'Undone: the item is To review again.' }).waitFor();
      const item = await api<{ status: string; decisions: { action: string }[] }>(
        gateway,
        `/moderation/${id}`,
      );
      expect(item.status).toBe('pending');
      expect(item.decisions.map((decision) => decision.action)).toEqual(['confirm', 'undo']);
      await page
        .getByTestId('review-detail')
        .getByText(/^Undone by /)
        .waitFor();
      await expect.poll(() => page.getByTestId('left-to-review').textContent()).toBe('1 left to review');
    });

    it('removes a flagged TRTC user as a dry run from the review panel', async () => {
      await page.goto(`${gateway.url}/#/moderation?source=trtc`);
      await settle(page);
      await queue(page).first().click();
      const panel = page.getByTestId('review-detail');
      await panel.getByRole('button', { name: 'Remove the user from the room' }).click();
      await panel.getByLabel('Why').fill('nudity on camera');
      await panel.getByRole('button', { name: 'Record a dry run' }).click();
      await panel.getByTestId('action-outcome').filter({ hasText: 'Dry run recorded' }).waitFor();
      const stored = await api<Items<{ action: string; roomId: string; status: string; request: object }>>(
        gateway,
        '/actions?room_id=8802',
      );
      expect(stored.items).toEqual([
        expect.objectContaining({
          action: 'RemoveUser',
          roomId: '8802',
          status: 'dry_run',
          request: expect.objectContaining({ RoomId: 8802 }) as object,
        }),
      ]);
    });

    it('counts live and troubled streams, items waiting for review and sender retries on the overview', async () => {
      const stats = await api<{
        totals: { duplicates: number; streams: { live: number }; pendingReview: number };
      }>(gateway, '/stats');
      await page.goto(`${gateway.url}/#/`);
      await settle(page);
      await expect
        .poll(() => page.getByTestId('live-streams').textContent())
        .toBe(String(stats.totals.streams.live));
      expect(await page.getByTestId('troubled-streams').textContent()).toBe('3');
      expect(await page.getByTestId('pending-review').textContent()).toBe(String(stats.totals.pendingReview));
      expect(stats.totals.duplicates).toBe(1);
      expect(await page.getByTestId('duplicates').textContent()).toBe('1');
      await shoot(page, 'operations-desktop-overview');
    });
  });

  describe('on a phone', () => {
    for (const locale of ['en-US', 'zh-CN'] as const) {
      it(`${locale}: fits the wall, the stream actions and the bulk bar on the screen`, async () => {
        const { context, page } = await open(PHONE, locale);
        const zh = locale === 'zh-CN';
        const fits = async (name: string) => {
          await settle(page);
          await shoot(page, `operations-phone-${locale}-${name}`);
          const overflow = await page.evaluate(
            () => document.documentElement.scrollWidth - window.innerWidth,
          );
          expect(overflow, `${name} is wider than the screen`).toBeLessThanOrEqual(0);
          expect(await seriousViolations(page), name).toEqual([]);
        };
        await page.goto(`${gateway.url}/#/streams`);
        await page
          .getByRole('list', { name: zh ? '当前问题' : 'Problems now' })
          .locator('li img')
          .first()
          .waitFor();
        await fits('streams');
        if (zh) await page.getByText('被 ForbidLiveStream 请求禁推（错误码 21/101）').first().waitFor();

        await page.goto(`${gateway.url}/#/streams/ops-wall-early`);
        await page.getByRole('button', { name: zh ? '禁推直播流' : 'Forbid the stream' }).click();
        await fits('stream-action');

        await page.goto(`${gateway.url}/#/moderation?status=all`);
        await queue(page).first().waitFor();
        await page
          .getByRole('button', { name: zh ? '勾选显示的全部待审内容' : 'Mark all shown to review' })
          .click();
        await fits('moderation-bulk');
        await context.close();
      }, 60_000);
    }
  });
});

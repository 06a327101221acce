import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, runCli } from './support/cli.js';
import { startGateway, type TestGateway } from './support/gateway.js';

interface ReplayReport {
  total: number;
  replayed: number;
  delivered: number;
  failed: number;
  events: {
    id: string;
    type: string;
    resigned: boolean;
    delivered: boolean;
    attempts: { status?: number }[];
  }[];
}

/** The gateway the events were first stored in, and a receiver that knows another CSS key. */
let source: TestGateway;
let target: TestGateway;
const TARGET_CSS_KEY = 'replayTargetCssKey';

beforeAll(async () => {
  await ensureBuilt();
  source = await startGateway();
  target = await startGateway({ css: { keys: [TARGET_CSS_KEY] } });
  for (const [type, set] of [
    ['css.screenshot', 'stream_id=replay-css'],
    ['trtc.room.entered', 'EventInfo.UserId=replay-trtc'],
    ['css.stream.push', 'stream_id=replay-push'],
  ] as const) {
    expect((await runCli(['trigger', type, '--url', source.callbackUrl, '--set', set])).code).toBe(0);
  }
}, 180_000);
afterAll(async () => {
  await source.close();
  await target.close();
});

async function storedIn(gateway: TestGateway) {
  return (await gateway.running.server.store.listEvents({ limit: 100 })).items;
}

describe('livehooks replay', () => {
  it('lists what it would replay, oldest first, with --dry-run', async () => {
    const result = await runCli([
      'replay',
      ...source.apiArgs,
      '--to',
      target.callbackUrl,
      '--dry-run',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { total: number; events: { type: string }[] };
    expect(report.events.map((event) => event.type)).toEqual([
      'css.screenshot',
      'trtc.room.entered',
      'css.stream.push',
    ]);
    expect(await storedIn(target)).toHaveLength(0);
  });

  it('fails CSS callbacks whose stored signature the target does not accept, and exits 3', async () => {
    const result = await runCli([
      'replay',
      ...source.apiArgs,
      '--to',
      target.callbackUrl,
      '--type',
      'css.screenshot',
      '--json',
    ]);
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout) as ReplayReport;
    expect(report).toMatchObject({ total: 1, delivered: 0, failed: 1 });
    expect(report.events[0]?.attempts.map((attempt) => attempt.status)).toEqual([401]);
  });

  it('re-sends stored bytes, re-signing CSS with a fresh t, and the target stores each once', async () => {
    const result = await runCli([
      'replay',
      ...source.apiArgs,
      '--to',
      target.callbackUrl,
      '--key',
      TARGET_CSS_KEY,
      '--json',
    ]);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as ReplayReport;
    expect(report).toMatchObject({ total: 3, replayed: 3, delivered: 3, failed: 0 });
    expect(report.events.map((event) => [event.type, event.resigned])).toEqual([
      ['css.screenshot', true],
      ['trtc.room.entered', false],
      ['css.stream.push', true],
    ]);

    const original = await storedIn(source);
    const replayed = await storedIn(target);
    expect(replayed.map((event) => event.type).sort()).toEqual(original.map((event) => event.type).sort());
    // The TRTC body is byte for byte the stored one, and its original Sign still verifies.
    const trtcSource = original.find((event) => event.type === 'trtc.room.entered')!;
    const trtcTarget = replayed.find((event) => event.type === 'trtc.room.entered')!;
    const [a, b] = await Promise.all([
      source.running.server.store.getEvent(trtcSource.id),
      target.running.server.store.getEvent(trtcTarget.id),
    ]);
    expect(Buffer.from(b!.raw).equals(Buffer.from(a!.raw))).toBe(true);
    expect(b!.headers.sign).toBe(a!.headers.sign);
    expect(trtcTarget.auth.method).toBe('trtc-hmac');
    // The CSS body differs only in t and sign.
    const cssSource = original.find((event) => event.type === 'css.screenshot')!;
    const cssTarget = replayed.find((event) => event.type === 'css.screenshot')!;
    const [c, d] = await Promise.all([
      source.running.server.store.getEvent(cssSource.id),
      target.running.server.store.getEvent(cssTarget.id),
    ]);
    const { t: _t1, sign: _s1, ...before } = c!.payload;
    const { t: _t2, sign: _s2, ...after } = d!.payload;
    expect(after).toEqual(before);
    expect(cssTarget.dedupeKey).toBe(cssSource.dedupeKey);

    // A second replay is absorbed as duplicates: nothing new is stored.
    const again = await runCli([
      'replay',
      ...source.apiArgs,
      '--to',
      target.callbackUrl,
      '--key',
      TARGET_CSS_KEY,
    ]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('replayed 3/3 to');
    const afterAgain = await storedIn(target);
    expect(afterAgain).toHaveLength(3);
    expect(afterAgain.every((event) => event.duplicates === 1)).toBe(true);
  });

  it('requires --to, and exits 5 when the source gateway is unreachable', async () => {
    const missing = await runCli(['replay', ...source.apiArgs]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '--to <url>' not specified");
    const unreachable = await runCli([
      'replay',
      '--server',
      'http://127.0.0.1:9',
      '--token',
      'x'.repeat(20),
      '--to',
      target.callbackUrl,
    ]);
    expect(unreachable.code).toBe(5);
  });
});

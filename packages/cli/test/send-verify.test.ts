import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCss } from '@livehooks/core';
import { freshSample, TEST_KEYS } from '@livehooks/fixtures';
import { ensureBuilt, runCli } from './support/cli.js';
import { startGateway, type TestGateway } from './support/gateway.js';

/** The official TRTC test vector (https://trtc.io/document/54912). */
const VECTOR =
  '{\n\t"EventGroupId":\t2,\n\t"EventType":\t204,\n\t"CallbackTs":\t1664209748188,\n\t"EventInfo":\t{\n\t\t"RoomId":\t8489,\n\t\t"EventTs":\t1664209748,\n\t\t"EventMsTs":\t1664209748180,\n\t\t"UserId":\t"user_85034614",\n\t\t"Reason":\t0\n\t}\n}';
const VECTOR_SIGN = 'kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=';

let gateway: TestGateway;
const dir = mkdtempSync(join(tmpdir(), 'livehooks-send-'));

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  await ensureBuilt();
  gateway = await startGateway();
}, 180_000);
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('livehooks send', () => {
  it('sends a captured TRTC callback byte for byte with its headers', async () => {
    const sample = freshSample('trtc.room.exited', { overrides: { 'EventInfo.UserId': 'send-bytes' } });
    const path = file('trtc.json', sample.body);
    const result = await runCli([
      'send',
      path,
      '--url',
      gateway.callbackUrl,
      '-H',
      `Sign: ${sample.headers.sign}`,
      '-H',
      `SdkAppId: ${sample.headers.sdkappid}`,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      `${Buffer.byteLength(sample.body)} bytes to ${gateway.callbackUrl}: delivered after 1 attempt`,
    );
    const { items } = await gateway.running.server.store.listEvents({
      limit: 10,
      types: ['trtc.room.exited'],
    });
    const stored = await gateway.running.server.store.getEvent(items[0]!.id);
    expect(Buffer.from(stored!.raw).toString()).toBe(sample.body);
  });

  it('reads standard input and signs a CSS body with a fresh t, changing nothing else', async () => {
    const body =
      '{"event_type":1,"stream_id":"send-stdin","sequence":"77","event_time":1700000000 , "app":"x "}';
    const result = await runCli(['send', '-', '--url', gateway.callbackUrl, '--sign', '--json'], {
      input: body,
    });
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      delivered: true,
      family: 'css',
      policy: 'css-standard',
    });
    const { items } = await gateway.running.server.store.listEvents({ limit: 10, streamId: 'send-stdin' });
    expect(items).toHaveLength(1);
    const raw = Buffer.from((await gateway.running.server.store.getEvent(items[0]!.id))!.raw).toString();
    expect(
      raw.startsWith(
        '{"event_type":1,"stream_id":"send-stdin","sequence":"77","event_time":1700000000 , "app":"x ","t":',
      ),
    ).toBe(true);
    const { t, sign } = JSON.parse(raw) as { t: number; sign: string };
    expect(sign).toBe(signCss(TEST_KEYS.css, t));
  });

  it('signs TRTC bytes as they are with --sign', async () => {
    const result = await runCli([
      'send',
      file('vector.json', VECTOR),
      '--url',
      gateway.callbackUrl,
      '--sign',
    ]);
    expect(result.code).toBe(0);
    const { items } = await gateway.running.server.store.listEvents({
      limit: 10,
      types: ['trtc.media.audio_stop'],
    });
    expect(items.some((event) => event.subject.userId === 'user_85034614')).toBe(true);
  });

  it('exits 3 when the receiver refuses the body, and 2 when the file is missing', async () => {
    const refused = await runCli([
      'send',
      file('vector2.json', VECTOR),
      '--url',
      gateway.callbackUrl,
      '-H',
      `Sign: ${VECTOR_SIGN}`,
      '-H',
      'SdkAppId: 1400000001',
      '--no-retry',
    ]);
    expect(refused.code).toBe(3);
    expect(refused.stdout).toMatch(/attempt 1 at [\d:.]+: 401 \{"code":"LH_ERR_SIGNATURE_MISMATCH"/);
    const missing = await runCli(['send', join(dir, 'nope.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('nope.json: no such file (ENOENT)');
    const unread = await runCli(['verify', join(dir, 'nope.json')]);
    expect(unread.code).toBe(2);
    expect(unread.stderr).toContain('nope.json: no such file (ENOENT)');
  });
});

describe('livehooks verify', () => {
  it('verifies the official TRTC vector', async () => {
    const result = await runCli([
      'verify',
      file('v.json', VECTOR),
      '--key',
      '123654',
      '--sign',
      VECTOR_SIGN,
      '--sdk-app-id',
      '1400000001',
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('✓ verifies (TRTC, verified)');
  });

  it('explains a re-serialised body, without printing the key', async () => {
    const result = await runCli(
      ['verify', '-', '--key', '123654', '--sign', VECTOR_SIGN, '--sdk-app-id', '1400000001', '--json'],
      { input: JSON.stringify(JSON.parse(VECTOR)) },
    );
    expect(result.code).toBe(4);
    expect(JSON.parse(result.stdout)).toMatchObject({
      verified: false,
      verdict: 're-serialised',
      family: 'trtc',
    });
    expect(result.stdout).not.toContain('123654');
  });

  it('explains a trailing newline added after signing', async () => {
    const result = await runCli([
      'verify',
      file('nl.json', `${VECTOR}\n`),
      '--key',
      '123654',
      '-H',
      `Sign: ${VECTOR_SIGN}`,
    ]);
    expect(result.code).toBe(4);
    expect(result.stdout).toContain('whitespace-changed');
    expect(result.stdout).toContain('trailing newline');
  });

  it('explains an expired CSS t and a wrong CSS key, with keys from the environment', async () => {
    const t = Math.floor(Date.now() / 1000) - 3600;
    const expired = file(
      'expired.json',
      JSON.stringify({ event_type: 0, stream_id: 's', t, sign: signCss('envKey', t) }),
    );
    const stale = await runCli(['verify', expired], { env: { LIVEHOOKS_CSS_KEYS: 'oldKey,envKey' } });
    expect(stale.code).toBe(4);
    expect(stale.stdout).toMatch(/expired, CSS|CSS, expired/);
    expect(stale.stdout).toMatch(/t expired 360\d s ago/);
    const wrong = await runCli(['verify', expired, '--key', 'someOtherKey']);
    expect(wrong.code).toBe(4);
    expect(wrong.stdout).toContain('wrong-key');
    expect(wrong.stdout + wrong.stderr).not.toContain('someOtherKey');
  });

  it('explains a missing Sign header, and exits 2 without a key', async () => {
    const missing = await runCli(['verify', file('nosign.json', VECTOR), '--key', '123654']);
    expect(missing.code).toBe(4);
    expect(missing.stdout).toContain('missing-signature');
    const noKey = await runCli(['verify', file('nokey.json', VECTOR), '--sign', VECTOR_SIGN]);
    expect(noKey.code).toBe(2);
    expect(noKey.stdout).toContain('no TRTC key');
  });
});

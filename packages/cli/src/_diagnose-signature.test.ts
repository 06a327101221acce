import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signCss } from '@livehooks/core';
import { diagnoseSignature, type DiagnoseInput } from './_diagnose-signature.js';

const VECTOR =
  '{\n\t"EventGroupId":\t2,\n\t"EventType":\t204,\n\t"CallbackTs":\t1664209748188,\n\t"EventInfo":\t{\n\t\t"RoomId":\t8489,\n\t\t"EventTs":\t1664209748,\n\t\t"EventMsTs":\t1664209748180,\n\t\t"UserId":\t"user_85034614",\n\t\t"Reason":\t0\n\t}\n}';
const VECTOR_SIGN = 'kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=';
const TRTC_KEY = '123654';
const CSS_KEY = 'cssSecretKey42';
const now = Date.UTC(2025, 0, 1);
const t = Math.floor(now / 1000) + 600;

function trtc(body: string, overrides: Partial<DiagnoseInput> = {}) {
  return diagnoseSignature({
    body: new TextEncoder().encode(body),
    headers: { sign: VECTOR_SIGN, sdkappid: '1400000001' },
    cssKeys: [],
    trtcKeys: { '1400000001': TRTC_KEY },
    now,
    skewSeconds: 0,
    ...overrides,
  });
}

function css(payload: Record<string, unknown>, overrides: Partial<DiagnoseInput> = {}) {
  return diagnoseSignature({
    body: new TextEncoder().encode(JSON.stringify(payload)),
    headers: {},
    cssKeys: [CSS_KEY],
    trtcKeys: {},
    now,
    skewSeconds: 0,
    ...overrides,
  });
}

describe('diagnoseSignature for TRTC', () => {
  it('verifies the official test vector', () => {
    expect(trtc(VECTOR)).toMatchObject({ family: 'trtc', verified: true, verdict: 'verified' });
  });

  it('detects a body re-serialised compactly after signing', () => {
    const diagnosis = trtc(JSON.stringify(JSON.parse(VECTOR)));
    expect(diagnosis).toMatchObject({ verified: false, verdict: 're-serialised' });
    expect(diagnosis.message).toMatch(/tab-indented/);
  });

  it('detects a body re-indented with two spaces after signing', () => {
    expect(trtc(JSON.stringify(JSON.parse(VECTOR), null, 2)).verdict).toBe('re-serialised');
  });

  it('detects a trailing newline added after signing', () => {
    const diagnosis = trtc(`${VECTOR}\n`);
    expect(diagnosis.verdict).toBe('whitespace-changed');
    expect(diagnosis.message).toMatch(/trailing newline/);
  });

  it('detects line endings changed to CRLF', () => {
    expect(trtc(VECTOR.replace(/\n/g, '\r\n')).verdict).toBe('whitespace-changed');
  });

  it('detects a Sign written in hex', () => {
    const hex = createHmac('sha256', TRTC_KEY).update(VECTOR).digest('hex');
    expect(trtc(VECTOR, { headers: { sign: hex, sdkappid: '1400000001' } }).verdict).toBe('wrong-encoding');
  });

  it('reports a wrong key when no variant of the body matches', () => {
    expect(trtc(VECTOR, { trtcKeys: { '1400000001': 'another' } })).toMatchObject({
      verdict: 'wrong-key',
      verified: false,
    });
  });

  it('names the app whose key matches when the SdkAppId header names another', () => {
    const diagnosis = trtc(VECTOR, { trtcKeys: { '1400000001': 'another', '1400000002': TRTC_KEY } });
    expect(diagnosis.verdict).toBe('wrong-app');
    expect(diagnosis.message).toContain('1400000002');
  });

  it('reports a missing Sign header', () => {
    expect(trtc(VECTOR, { headers: { sdkappid: '1400000001' } }).verdict).toBe('missing-signature');
  });

  it('uses a key given without an app, and says the SdkAppId header is missing', () => {
    const diagnosis = trtc(VECTOR, { headers: { sign: VECTOR_SIGN }, trtcKeys: { '*': TRTC_KEY } });
    expect(diagnosis.verified).toBe(true);
    expect(diagnosis.hints.join(' ')).toMatch(/SdkAppId header is missing/);
  });

  it('asks for a key when it has none', () => {
    expect(trtc(VECTOR, { trtcKeys: {} }).verdict).toBe('no-key');
  });
});

describe('diagnoseSignature for CSS', () => {
  it('verifies a current signature', () => {
    expect(css({ event_type: 1, t, sign: signCss(CSS_KEY, t) })).toMatchObject({
      verified: true,
      matchedKey: '1',
    });
  });

  it('reports a correct signature whose t has expired', () => {
    const diagnosis = css({ event_type: 1, t, sign: signCss(CSS_KEY, t) }, { now: (t + 61) * 1000 });
    expect(diagnosis).toMatchObject({ verified: false, verdict: 'expired' });
    expect(diagnosis.message).toMatch(/expired 61 s ago/);
  });

  it('accepts an expired t within the allowed skew', () => {
    expect(
      css({ event_type: 1, t, sign: signCss(CSS_KEY, t) }, { now: (t + 61) * 1000, skewSeconds: 120 })
        .verified,
    ).toBe(true);
  });

  it('names the rotated key that matches by its position', () => {
    const diagnosis = css({ event_type: 1, t, sign: signCss(CSS_KEY, t) }, { cssKeys: ['old', CSS_KEY] });
    expect(diagnosis).toMatchObject({ verified: true, matchedKey: '2' });
  });

  it('detects md5(t + key) instead of md5(key + t)', () => {
    expect(css({ event_type: 1, t, sign: signCss(String(t), CSS_KEY) }).verdict).toBe('wrong-order');
  });

  it('reports a wrong key and says the body does not matter', () => {
    const diagnosis = css({ event_type: 1, t, sign: signCss('other', t) });
    expect(diagnosis.verdict).toBe('wrong-key');
    expect(diagnosis.hints.join(' ')).toMatch(/not the body/);
  });

  it('explains that 321 callbacks are never signed', () => {
    expect(css({ event_type: 321, stream_id: 's' }).verdict).toBe('unsigned-event');
    expect(css({ event_type: 343, stream_id: 's' }).verdict).toBe('unsigned-event');
  });

  it('reports a missing sign field', () => {
    const diagnosis = css({ event_type: 1, t });
    expect(diagnosis.verdict).toBe('missing-signature');
    expect(diagnosis.message).toMatch(/no sign field/);
  });

  it('asks for a key when it has none', () => {
    expect(css({ event_type: 1, t, sign: 'x' }, { cssKeys: [] }).verdict).toBe('no-key');
  });
});

describe('diagnoseSignature output', () => {
  it('never contains a key, whatever the verdict', () => {
    const outputs = [
      trtc(VECTOR),
      trtc(`${VECTOR}\n`),
      trtc(VECTOR, { trtcKeys: { '1400000001': 'another', '1400000002': TRTC_KEY } }),
      css({ event_type: 1, t, sign: signCss(CSS_KEY, t) }),
      css({ event_type: 1, t, sign: signCss('x', t) }),
      css({ event_type: 1, t, sign: signCss(CSS_KEY, t) }, { now: (t + 5000) * 1000 }),
    ].map((diagnosis) => JSON.stringify(diagnosis));
    for (const output of outputs) {
      expect(output).not.toContain(TRTC_KEY);
      expect(output).not.toContain(CSS_KEY);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { createHashes } from '../crypto/hashes.js';
import { LivehooksError } from '../errors/livehooks-error.js';
import { signCss, verifyCssSignature } from './css-signature.js';

const NOW_MS = 1_703_731_478_000;
// now + 600 s, as Tencent sets it (https://cloud.tencent.com/document/product/267/32744)
const T = 1_703_732_078;
const now = () => NOW_MS;

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof LivehooksError) return error.code;
    throw error;
  }
  return undefined;
}

describe.each(['node', 'noble'] as const)('CSS signature with the %s hashes', (backend) => {
  const hashes = createHashes(backend);

  it('computes md5_hex(key + t)', () => {
    // Computed independently: `printf %s key1703732078 | md5sum`.
    expect(signCss('key', T, hashes)).toBe('913536c0d1d5741d4636f679709242ec');
    expect(signCss('key', String(T), hashes)).toBe('913536c0d1d5741d4636f679709242ec');
  });

  it('accepts a correctly signed callback with t as a number or a numeric string', () => {
    const sign = signCss('key', T, hashes);
    expect(verifyCssSignature({ t: T, sign }, { keys: ['key'], now, hashes })).toEqual({
      keyIndex: 0,
      stale: false,
      expiresAt: T,
    });
    expect(verifyCssSignature({ t: String(T), sign }, { keys: ['key'], now, hashes }).stale).toBe(false);
  });

  it('accepts an uppercase hex sign', () => {
    const sign = signCss('key', T, hashes).toUpperCase();
    expect(codeOf(() => verifyCssSignature({ t: T, sign }, { keys: ['key'], now, hashes }))).toBeUndefined();
  });

  it('finds the matching key among several during a rotation', () => {
    const sign = signCss('new-key', T, hashes);
    const result = verifyCssSignature({ t: T, sign }, { keys: ['old-key', 'new-key'], now, hashes });
    expect(result.keyIndex).toBe(1);
  });

  it('rejects a sign made with another key', () => {
    const sign = signCss('other', T, hashes);
    expect(codeOf(() => verifyCssSignature({ t: T, sign }, { keys: ['key'], now, hashes }))).toBe(
      'LH_ERR_SIGNATURE_MISMATCH',
    );
  });

  it('rejects a sign for another t', () => {
    const sign = signCss('key', T + 1, hashes);
    expect(codeOf(() => verifyCssSignature({ t: T, sign }, { keys: ['key'], now, hashes }))).toBe(
      'LH_ERR_SIGNATURE_MISMATCH',
    );
  });

  it('rejects a non-integer t', () => {
    const sign = signCss('key', '1703732078.5', hashes);
    expect(
      codeOf(() => verifyCssSignature({ t: '1703732078.5', sign }, { keys: ['key'], now, hashes })),
    ).toBe('LH_ERR_SIGNATURE_MISMATCH');
    expect(codeOf(() => verifyCssSignature({ t: 'abc', sign }, { keys: ['key'], now, hashes }))).toBe(
      'LH_ERR_SIGNATURE_MISMATCH',
    );
  });

  it('reports missing t or sign as missing', () => {
    expect(codeOf(() => verifyCssSignature({ t: undefined, sign: 'x' }, { keys: ['key'], now }))).toBe(
      'LH_ERR_SIGNATURE_MISSING',
    );
    expect(codeOf(() => verifyCssSignature({ t: T, sign: undefined }, { keys: ['key'], now }))).toBe(
      'LH_ERR_SIGNATURE_MISSING',
    );
  });

  it('reports a signed callback with no key configured', () => {
    expect(codeOf(() => verifyCssSignature({ t: T, sign: 'x' }, { keys: [], now }))).toBe('LH_ERR_NO_KEY');
  });
});

describe('CSS expiry', () => {
  const sign = signCss('key', T);

  it('reports an expired but correctly signed callback as stale, not forged', () => {
    const later = () => (T + 1) * 1000;
    expect(verifyCssSignature({ t: T, sign }, { keys: ['key'], now: later }).stale).toBe(true);
  });

  it('allows the configured skew past t', () => {
    const later = () => (T + 30) * 1000;
    expect(verifyCssSignature({ t: T, sign }, { keys: ['key'], now: later, skewSeconds: 60 }).stale).toBe(
      false,
    );
    expect(verifyCssSignature({ t: T, sign }, { keys: ['key'], now: later, skewSeconds: 10 }).stale).toBe(
      true,
    );
  });

  it('rejects stale callbacks when asked to', () => {
    const later = () => (T + 120) * 1000;
    expect(
      codeOf(() => verifyCssSignature({ t: T, sign }, { keys: ['key'], now: later, rejectStale: true })),
    ).toBe('LH_ERR_CSS_SIGN_EXPIRED');
  });

  it('never reports a forged callback as stale', () => {
    const later = () => (T + 120) * 1000;
    expect(
      codeOf(() =>
        verifyCssSignature(
          { t: T, sign: signCss('other', T) },
          { keys: ['key'], now: later, rejectStale: true },
        ),
      ),
    ).toBe('LH_ERR_SIGNATURE_MISMATCH');
  });
});

import { describe, expect, it } from 'vitest';
import { createHashes } from '../crypto/hashes.js';
import { LivehooksError } from '../errors/livehooks-error.js';
import { signTrtc, verifyTrtcSignature } from './trtc-signature.js';

// The official test vector (https://trtc.io/document/54912): 207 bytes with real tabs and newlines.
const VECTOR_BODY = Buffer.from(
  'ewoJIkV2ZW50R3JvdXBJZCI6CTIsCgkiRXZlbnRUeXBlIjoJMjA0LAoJIkNhbGxiYWNrVHMiOgkxNjY0MjA5NzQ4MTg4LAoJIkV2ZW50SW5mbyI6CXsKCQkiUm9vbUlkIjoJODQ4OSwKCQkiRXZlbnRUcyI6CTE2NjQyMDk3NDgsCgkJIkV2ZW50TXNUcyI6CTE2NjQyMDk3NDgxODAsCgkJIlVzZXJJZCI6CSJ1c2VyXzg1MDM0NjE0IiwKCQkiUmVhc29uIjoJMAoJfQp9',
  'base64',
);
const VECTOR_KEY = '123654';
const VECTOR_SIGN = 'kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=';

function codeOf(run: () => void): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof LivehooksError) return error.code;
    throw error;
  }
  return undefined;
}

describe.each(['node', 'noble'] as const)('TRTC signature with the %s hashes', (backend) => {
  const hashes = createHashes(backend);
  const bytes = new Uint8Array(VECTOR_BODY);

  it('reproduces the official test vector byte-exactly', () => {
    expect(bytes.byteLength).toBe(207);
    expect(signTrtc(VECTOR_KEY, bytes, hashes)).toBe(VECTOR_SIGN);
    expect(codeOf(() => verifyTrtcSignature(bytes, VECTOR_SIGN, VECTOR_KEY, hashes))).toBeUndefined();
  });

  it('signs a string body as its UTF-8 bytes', () => {
    expect(signTrtc(VECTOR_KEY, VECTOR_BODY.toString('utf8'), hashes)).toBe(VECTOR_SIGN);
  });

  it('rejects the compact re-serialisation of the same body', () => {
    const compact = JSON.stringify(JSON.parse(VECTOR_BODY.toString('utf8')));
    expect(signTrtc(VECTOR_KEY, compact, hashes)).toBe('anzyZII7pPNA7OhLIykuCYYviTmAgduUch5n7HSFggc=');
    expect(codeOf(() => verifyTrtcSignature(compact, VECTOR_SIGN, VECTOR_KEY, hashes))).toBe(
      'LH_ERR_SIGNATURE_MISMATCH',
    );
  });

  it('rejects the body with a trailing newline', () => {
    const withNewline = VECTOR_BODY.toString('utf8') + '\n';
    expect(signTrtc(VECTOR_KEY, withNewline, hashes)).toBe('/AJ2W641rXMAGnhu8lGSiSDJxYZVAtJLk2ncQJodHNk=');
    expect(codeOf(() => verifyTrtcSignature(withNewline, VECTOR_SIGN, VECTOR_KEY, hashes))).toBe(
      'LH_ERR_SIGNATURE_MISMATCH',
    );
  });

  it('rejects a hex digest and escaped newlines', () => {
    const hex = '924a0578edce8766479e3b60f2d100421b572b5ebf288d395b70507dff08bc60';
    expect(codeOf(() => verifyTrtcSignature(bytes, hex, VECTOR_KEY, hashes))).toBe(
      'LH_ERR_SIGNATURE_MISMATCH',
    );
    const escaped = VECTOR_BODY.toString('utf8').replaceAll('\n', '\\n');
    expect(codeOf(() => verifyTrtcSignature(escaped, VECTOR_SIGN, VECTOR_KEY, hashes))).toBe(
      'LH_ERR_SIGNATURE_MISMATCH',
    );
  });

  it('rejects another key', () => {
    expect(codeOf(() => verifyTrtcSignature(bytes, VECTOR_SIGN, '123655', hashes))).toBe(
      'LH_ERR_SIGNATURE_MISMATCH',
    );
  });

  it('reports a missing Sign as missing, not as a mismatch', () => {
    expect(codeOf(() => verifyTrtcSignature(bytes, undefined, VECTOR_KEY, hashes))).toBe(
      'LH_ERR_SIGNATURE_MISSING',
    );
    expect(codeOf(() => verifyTrtcSignature(bytes, '', VECTOR_KEY, hashes))).toBe('LH_ERR_SIGNATURE_MISSING');
  });

  it('accepts surrounding whitespace in the header but not a truncated signature', () => {
    expect(codeOf(() => verifyTrtcSignature(bytes, ` ${VECTOR_SIGN} `, VECTOR_KEY, hashes))).toBeUndefined();
    expect(codeOf(() => verifyTrtcSignature(bytes, VECTOR_SIGN.slice(0, -4), VECTOR_KEY, hashes))).toBe(
      'LH_ERR_SIGNATURE_MISMATCH',
    );
  });
});

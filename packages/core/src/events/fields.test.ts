import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberText } from './fields.js';

describe('numberText', () => {
  it('writes a number as String does', () => {
    for (const value of [
      0,
      -0,
      1,
      -1,
      2 ** 30 - 1,
      2 ** 30,
      2 ** 30 + 1,
      1e8,
      1e8 + 1,
      1735872251524,
      1735872200000,
      1735800000001,
      Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER + 1,
      -1735872251524,
      1735872251524.5,
      0.1,
      1e21,
      1e300,
    ]) {
      expect(numberText(value)).toBe(String(value));
    }
  });

  it('writes any integer and any double as String does', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (value) => numberText(value) === String(value)),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 2 ** 30, max: 2 ** 45 }), (value) => numberText(value) === String(value)),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.double({ noNaN: true }), (value) => numberText(value) === String(value)),
      { numRuns: 5000 },
    );
  });
});

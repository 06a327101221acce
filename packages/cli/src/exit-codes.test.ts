import { errorCodes, LivehooksError, type ErrorCode } from '@livehooks/core';
import { describe, expect, it } from 'vitest';
import { CliError, exitCodeOf } from './_cli-error.js';
import { exitCodeMeanings, exitCodeOfErrorCode, exitCodes } from './exit-codes.js';

describe('exit codes', () => {
  it('gives every named exit code one meaning, and no meaning without a name', () => {
    expect(
      Object.keys(exitCodeMeanings)
        .map(Number)
        .sort((a, b) => a - b),
    ).toEqual(Object.values(exitCodes).sort((a, b) => a - b));
    expect(new Set(Object.values(exitCodes)).size).toBe(Object.keys(exitCodes).length);
  });

  it('keeps the documented numbers', () => {
    expect(exitCodes).toEqual({
      ok: 0,
      failure: 1,
      usage: 2,
      undelivered: 3,
      unverified: 4,
      gateway: 5,
      unauthorized: 6,
      notFound: 7,
      config: 8,
      interrupted: 130,
    });
  });

  it('ends a LivehooksError by its code, from the same table', () => {
    const expected: Partial<Record<ErrorCode, number>> = {
      LH_ERR_INVALID_CONFIG: 8,
      LH_ERR_STORE_UNAVAILABLE: 8,
      LH_ERR_UNAUTHORIZED: 6,
      LH_ERR_NOT_FOUND: 7,
      LH_ERR_INTERNAL: 1,
    };
    for (const code of Object.keys(errorCodes) as ErrorCode[]) {
      const exitCode = exitCodeOf(new LivehooksError(code, 'failed'));
      expect(exitCode, code).toBe(expected[code] ?? exitCodes.failure);
      expect(exitCode, code).toBe(exitCodeOfErrorCode(code));
    }
  });

  it('ends an unexpected plain Error like LH_ERR_INTERNAL: an unexpected failure', () => {
    const internal = exitCodeOfErrorCode('LH_ERR_INTERNAL');
    expect(exitCodeOf(new Error('boom'))).toBe(internal);
    expect(exitCodeOf(new TypeError('x is undefined'))).toBe(internal);
    expect(exitCodeOf('a thrown string')).toBe(internal);
    expect(exitCodeMeanings[internal]).toMatch(/^unexpected failure/);
  });

  it('ends a CliError with its own exit code', () => {
    expect(exitCodeOf(new CliError(exitCodes.gateway, 'the gateway answered 502'))).toBe(5);
  });
});

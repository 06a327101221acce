import { describe, expect, it } from 'vitest';
import { describeDisconnect } from './disconnect-codes.js';

describe('describeDisconnect', () => {
  it.each([
    [1, undefined, 'push client actively stopped', 'client'],
    [4, 0, 'push client actively stopped', 'client'],
    [35, undefined, 'push client actively stopped', 'client'],
    [5, undefined, 'live system internal error', 'internal'],
    [7, undefined, 'single RTMP frame exceeds the configured maximum size', 'protocol'],
    [8, undefined, 'no push data for a long time', 'idle'],
    [14, undefined, 'push link network abnormal', 'network'],
    [18, 100, 'live system internal error', 'internal'],
    [18, 202, 'service suspended for overdue payment', 'account'],
    [18, 305, 'stream forbidden (ForbidLiveStream)', 'domain'],
    [18, 401, 'client IP not in the whitelist', 'access'],
    [18, 501, 'push authentication failed (txTime expired)', 'authentication'],
    [18, 503, 'push authentication failed (txSecret check failed)', 'authentication'],
    [18, 602, 'lower priority than the push already on this stream', 'limit'],
    [19, undefined, 'third-party authentication failed', 'authentication'],
    [21, 100, 'DropLiveStream request by the customer', 'customer'],
    [21, 101, 'ForbidLiveStream request by the customer', 'customer'],
    [21, 102, 'replaced by a new push of the same stream', 'customer'],
    [33, undefined, 'RTMP AMF data abnormal', 'protocol'],
  ] as const)('reads errcode %s / sub_errcode %s as "%s"', (errcode, sub, reason, category) => {
    expect(describeDisconnect(errcode, sub)).toEqual({ reason, category, known: true });
  });

  it('reads the codes Tencent itself lists as unknown (0, 22, 25–32, 34) as known unknowns', () => {
    for (const errcode of [0, 22, 25, 32, 34]) {
      expect(describeDisconnect(errcode)).toEqual({ reason: 'unknown', category: 'unknown', known: true });
    }
  });

  it('reads a code missing from the table as unknown', () => {
    expect(describeDisconnect(99)).toEqual({ reason: 'unknown', category: 'unknown', known: false });
    expect(describeDisconnect(-1, 7)).toEqual({ reason: 'unknown', category: 'unknown', known: false });
    expect(describeDisconnect(undefined)).toEqual({ reason: 'unknown', category: 'unknown', known: false });
  });

  it('still explains 18 and 21 when the callback carries no sub_errcode', () => {
    expect(describeDisconnect(18)).toEqual({
      reason: 'push refused by the live system',
      category: 'unknown',
      known: true,
    });
    expect(describeDisconnect(21, 0).reason).toBe(
      'push ended by a customer request or replaced by another push',
    );
  });

  it('falls back to the errcode meaning for an unlisted sub_errcode and marks it unknown', () => {
    expect(describeDisconnect(18, 999)).toEqual({
      reason: 'push refused by the live system',
      category: 'unknown',
      known: false,
    });
  });
});

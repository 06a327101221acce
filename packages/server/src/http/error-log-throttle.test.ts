import { Writable } from 'node:stream';
import { pino } from 'pino';
import { expect, it } from 'vitest';
import { ErrorLogThrottle } from './error-log-throttle.js';

function setup() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n'))
        if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  let now = 0;
  const throttle = new ErrorLogThrottle(pino({ level: 'info' }, stream), {
    intervalMs: 1000,
    now: () => now,
  });
  return { lines, throttle, advance: (ms: number) => (now += ms) };
}

it('logs the first failure in full, then one line per interval counting the failures not logged', () => {
  const { lines, throttle, advance } = setup();
  for (let i = 0; i < 2500; i++) {
    throttle.error('commit', new Error(`connect ECONNREFUSED ${i}`), 'group commit failed');
    advance(1);
  }
  expect(lines).toHaveLength(3);
  expect(lines[0]).toMatchObject({ kind: 'commit', msg: 'group commit failed' });
  expect((lines[0]!.err as { stack: string }).stack).toContain('ECONNREFUSED 0');
  expect(lines[1]).toMatchObject({
    failures: 1001,
    suppressed: 999,
    error: 'Error: connect ECONNREFUSED 1000',
  });
  expect(lines[1]!.msg).toBe('group commit failed (still failing; 999 more failures suppressed)');
  expect(lines[1]!.err).toBeUndefined();

  throttle.recovered('commit', 'group commits succeed again');
  expect(lines[3]).toMatchObject({ level: 40, failures: 2500, suppressed: 499 });
  throttle.recovered('commit', 'group commits succeed again');
  expect(lines).toHaveLength(4);
});

it('keeps kinds apart, and starts a new streak after a quiet interval', () => {
  const { lines, throttle, advance } = setup();
  throttle.error('commit', new Error('a'), 'commit failed');
  throttle.error('projection', new Error('b'), 'projection failed');
  throttle.error('commit', new Error('c'), 'commit failed');
  expect(lines.map((line) => line.kind)).toEqual(['commit', 'projection']);
  advance(5000);
  throttle.error('commit', new Error('d'), 'commit failed');
  expect(lines[2]).toMatchObject({ kind: 'commit', suppressed: 1 });
  expect((lines[2]!.err as { message: string }).message).toBe('d');
});

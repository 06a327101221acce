import { describe, expect, it } from 'vitest';
import { createEventId } from './id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('createEventId', () => {
  it('writes the time in ms as the first 48 bits, for each time it is given', () => {
    for (const [now, time] of [
      [0x0123456789ab, '01234567-89ab'],
      [0x0123456789ab, '01234567-89ab'],
      [0x0123456789ac, '01234567-89ac'],
      [0x0123456789ab, '01234567-89ab'],
      [Date.UTC(2025, 1, 21), '019525cd-d000'],
    ] as const) {
      const id = createEventId(now);
      expect(id).toMatch(UUID_V7);
      expect(id.slice(0, 13)).toBe(time);
    }
  });

  it('gives different ids within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => createEventId(1_700_000_000_000));
    expect(new Set(ids).size).toBe(1000);
    expect(new Set(ids.map((id) => id.slice(0, 14))).size).toBe(1);
  });
});

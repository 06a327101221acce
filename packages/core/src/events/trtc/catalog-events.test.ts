import { samplesOf } from '@livehooks/fixtures';
import { describe, expect, it } from 'vitest';
import { trtcCatalogEvents } from './catalog-events.js';

const groupOf = (event: (typeof trtcCatalogEvents)[number]) =>
  event.match.family === 'trtc' ? event.match.group : undefined;

describe('trtcCatalogEvents', () => {
  it('covers every group beyond moderation: 1, 2, 3, 4, 7, 8, 9, 10, 14 and 15', () => {
    const groups = new Set(trtcCatalogEvents.map(groupOf));
    expect([...groups]).toEqual([1, 2, 3, 4, 7, 8, 9, 10, 14, 15]);
  });

  it('gives each group and event type exactly one definition and each definition its own type', () => {
    const keys = trtcCatalogEvents.map((event) => `${groupOf(event)}:${String(event.match.eventType)}`);
    expect(new Set(keys).size).toBe(keys.length);
    const types = trtcCatalogEvents.map((event) => event.type);
    expect(new Set(types).size).toBe(types.length);
    for (const event of trtcCatalogEvents) {
      expect(event.type).toMatch(/^trtc\.[a-z_]+\.[a-z0-9_]+$/);
      expect(event.family).toBe('trtc');
      expect(event.tencent.doc).toMatch(/^https:\/\//);
    }
  });

  it('has at least one fixture sample for every type', () => {
    for (const event of trtcCatalogEvents) expect(samplesOf(event.type).length).toBeGreaterThan(0);
  });
});

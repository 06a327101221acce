import { describe, expect, it } from 'vitest';
import { buildStreamTimeline, timelineKind } from './stream-timeline';

const event = (id: string, type: string, occurredAt: number) => ({ id, type, occurredAt, summary: id });

describe('buildStreamTimeline', () => {
  it('draws on-air stretches from each push to the next disconnect, in event order', () => {
    // Delivered out of order, as Tencent's retries can be.
    const timeline = buildStreamTimeline(
      [
        event('stop', 'css.stream.disconnect', 300),
        event('shot', 'css.screenshot', 150),
        event('start', 'css.stream.push', 100),
        event('again', 'css.stream.push', 400),
      ],
      { until: 500 },
    );
    expect(timeline.from).toBe(100);
    expect(timeline.to).toBe(500);
    expect(timeline.segments).toEqual([
      { from: 100, to: 300, state: 'live' },
      { from: 300, to: 400, state: 'offline' },
      { from: 400, to: 500, state: 'live' },
    ]);
    expect(timeline.marks.map((mark) => mark.kind)).toEqual(['push', 'screenshot', 'disconnect', 'push']);
  });

  it('leaves the state unknown before the first push or disconnect and draws no empty stretch', () => {
    const timeline = buildStreamTimeline([
      event('broken', 'css.monitor.stream_broken', 10),
      event('stop', 'css.stream.disconnect', 20),
    ]);
    expect(timeline.segments).toEqual([{ from: 10, to: 20, state: 'unknown' }]);
  });

  it('is empty without events', () => {
    expect(buildStreamTimeline([], { until: 5 })).toEqual({ from: 5, to: 5, segments: [], marks: [] });
  });

  it('classifies alerts, moderation and screenshots', () => {
    expect(timelineKind('css.monitor.low_framerate')).toBe('low_framerate');
    expect(timelineKind('css.moderation.image')).toBe('moderation');
    expect(timelineKind('css.record.file')).toBe('other');
  });
});

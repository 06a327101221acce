import { describe, expect, it } from 'vitest';
import {
  capitalize,
  describeAuth,
  describeEventType,
  formatAgo,
  formatClock,
  formatCompact,
  formatCount,
  formatOffset,
  formatScore,
  formatTime,
  humanize,
  prettyBody,
} from './format';

describe('formatters', () => {
  it('formats a time in a given UTC offset', () => {
    expect(formatTime(Date.UTC(2026, 0, 2, 3, 4, 5), 0)).toBe('2026-01-02 03:04:05');
    expect(formatTime(Date.UTC(2026, 0, 2, 20, 4, 5), 480)).toBe('2026-01-03 04:04:05');
    expect(formatClock(Date.UTC(2026, 0, 2, 3, 4, 5, 67), 0)).toBe('03:04:05.067');
  });

  it('says how long ago in seconds, minutes, hours and days', () => {
    const now = 1_000_000_000;
    expect(formatAgo(now - 2_000, now)).toBe('just now');
    expect(formatAgo(now - 42_000, now)).toBe('42 s ago');
    expect(formatAgo(now - 90_000, now)).toBe('1 min ago');
    expect(formatAgo(now - 3 * 3_600_000, now)).toBe('3 h ago');
    expect(formatAgo(now - 2 * 86_400_000, now)).toBe('2 d ago');
    expect(formatAgo(now + 60_000, now)).toBe('in 1 min');
  });

  it('formats counts with separators and compact axis labels', () => {
    expect(formatCount(1_234_567)).toBe('1,234,567');
    expect(formatCompact(950)).toBe('950');
    expect(formatCompact(1_200)).toBe('1.2k');
    expect(formatCompact(12_345)).toBe('12k');
    expect(formatCompact(2_500_000)).toBe('2.5M');
    expect(formatCompact(0.5)).toBe('0.5');
  });

  it('formats media offsets and scores', () => {
    expect(formatOffset(83_000)).toBe('1:23');
    expect(formatOffset(3_723_000)).toBe('1:02:03');
    expect(formatScore(87.456)).toBe('87.5');
    expect(formatScore(undefined)).toBe('—');
  });

  it('puts identifiers and event types in words', () => {
    expect(capitalize('stopped: no stream left in the room')).toBe('Stopped: no stream left in the room');
    expect(capitalize('')).toBe('');
    expect(humanize('low_framerate')).toBe('Low frame rate');
    expect(humanize('failed_to_start')).toBe('Failed to start');
    expect(humanize('stream_broken')).toBe('Stream broken');
    expect(describeEventType('css.monitor.stream_broken')).toBe('Stream broken');
    expect(describeEventType('trtc.recording.file_info')).toBe('Recording file info');
    expect(describeEventType('css.unknown')).toBe('Unrecognised callback');
    expect(describeEventType('trtc.moderation.unknown')).toBe('Unrecognised moderation callback');
  });

  it('describes the signature verdict, stale included', () => {
    expect(describeAuth({ method: 'css-md5', keyId: 'css:0', stale: true })).toBe(
      'Signed with the CSS key (css:0), arrived after its expiry time',
    );
    expect(describeAuth({ method: 'trtc-hmac', stale: false })).toBe('Signed with the TRTC key');
    expect(describeAuth({ method: 'unsigned', keyId: 'ingest-secret', stale: false })).toMatch(
      /^Not signed; accepted because it came to the secret ingest URL/,
    );
    expect(describeAuth({ method: 'unsigned', stale: false })).toBe(
      'Not signed; accepted because unsigned callbacks are allowed by configuration',
    );
  });

  it('indents a JSON body and leaves anything else as received', () => {
    expect(prettyBody('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyBody('not json {')).toBe('not json {');
  });

  it('describes names every object inherits as unrecognised types, not as functions', () => {
    for (const type of ['constructor', 'toString', '__proto__']) {
      expect(typeof describeEventType(type), type).toBe('string');
      expect(describeEventType(type)).not.toContain('function');
      expect(humanize(type), type).toBe(
        `${type.replace(/_/g, ' ').trim().charAt(0).toUpperCase()}${type.replace(/_/g, ' ').trim().slice(1)}`,
      );
    }
  });
});

import { describe, expect, it } from 'vitest';
import { formatOffset, formatScore, humanize, prettyBody, toLocalInput } from './format';

describe('formatters', () => {
  it('formats media offsets and scores', () => {
    expect(formatOffset(83_000)).toBe('1:23');
    expect(formatOffset(3_723_000)).toBe('1:02:03');
    expect(formatScore(87.456)).toBe('87.5');
    expect(formatScore(undefined)).toBe('—');
  });

  it('puts identifiers in words', () => {
    expect(humanize('recording file_info')).toBe('Recording file info');
    expect(humanize('stream_broken')).toBe('Stream broken');
    for (const name of ['constructor', 'toString', '__proto__']) {
      expect(humanize(name)).not.toContain('function');
    }
    expect(humanize('__proto__')).toBe('Proto');
  });

  it('indents a JSON body and leaves anything else as received', () => {
    expect(prettyBody('{"a":[1]}')).toBe('{\n  "a": [\n    1\n  ]\n}');
    expect(prettyBody('not json {')).toBe('not json {');
  });

  it('writes a time as a datetime-local value in the viewer’s zone, and reads back the same minute', () => {
    const ms = new Date(2026, 0, 2, 3, 4, 59).getTime();
    expect(toLocalInput(ms)).toBe('2026-01-02T03:04');
    expect(new Date(toLocalInput(ms)).getTime()).toBe(new Date(2026, 0, 2, 3, 4).getTime());
  });
});

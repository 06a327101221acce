import { describe, expect, it } from 'vitest';
import { escapeControl, formatJson } from './_output.js';

describe('escapeControl', () => {
  it('shows C0 and C1 controls, DEL and bidirectional overrides as escapes', () => {
    expect(escapeControl('a\u001b]0;t\u0007\u001b[2J\r\n\t\b\u007f\u009b1m\u202eb\u2066\u2028')).toBe(
      'a\\x1b]0;t\\x07\\x1b[2J\\r\\n\\t\\x08\\x7f\\x9b1m\\u202eb\\u2066\\u2028',
    );
  });

  it('keeps printable text, CJK, emoji and zero-width joiners as they are', () => {
    const text = 'room 42 直播间 👩‍💻 café \\x1b';
    expect(escapeControl(text)).toBe(text);
  });
});

describe('formatJson', () => {
  it('escapes every control character and still parses to the same value', () => {
    const value = { streamId: 'a\u001b[2J\u009b\u0085\u202e\u2029b', n: 1 };
    const json = formatJson(value, 2);
    expect(json).not.toMatch(/[^\P{Cc}\n]|[\u202e\u2029]/u);
    expect(json).toContain('"a\\u001b[2J\\u009b\\u0085\\u202e\\u2029b"');
    expect(JSON.parse(json)).toEqual(value);
  });
});

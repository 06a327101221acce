import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../_api-types.js';
import { csvCell, formatEventLine } from './events.js';

const base: ApiEvent = {
  id: '019aa1f3-5c2e-7b1d-9e4a-3f0c2d1e8b77',
  type: 'css.unknown',
  family: 'css',
  source: 'css:200',
  dedupeKey: 'css:200:sha256:00',
  occurredAt: 1_763_760_000_000,
  receivedAt: 1_763_760_000_123,
  subject: { streamId: 's1' },
  data: {},
  summary: 'CSS event_type 200 on stream s1',
  auth: { method: 'css-md5', keyId: 'css:0', stale: false },
  issues: [{ path: 'pic_url', message: 'expected string' }],
  duplicates: 0,
};

describe('formatEventLine', () => {
  it('names the type an unknown event failed to be', () => {
    expect(formatEventLine({ ...base, classifiedAs: 'css.screenshot' })).toContain(
      '[not a valid css.screenshot]',
    );
    expect(formatEventLine(base)).toContain('[schema issues]');
  });
});

describe('csvCell', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(42)).toBe('42');
  });

  it('keeps text a spreadsheet would run as a formula as text', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('room=1')).toBe('room=1');
  });
});

import { describe, expect, it } from 'vitest';
import { safeUrl } from './safe-url';

describe('safeUrl', () => {
  it('keeps absolute http and https links', () => {
    expect(safeUrl('http://1.1.1.1/download/porn/test.jpg')).toBe('http://1.1.1.1/download/porn/test.jpg');
    expect(safeUrl(' https://x.xx.com/a b.ogg ')).toBe('https://x.xx.com/a%20b.ogg');
  });

  it('drops script, data, relative and protocol-relative links and non-URLs', () => {
    expect(safeUrl('/2018-12-17/shot.jpg')).toBeUndefined();
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl(' JavaScript:alert(1)')).toBeUndefined();
    expect(safeUrl('data:text/html,<script>1</script>')).toBeUndefined();
    expect(safeUrl('//evil.example/x.jpg')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(safeUrl('')).toBeUndefined();
    expect(safeUrl(undefined)).toBeUndefined();
  });
});

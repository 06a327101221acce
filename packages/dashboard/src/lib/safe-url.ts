/**
 * A media link from a callback if it is safe to put in `href` or `src`: only absolute `http:` and `https:`
 * URLs pass. Callback bodies are data from outside: a `javascript:` link in one must never become
 * clickable, and a bare path (`/2018-12-17/shot.jpg`, relative to Tencent's bucket) would wrongly load from
 * the gateway.
 *
 * @example
 * ```ts
 * safeUrl('https://bucket.cos.ap-guangzhou.myqcloud.com/a.jpg'); // the same URL
 * safeUrl('javascript:alert(1)'); // undefined
 * ```
 */
export function safeUrl(url: string | undefined | null): string | undefined {
  if (typeof url !== 'string') return undefined;
  const trimmed = url.trim();
  if (trimmed === '') return undefined;
  try {
    const parsed = new URL(trimmed);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

import { InvalidArgumentError } from 'commander';

/** Commander parser for a positive integer option. */
export function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 1)
    throw new InvalidArgumentError('expected a positive integer');
  return number;
}

/** Commander parser for a whole number option that may be 0. */
export function nonNegativeInteger(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number) || number < 0) throw new InvalidArgumentError('expected a whole number');
  return number;
}

/** Commander parser for a positive number option. */
export function positiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('expected a positive number');
  return number;
}

/** Commander parser for an http(s) URL option. */
export function httpUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError('expected an http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError('expected an http:// or https:// URL');
  }
  return value;
}

/**
 * Commander parser for a point in time: unix seconds or milliseconds, an ISO date, or a duration
 * back from now (`15m`, `2h`, `7d`). Returns ms since the epoch.
 */
export function pointInTime(value: string): number {
  const relative = /^(\d+)(s|m|h|d)$/.exec(value);
  if (relative) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd'];
    return Date.now() - Number(relative[1]) * unit;
  }
  if (/^\d+$/.test(value)) {
    const number = Number(value);
    return number < 1e11 ? number * 1000 : number;
  }
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) {
    throw new InvalidArgumentError(
      'expected unix seconds or ms, an ISO date, or a duration like 15m, 2h, 7d',
    );
  }
  return parsed;
}

/** Commander collector for a repeatable option (`--set a=1 --set b=2`). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** Commander collector for a repeatable `name:value` header option, into lowercase-named headers. */
export function collectHeader(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf(':');
  if (at <= 0) throw new InvalidArgumentError('expected name:value, e.g. "Sign: ..."');
  return { ...previous, [value.slice(0, at).trim().toLowerCase()]: value.slice(at + 1).trim() };
}

import { getEventDefinition, parseCallback, type ParseOptions } from '@livehooks/core';
import { loadSamples, signRequest, TEST_KEYS, type Sample } from '@livehooks/fixtures';

/** One signed callback request, unique by its dedupe key. */
export interface UniqueCallback {
  type: string;
  family: 'css' | 'trtc';
  /** True for CSS events that carry no t/sign (314, 321, 328): they go to the secret URL. */
  unsigned: boolean;
  body: string;
  headers: Record<string, string>;
}

/** Makes unique variants of the fixture samples. */
export interface CallbackFactory {
  /** The event types in the mix. */
  types: string[];
  /** Samples left out because no variant of them is unique while still parsing to their type. */
  excluded: { sample: string; reason: string }[];
  /** The `seq`-th callback of the mix; different `seq`, different dedupe key. */
  make(seq: number): UniqueCallback;
}

/** Parse options with the fixture test keys, unsigned CSS allowed (as on a secret URL). */
export const TEST_PARSE_OPTIONS: ParseOptions = {
  css: { keys: [TEST_KEYS.css], allowUnsigned: true },
  trtc: { keys: { [TEST_KEYS.trtc.sdkAppId]: TEST_KEYS.trtc.key } },
};

/** Fields that classify a callback: changing them would change its type. */
const CLASSIFIERS = new Set(['event_type', 'event_name', 'EventGroupId', 'EventType', 'interface']);

function vary(container: Record<string, unknown> | unknown[], path: string[], seq: number): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  const value = (container as Record<string, unknown>)[head];
  if (rest.length > 0) {
    if (value !== null && typeof value === 'object') vary(value as Record<string, unknown>, rest, seq);
    return;
  }
  if (CLASSIFIERS.has(head)) return;
  const target = container as Record<string, unknown>;
  if (typeof value === 'number' && Number.isSafeInteger(value)) target[head] = value + seq;
  else if (typeof value === 'string' && /^\d{1,15}$/.test(value)) target[head] = String(Number(value) + seq);
  else if (typeof value === 'string' && value !== '') target[head] = `${value}-${seq}`;
}

function variant(sample: Sample, seq: number): { body: string; unsigned: boolean } {
  const payload = JSON.parse(sample.body) as Record<string, unknown>;
  for (const path of getEventDefinition(sample.type)?.dedupeKey ?? []) vary(payload, path.split('.'), seq);
  const unsigned = sample.family === 'css' && !('t' in payload) && !('sign' in payload);
  // TRTC sends pretty-printed bodies (https://trtc.io/document/54912); keep that shape so the HMAC covers
  // realistic bytes.
  const body = sample.family === 'trtc' ? JSON.stringify(payload, null, '\t') : JSON.stringify(payload);
  return { body, unsigned };
}

function check(sample: Sample): string | undefined {
  const keys = new Set<string>();
  for (const seq of [1, 2]) {
    const { body } = variant(sample, seq);
    const request = signRequest(sample.family, body);
    let event;
    try {
      event = parseCallback(request.body, request.headers, TEST_PARSE_OPTIONS);
    } catch (error) {
      return `variant does not parse: ${(error as Error).message}`;
    }
    if (event.type !== sample.type) return `variant parses as ${event.type}`;
    if (event.issues !== undefined) return 'variant has schema issues';
    keys.add(event.dedupeKey);
  }
  return keys.size === 2 ? undefined : 'its dedupe key does not change with the varied fields';
}

/**
 * A realistic mix of every fixture sample, each request made unique by varying the fields of its event's
 * dedupe key, then signed with the fixture test keys.
 *
 * @example
 * ```ts
 * const factory = createCallbackFactory();
 * const { body, headers } = factory.make(42);
 * ```
 */
export function createCallbackFactory(samples: Sample[] = loadSamples()): CallbackFactory {
  const usable: Sample[] = [];
  const excluded: CallbackFactory['excluded'] = [];
  for (const sample of samples) {
    const reason = check(sample);
    if (reason === undefined) usable.push(sample);
    else excluded.push({ sample: `${sample.type}/${sample.name}`, reason });
  }
  if (usable.length === 0) throw new Error('no fixture sample can be made unique');
  return {
    types: [...new Set(usable.map((sample) => sample.type))],
    excluded,
    make(seq) {
      const sample = usable[seq % usable.length]!;
      const { body, unsigned } = variant(sample, seq);
      const request = signRequest(sample.family, body);
      return {
        type: sample.type,
        family: sample.family,
        unsigned,
        body: request.body,
        headers: request.headers,
      };
    },
  };
}

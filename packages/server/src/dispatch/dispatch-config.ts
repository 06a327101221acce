import { compileSinkFilter, FilterSyntaxError, type SinkFilterConfig } from './sink-filter.js';

/** Retry schedule of a sink. */
export interface RetryConfig {
  /** Delay before each retry in ms; the delivery is dead after `scheduleMs.length + 1` attempts. */
  scheduleMs: number[];
  /** Each delay is scaled by a random factor in [1 - jitter, 1 + jitter]. Default 0.2. */
  jitter: number;
}

interface SinkBase {
  /** Unique name: deliveries, metrics and the API refer to the sink by it. */
  name: string;
  filter: SinkFilterConfig;
  /** Deliveries in flight at once (the per-endpoint limit of a webhook). */
  concurrency: number;
  /** Time limit of one attempt in ms. Default 10 000. */
  timeoutMs: number;
  retry: RetryConfig;
}

/** POST the envelope to a URL, signed per Standard Webhooks. */
export interface WebhookSinkConfig extends SinkBase {
  type: 'webhook';
  url: string;
  /** `whsec_<base64>` (as Standard Webhooks libraries generate) or any other string used as the key bytes. */
  secret?: string;
  headers: Record<string, string>;
}

/** XADD to a Redis Stream. */
export interface RedisSinkConfig extends SinkBase {
  type: 'redis';
  url: string;
  /** Stream name; `{type}` is replaced by the event type. Default `livehooks:{type}`. */
  stream: string;
  /** `MAXLEN ~ n` trimming; unset: no trimming. */
  maxLen?: number;
}

/** Publish to NATS JetStream. */
export interface NatsSinkConfig extends SinkBase {
  type: 'nats';
  servers: string[];
  /** Subject prefix: the subject is `<prefix>.<event type>`. Default `livehooks`. */
  subjectPrefix: string;
}

/** Chat bot formats of the alert sink. */
export type AlertFormat = 'wecom' | 'dingtalk' | 'feishu' | 'slack';

/** A chat alert through an incoming-webhook bot. */
export interface AlertSinkConfig extends SinkBase {
  type: 'alert';
  format: AlertFormat;
  url: string;
  /** DingTalk / Feishu signing secret ("加签"). */
  secret?: string;
  /** At most one message per stream (or room) per this many ms; later events in the window are skipped. Default 60 000. */
  minIntervalMs: number;
}

/** Tencent Cloud API actions. */
export type TencentAction =
  | 'DropLiveStream'
  | 'ForbidLiveStream'
  | 'ResumeLiveStream'
  | 'RemoveUser'
  | 'RemoveUserByStrRoomId'
  | 'DismissRoom';

/** A Tencent Cloud API action per matching event. */
export interface TencentSinkConfig extends SinkBase {
  type: 'tencent';
  action: TencentAction;
  /** Record what would be called without calling. Default true. */
  dryRun: boolean;
  secretId?: string;
  secretKey?: string;
  region: string;
  /** API host override (`live.tencentcloudapi.com`, `trtc.tencentcloudapi.com` by default). */
  endpoint?: string;
  /** `http:` for a local stand-in of the API host; default `https:`. */
  protocol: 'https:' | 'http:';
  /** ForbidLiveStream: how long the stream stays forbidden, in seconds. Default 600. */
  forbidSeconds: number;
  /** ForbidLiveStream `Reason`. */
  reason?: string;
}

/** One configured sink. */
export type SinkConfig =
  WebhookSinkConfig | RedisSinkConfig | NatsSinkConfig | AlertSinkConfig | TencentSinkConfig;

/** The dispatcher's settings (`dispatch` in the config file). */
export interface DispatchConfig {
  /** Deliver events whose CSS expiry `t` had passed (stale) without waiting for an operator. Default false. */
  releaseStale: boolean;
  /** How often each sink looks for due deliveries when nothing woke it, in ms. Default 1000. */
  pollMs: number;
  /** How long a claimed delivery stays reserved for its process; after it, another may retry it. Default 60 000. */
  leaseMs: number;
  /** Default retry schedule of every sink. */
  retry: RetryConfig;
}

/** Default retry delays: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h, 4 h, 8 h (10 attempts over about 16 h). */
export const DEFAULT_RETRY_SCHEDULE_MS: readonly number[] = [
  5_000, 30_000, 120_000, 600_000, 1_800_000, 3_600_000, 7_200_000, 14_400_000, 28_800_000,
];

/** The dispatcher defaults. */
export function defaultDispatchConfig(): DispatchConfig {
  return {
    releaseStale: false,
    pollMs: 1000,
    leaseMs: 60_000,
    retry: { scheduleMs: [...DEFAULT_RETRY_SCHEDULE_MS], jitter: 0.2 },
  };
}

const DEFAULT_CONCURRENCY: Record<SinkConfig['type'], number> = {
  webhook: 8,
  redis: 64,
  nats: 64,
  alert: 2,
  tencent: 2,
};
const NAME = /^[A-Za-z0-9_-]{1,64}$/;
const ALERT_FORMATS: readonly AlertFormat[] = ['wecom', 'dingtalk', 'feishu', 'slack'];
const TENCENT_ACTIONS: readonly TencentAction[] = [
  'DropLiveStream',
  'ForbidLiveStream',
  'ResumeLiveStream',
  'RemoveUser',
  'RemoveUserByStrRoomId',
  'DismissRoom',
];
const COMMON_KEYS = ['name', 'type', 'filter', 'concurrency', 'timeoutMs', 'retry'];
const KEYS: Record<SinkConfig['type'], string[]> = {
  webhook: ['url', 'secret', 'headers'],
  redis: ['url', 'stream', 'maxLen'],
  nats: ['servers', 'subjectPrefix'],
  alert: ['format', 'url', 'secret', 'minIntervalMs'],
  tencent: [
    'action',
    'dryRun',
    'secretId',
    'secretKey',
    'region',
    'endpoint',
    'protocol',
    'forbidSeconds',
    'reason',
  ],
};
/** Options whose values are never quoted in a problem. */
const SECRET_KEYS = new Set(['secret', 'secretKey', 'secretId']);

type Input = Record<string, unknown>;

function isObject(value: unknown): value is Input {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function show(value: unknown): string {
  return typeof value === 'string'
    ? JSON.stringify(value.slice(0, 60))
    : Array.isArray(value)
      ? 'a list'
      : String(value);
}

class Reader {
  constructor(
    readonly input: Input,
    readonly label: string,
    readonly problems: string[],
  ) {}

  problem(key: string, message: string): undefined {
    this.problems.push(`${this.label}: ${key}: ${message}`);
    return undefined;
  }

  string(
    key: string,
    options: { required?: boolean; pattern?: RegExp; hint?: string } = {},
  ): string | undefined {
    const value = this.input[key];
    if (value === undefined) return options.required ? this.problem(key, 'is required') : undefined;
    const shown = SECRET_KEYS.has(key) ? '(the value is not shown)' : show(value);
    if (typeof value !== 'string' || value.trim() === '')
      return this.problem(key, `expected a non-empty string, got ${shown}`);
    if (options.pattern !== undefined && !options.pattern.test(value)) {
      return this.problem(key, `${shown} is not ${options.hint ?? 'valid'}`);
    }
    return value;
  }

  url(key: string, required = true): string | undefined {
    const value = this.string(key, { required });
    if (value === undefined) return undefined;
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
      return value;
    } catch {
      // A URL may carry a token (bot webhooks do): only its scheme and host would be safe to show.
      return this.problem(key, 'is not an http(s) URL');
    }
  }

  integer(key: string, fallback: number, min: number, max: number): number {
    const value = this.input[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problem(key, `${show(value)} is not an integer from ${min} to ${max}`);
      return fallback;
    }
    return value;
  }

  boolean(key: string, fallback: boolean): boolean {
    const value = this.input[key];
    if (value === undefined) return fallback;
    if (typeof value !== 'boolean') {
      this.problem(key, `${show(value)} is not true or false`);
      return fallback;
    }
    return value;
  }

  oneOf<T extends string>(key: string, options: readonly T[], fallback?: T): T | undefined {
    const value = this.input[key];
    if (value === undefined)
      return fallback ?? this.problem(key, `is required (one of ${options.join(', ')})`);
    if (!options.includes(value as T))
      return this.problem(key, `${show(value)} is not one of ${options.join(', ')}`);
    return value as T;
  }

  stringList(key: string): string[] | undefined {
    const value = this.input[key];
    if (value === undefined) return undefined;
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' && item.trim() !== '')) {
      return this.problem(key, 'expected a string or a list of strings');
    }
    return list as string[];
  }
}

function parseRetry(value: unknown, fallback: RetryConfig, reader: Reader): RetryConfig {
  if (value === undefined) return fallback;
  if (!isObject(value))
    return reader.problem('retry', 'expected { "scheduleMs": [...], "jitter": 0.2 }') ?? fallback;
  const scheduleMs = value.scheduleMs ?? fallback.scheduleMs;
  const jitter = value.jitter ?? fallback.jitter;
  for (const key of Object.keys(value)) {
    if (key !== 'scheduleMs' && key !== 'jitter')
      reader.problem(`retry.${key}`, 'unknown option (known: scheduleMs, jitter)');
  }
  if (
    !Array.isArray(scheduleMs) ||
    scheduleMs.length > 100 ||
    !scheduleMs.every(
      (ms) => typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 && ms <= 7 * 86_400_000,
    )
  ) {
    reader.problem(
      'retry.scheduleMs',
      'expected a list of at most 100 delays in ms, each from 0 to 604800000',
    );
    return fallback;
  }
  if (typeof jitter !== 'number' || !(jitter >= 0 && jitter <= 1)) {
    reader.problem('retry.jitter', `${show(jitter)} is not a number from 0 to 1`);
    return fallback;
  }
  return { scheduleMs: scheduleMs as number[], jitter };
}

function parseFilter(value: unknown, reader: Reader): SinkFilterConfig {
  if (value === undefined) return {};
  if (!isObject(value)) return reader.problem('filter', 'expected { "types": [...], "where": [...] }') ?? {};
  const filterReader = new Reader(value, reader.label, reader.problems);
  for (const key of Object.keys(value)) {
    if (key !== 'types' && key !== 'where')
      reader.problem(`filter.${key}`, 'unknown option (known: types, where)');
  }
  const filter: SinkFilterConfig = {};
  const types = filterReader.stringList('types');
  const where = filterReader.stringList('where');
  if (types !== undefined) filter.types = types;
  if (where !== undefined) filter.where = where;
  try {
    compileSinkFilter(filter);
  } catch (error) {
    if (!(error instanceof FilterSyntaxError)) throw error;
    reader.problem('filter', error.message);
  }
  return filter;
}

function parseSink(
  input: unknown,
  label: string,
  dispatch: DispatchConfig,
  problems: string[],
): SinkConfig | undefined {
  if (!isObject(input)) {
    problems.push(`${label}: expected an object with name, type and the type's options`);
    return undefined;
  }
  const reader = new Reader(input, label, problems);
  const name = reader.string('name', {
    required: true,
    pattern: NAME,
    hint: 'a name of 1 to 64 A-Z a-z 0-9 _ -',
  });
  const type = reader.oneOf('type', Object.keys(KEYS) as SinkConfig['type'][]);
  if (type === undefined || name === undefined) return undefined;
  const known = new Set([...COMMON_KEYS, ...KEYS[type]]);
  for (const key of Object.keys(input)) {
    if (!known.has(key))
      reader.problem(key, `unknown option of a ${type} sink (known: ${[...known].join(', ')})`);
  }
  const base: SinkBase = {
    name,
    filter: parseFilter(input.filter, reader),
    concurrency: reader.integer('concurrency', DEFAULT_CONCURRENCY[type], 1, 1000),
    timeoutMs: reader.integer('timeoutMs', 10_000, 100, 300_000),
    retry: parseRetry(input.retry, dispatch.retry, reader),
  };
  switch (type) {
    case 'webhook': {
      const url = reader.url('url');
      const secret = reader.string('secret');
      const headers = input.headers ?? {};
      if (!isObject(headers) || !Object.values(headers).every((value) => typeof value === 'string')) {
        reader.problem('headers', 'expected an object of header names to string values');
      }
      if (url === undefined) return undefined;
      return {
        ...base,
        type,
        url,
        headers: headers as Record<string, string>,
        ...(secret === undefined ? {} : { secret }),
      };
    }
    case 'redis': {
      const url =
        reader.string('url', { pattern: /^rediss?:\/\//, hint: 'a redis:// or rediss:// URL' }) ??
        'redis://127.0.0.1:6379';
      const stream = reader.string('stream') ?? 'livehooks:{type}';
      const maxLen = input.maxLen === undefined ? undefined : reader.integer('maxLen', 0, 1, 1_000_000_000);
      return { ...base, type, url, stream, ...(maxLen === undefined || maxLen === 0 ? {} : { maxLen }) };
    }
    case 'nats': {
      const servers = reader.stringList('servers') ?? ['127.0.0.1:4222'];
      const subjectPrefix =
        reader.string('subjectPrefix', {
          pattern: /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/,
          hint: 'a NATS subject prefix',
        }) ?? 'livehooks';
      return { ...base, type, servers, subjectPrefix };
    }
    case 'alert': {
      const format = reader.oneOf('format', ALERT_FORMATS);
      const url = reader.url('url');
      const secret = reader.string('secret');
      const minIntervalMs = reader.integer('minIntervalMs', 60_000, 0, 86_400_000);
      if (format === undefined || url === undefined) return undefined;
      return { ...base, type, format, url, minIntervalMs, ...(secret === undefined ? {} : { secret }) };
    }
    case 'tencent': {
      const action = reader.oneOf('action', TENCENT_ACTIONS);
      const dryRun = reader.boolean('dryRun', true);
      const secretId = reader.string('secretId');
      const secretKey = reader.string('secretKey');
      if (!dryRun && (secretId === undefined || secretKey === undefined)) {
        reader.problem('secretKey', 'secretId and secretKey are required unless dryRun is true');
      }
      const endpoint = reader.string('endpoint', {
        pattern: /^[A-Za-z0-9.-]+(:\d+)?$/,
        hint: 'a host name (host or host:port)',
      });
      const reason = reader.string('reason');
      const sink: TencentSinkConfig = {
        ...base,
        type,
        action: action ?? 'DropLiveStream',
        dryRun,
        region: reader.string('region') ?? 'ap-guangzhou',
        protocol: reader.oneOf('protocol', ['https:', 'http:'] as const, 'https:') ?? 'https:',
        forbidSeconds: reader.integer('forbidSeconds', 600, 1, 90 * 86_400),
      };
      if (secretId !== undefined) sink.secretId = secretId;
      if (secretKey !== undefined) sink.secretKey = secretKey;
      if (endpoint !== undefined) sink.endpoint = endpoint;
      if (reason !== undefined) sink.reason = reason;
      return action === undefined ? undefined : sink;
    }
  }
}

/**
 * Validates the `dispatch` and `sinks` sections of the configuration. Problems are one line each, name the
 * sink and option, and never quote a secret.
 *
 * @example
 * ```ts
 * const { dispatch, sinks, problems } = parseDispatchSections(file.dispatch, file.sinks, 'config file x.json');
 * if (problems.length > 0) throw new ConfigError(problems);
 * ```
 */
export function parseDispatchSections(
  dispatchInput: unknown,
  sinksInput: unknown,
  label: string,
): { dispatch: DispatchConfig; sinks: SinkConfig[]; problems: string[] } {
  const problems: string[] = [];
  const dispatch = defaultDispatchConfig();
  if (dispatchInput !== undefined) {
    if (!isObject(dispatchInput)) {
      problems.push(`${label}: dispatch: expected an object`);
    } else {
      const reader = new Reader(dispatchInput, `${label}: dispatch`, problems);
      for (const key of Object.keys(dispatchInput)) {
        if (!['releaseStale', 'pollMs', 'leaseMs', 'retry'].includes(key)) {
          reader.problem(key, 'unknown option (known: releaseStale, pollMs, leaseMs, retry)');
        }
      }
      dispatch.releaseStale = reader.boolean('releaseStale', dispatch.releaseStale);
      dispatch.pollMs = reader.integer('pollMs', dispatch.pollMs, 10, 60_000);
      dispatch.leaseMs = reader.integer('leaseMs', dispatch.leaseMs, 1000, 3_600_000);
      dispatch.retry = parseRetry(dispatchInput.retry, dispatch.retry, reader);
    }
  }
  const sinks: SinkConfig[] = [];
  if (sinksInput !== undefined) {
    if (!Array.isArray(sinksInput)) {
      problems.push(`${label}: sinks: expected a list of sinks`);
    } else {
      const names = new Set<string>();
      sinksInput.forEach((input, index) => {
        const name =
          isObject(input) && typeof input.name === 'string' ? ` (${JSON.stringify(input.name)})` : '';
        const sink = parseSink(input, `${label}: sinks[${index}]${name}`, dispatch, problems);
        if (sink === undefined) return;
        if (names.has(sink.name))
          problems.push(
            `${label}: sinks[${index}]: name ${JSON.stringify(sink.name)} is used by another sink`,
          );
        names.add(sink.name);
        sinks.push(sink);
      });
    }
  }
  return { dispatch, sinks, problems };
}

/** What kind of cause ended a push, for grouping and alerting. */
export type DisconnectCategory =
  | 'client'
  | 'network'
  | 'protocol'
  | 'idle'
  | 'internal'
  | 'account'
  | 'domain'
  | 'access'
  | 'authentication'
  | 'limit'
  | 'customer'
  | 'unknown';

/** The meaning of a disconnect (`event_type` 0) `errcode` / `sub_errcode` pair. */
export interface DisconnectReason {
  /** The reason in words, e.g. `push authentication failed (txSecret check failed)`. */
  reason: string;
  category: DisconnectCategory;
  /** False when Tencent's table does not list the code (the reason is then `unknown`). */
  known: boolean;
}

type Entry = readonly [reason: string, category: DisconnectCategory];

const CLIENT_STOPPED: Entry = ['push client actively stopped', 'client'];
const INTERNAL: Entry = ['live system internal error', 'internal'];
const PROTOCOL: Entry = ['RTMP protocol content abnormal', 'protocol'];
const IDLE: Entry = ['no push data for a long time', 'idle'];
const NETWORK: Entry = ['push link network abnormal', 'network'];
const UNKNOWN: Entry = ['unknown', 'unknown'];

// errcode with sub_errcode 0 (https://www.tencentcloud.com/document/product/267/31083; 34/35 from the EN
// grouping of https://www.tencentcloud.com/document/product/267/38081).
const BY_ERRCODE: Readonly<Record<number, Entry>> = {
  0: UNKNOWN,
  1: CLIENT_STOPPED,
  2: CLIENT_STOPPED,
  3: CLIENT_STOPPED,
  4: CLIENT_STOPPED,
  5: INTERNAL,
  6: PROTOCOL,
  7: ['single RTMP frame exceeds the configured maximum size', 'protocol'],
  8: IDLE,
  9: INTERNAL,
  10: ['proxy layer received a drop command', 'internal'],
  11: INTERNAL,
  12: NETWORK,
  13: NETWORK,
  14: NETWORK,
  15: NETWORK,
  16: NETWORK,
  17: NETWORK,
  19: ['third-party authentication failed', 'authentication'],
  20: IDLE,
  22: UNKNOWN,
  23: PROTOCOL,
  24: INTERNAL,
  25: UNKNOWN,
  26: UNKNOWN,
  27: UNKNOWN,
  28: UNKNOWN,
  29: UNKNOWN,
  30: UNKNOWN,
  31: UNKNOWN,
  32: UNKNOWN,
  33: ['RTMP AMF data abnormal', 'protocol'],
  34: UNKNOWN,
  35: CLIENT_STOPPED,
};

// errcode 18 (push refused) and 21 (push ended on request or replaced) carry their meaning in sub_errcode.
const BY_SUB_ERRCODE: Readonly<Record<number, Readonly<Record<number, Entry>>>> = {
  18: {
    100: INTERNAL,
    101: INTERNAL,
    102: INTERNAL,
    103: INTERNAL,
    104: INTERNAL,
    200: ['failed to get the customer information', 'account'],
    201: ['service shut down', 'account'],
    202: ['service suspended for overdue payment', 'account'],
    203: ['service forcibly shut down', 'account'],
    300: ['pushing to an IP address is not allowed', 'domain'],
    301: ['unknown push domain', 'domain'],
    302: ['illegal push domain', 'domain'],
    303: ['push domain disabled', 'domain'],
    304: ['app disabled', 'domain'],
    305: ['stream forbidden (ForbidLiveStream)', 'domain'],
    306: ['channel not created', 'domain'],
    307: ['channel closed', 'domain'],
    308: ['illegal characters in the stream name', 'domain'],
    309: ['illegal characters in the app name', 'domain'],
    400: ['client IP in the blacklist', 'access'],
    401: ['client IP not in the whitelist', 'access'],
    500: ['push authentication failed (no expiry parameter)', 'authentication'],
    501: ['push authentication failed (txTime expired)', 'authentication'],
    502: ['push authentication failed (no authentication parameter)', 'authentication'],
    503: ['push authentication failed (txSecret check failed)', 'authentication'],
    600: ['too many concurrent pushes', 'limit'],
    601: ['too many pushes of this stream name', 'limit'],
    602: ['lower priority than the push already on this stream', 'limit'],
  },
  21: {
    100: ['DropLiveStream request by the customer', 'customer'],
    101: ['ForbidLiveStream request by the customer', 'customer'],
    102: ['replaced by a new push of the same stream', 'customer'],
    103: ['replaced a push that sent no data', 'customer'],
  },
};

// The callback field table (https://www.tencentcloud.com/document/product/267/38081) lacks `sub_errcode`:
// without it, 18 and 21 still say something.
const WITHOUT_SUB_ERRCODE: Readonly<Record<number, Entry>> = {
  18: ['push refused by the live system', 'unknown'],
  21: ['push ended by a customer request or replaced by another push', 'customer'],
};

/**
 * Explains why a CSS stream was disconnected, from the `errcode` (and `sub_errcode` where Tencent
 * sends one) of a disconnect callback. Codes Tencent does not list read `unknown`.
 *
 * @example
 * ```ts
 * describeDisconnect(18, 503).reason; // 'push authentication failed (txSecret check failed)'
 * describeDisconnect(21, 101).reason; // 'ForbidLiveStream request by the customer'
 * describeDisconnect(1).reason; // 'push client actively stopped'
 * ```
 * @see https://www.tencentcloud.com/document/product/267/31083
 */
export function describeDisconnect(errcode: number | undefined, subErrcode?: number): DisconnectReason {
  if (errcode === undefined) return { reason: 'unknown', category: 'unknown', known: false };
  const bySub = BY_SUB_ERRCODE[errcode];
  const withoutSub = WITHOUT_SUB_ERRCODE[errcode];
  if (bySub && withoutSub) {
    const listed = subErrcode ? bySub[subErrcode] : undefined;
    const [reason, category] = listed ?? withoutSub;
    return { reason, category, known: listed !== undefined || !subErrcode };
  }
  const entry = BY_ERRCODE[errcode];
  return entry
    ? { reason: entry[0], category: entry[1], known: true }
    : { reason: 'unknown', category: 'unknown', known: false };
}

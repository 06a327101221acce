/** The two Tencent callback families. */
export type Family = 'css' | 'trtc';

/** Who and what an event is about; every id is a string, whatever type Tencent sent. */
export interface Subject {
  appId?: string;
  sdkAppId?: string;
  streamId?: string;
  roomId?: string;
  taskId?: string;
  userId?: string;
}

/** How a callback proved it came from Tencent. */
export interface EventAuth {
  /** `css-md5`: t/sign verified; `trtc-hmac`: Sign header verified; `unsigned`: accepted without a signature by configuration. */
  method: 'css-md5' | 'trtc-hmac' | 'unsigned';
  /** Which key matched: `css:<index>` or `trtc:<sdkAppId>`. */
  keyId?: string;
  /** A CSS callback whose expiry `t` had passed when it arrived. */
  stale: boolean;
}

/** A schema problem found in a callback kept as `*.unknown`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/**
 * A verified, normalised callback. `type` and `data` are typed per event; Tencent's own field names
 * stay verbatim inside `data` and `payload`.
 */
export interface LivehooksEvent<TType extends string = string, TData = unknown> {
  /** A time-ordered unique id (UUIDv7) given on receipt. */
  id: string;
  type: TType;
  family: Family;
  /** Tencent's own classification: `css:<event_type>` or `trtc:<EventGroupId>:<EventType>`. */
  source: string;
  /** Equal for a callback and its retries or duplicates. */
  dedupeKey: string;
  /** When the event happened, in ms; the receipt time when the callback says nothing. */
  occurredAt: number;
  /** When the callback arrived, in ms. */
  receivedAt: number;
  subject: Subject;
  data: TData;
  /** One human line, e.g. `stream test1 frame rate below 10 fps`. */
  summary: string;
  /** The body as parsed JSON. */
  payload: Record<string, unknown>;
  /** The body exactly as received. */
  raw: Uint8Array;
  /** The headers that matter for audit and replay (content type, Sign, SdkAppId, user agent). */
  headers: Record<string, string>;
  auth: EventAuth;
  /**
   * Present when a known event failed its schema and was kept as `*.unknown`, or when a `*.unknown`
   * event's type fields (`event_type`, `EventGroupId`, `EventType`) are not numbers.
   */
  issues?: ValidationIssue[];
  /**
   * The catalog type a `*.unknown` event was classified as before it failed that type's schema
   * (`css.porn`), so it can still be found by its type; absent otherwise.
   */
  classifiedAs?: string;
}

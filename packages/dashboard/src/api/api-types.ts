/**
 * The shapes the query API answers with (docs/api.md, `/api/openapi.json`). Copied as types only: the
 * dashboard talks to the gateway over HTTP and imports no server code.
 */

/** The two Tencent callback families. */
export type Family = 'css' | 'trtc';

/** Who and what an event is about; every id is a string. */
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
  /** `css-md5`: t/sign verified; `trtc-hmac`: Sign header verified; `unsigned`: accepted unsigned by configuration. */
  method: 'css-md5' | 'trtc-hmac' | 'unsigned';
  keyId?: string;
  /** A CSS callback whose expiry `t` had passed when it arrived. */
  stale: boolean;
}

/** A schema problem of a known event kept as `*.unknown`. */
export interface ValidationIssue {
  path: string;
  message: string;
}

/** A stored event as listed by the API. */
export interface Envelope {
  id: string;
  type: string;
  family: Family;
  source: string;
  dedupeKey: string;
  occurredAt: number;
  receivedAt: number;
  subject: Subject;
  data: unknown;
  summary: string;
  auth: EventAuth;
  issues?: ValidationIssue[];
  /** On a `*.unknown` event that failed the schema of a catalog type: that type. */
  classifiedAs?: string;
  duplicates?: number;
}

/**
 * Where a delivery is: `pending` (to send or retry), `held` (a stale event waiting for release),
 * `delivered`, `dead` (retries used up) or `disabled` (its sink answered 410 Gone).
 */
export type DeliveryStatus = 'pending' | 'held' | 'delivered' | 'dead' | 'disabled';

/** One forwarding of an event to a sink (fan-out). */
export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  sink: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  /** What the sink reported, e.g. the Tencent API request and answer. */
  result: unknown;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
}

/** `GET /api/events/{id}`: the envelope with the body exactly as received. */
export interface EventDetail extends Envelope {
  raw: string;
  headers: Record<string, string>;
  deliveries?: Delivery[];
}

/** A cursor-paginated list, newest first. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A screenshot of a stream. */
export interface Screenshot {
  url: string;
  at: number;
}

/** `GET /api/streams` item. */
export interface StreamItem {
  appId: string;
  streamId: string;
  status: 'live' | 'offline' | 'unknown';
  health: 'ok' | 'broken' | 'low_framerate';
  lastEventAt: number;
  lastPushAt?: number;
  lastDisconnectAt?: number;
  disconnectReason?: string;
  sessionSequence?: string;
  brokenCount: number;
  lowFramerateCount: number;
  moderationHits: number;
  latestScreenshot?: Screenshot;
}

/** Moderation review states. */
export type ModerationStatus = 'pending' | 'confirmed' | 'dismissed' | 'escalated';

/** A reviewer's decision about a moderation item. */
export type ModerationAction = 'confirm' | 'dismiss' | 'escalate';

/** `GET /api/moderation` item. */
export interface ModerationItem {
  id: string;
  eventId: string;
  eventType: string;
  occurredAt: number;
  streamId?: string;
  roomId?: string;
  userId?: string;
  taskId?: string;
  mediaType: 'image' | 'audio' | 'text';
  mediaUrl?: string;
  labels: string[];
  score?: number;
  suggestion: 'Block' | 'Review' | 'Pass' | null;
  text?: string;
  status: ModerationStatus;
  decidedAt?: number;
  decidedBy?: string;
  note?: string;
}

/** One entry of a moderation item's audit trail. */
export interface ModerationDecision {
  action: ModerationAction;
  actor: string;
  note: string;
  at: number;
}

/** `GET /api/moderation/{id}`. */
export interface ModerationDetail extends ModerationItem {
  decisions: ModerationDecision[];
}

/** `GET /api/streams/{streamId}`. */
export interface StreamDetail extends StreamItem {
  timeline: Envelope[];
  screenshots: Screenshot[];
  moderation: ModerationItem[];
}

/** TRTC cloud moderation task states (from events 1101..1106). */
export type TaskState = 'starting' | 'failed_to_start' | 'running' | 'sending' | 'stopped' | 'errored';

/** `GET /api/trtc/tasks` item. */
export interface TrtcTask {
  taskId: string;
  sdkAppId?: string;
  roomId?: string;
  state: TaskState;
  /** The state in words. */
  stateLabel: string;
  leaveCode?: number;
  /** What LeaveCode means, in words. */
  leaveReason?: string;
  lastError?: { code: number | string; message: string };
  startedAt?: number;
  updatedAt: number;
  results: { Pass: number; Review: number; Block: number };
}

/** `GET /api/trtc/tasks/{taskId}`. */
export interface TrtcTaskDetail extends TrtcTask {
  events: Envelope[];
}

/** Where a transcript line comes from. */
export type TranscriptKind = 'asr' | 'ocr' | 'subtitle';

/** `GET /api/transcripts` item. */
export interface TranscriptHit {
  eventId: string;
  streamId?: string;
  kind: TranscriptKind;
  text: string;
  startMs?: number;
  endMs?: number;
  occurredAt: number;
  /** `[start, end)` offsets of the hits in `text`, in UTF-16 code units as JavaScript indexes strings. */
  highlights: [number, number][];
}

/** `GET /api/rejections` item: a callback the gateway refused. */
export interface Rejection {
  id: string;
  receivedAt: number;
  status: number;
  code: string;
  message: string;
  remoteAddress: string;
  path: string;
  headers: Record<string, string>;
  bodyPrefix: string;
}

/** `GET /api/stats`. */
export interface Stats {
  buckets: { t: number; counts: Record<string, number> }[];
  totals: { events: number; duplicates?: number; rejections: number; byType: Record<string, number> };
  recentAlerts: Envelope[];
}

/** The error body of every failed API request. */
export interface ApiErrorBody {
  code: string;
  error: string;
}

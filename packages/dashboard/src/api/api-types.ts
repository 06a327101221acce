/**
 * The shapes the query API answers with: the gateway's own answer types, the outputs of its routes' schemas
 * (docs/api.md, docs/openapi.json). Imported as types only: the dashboard talks to the gateway over HTTP
 * and bundles no server code.
 */
import type {
  ApiError,
  ApiEvent,
  ApiEventDetail,
  ApiModerationDecision,
  ApiModerationDetail,
  ApiModerationItem,
  ApiPage,
  ApiRejection,
  ApiScreenshot,
  ApiStats,
  ApiStreamDetail,
  ApiStreamItem,
  ApiTask,
  ApiTaskDetail,
  ApiTranscriptHit,
  Delivery,
} from '@livehooks/server';

export type { Delivery };

/** A stored event as listed by the API. */
export type Envelope = ApiEvent;

/** The two Tencent callback families. */
export type Family = Envelope['family'];

/** Who and what an event is about; every id is a string. */
export type Subject = Envelope['subject'];

/** How a callback proved it came from Tencent. */
export type EventAuth = Envelope['auth'];

/** A schema problem of a known event kept as `*.unknown`. */
export type ValidationIssue = NonNullable<Envelope['issues']>[number];

/**
 * Where a delivery is: `pending` (to send or retry), `held` (a stale event waiting for release),
 * `delivered`, `dead` (retries used up) or `disabled` (its sink answered 410 Gone).
 */
export type DeliveryStatus = Delivery['status'];

/** `GET /api/events/{id}`: the envelope with the body exactly as received. */
export type EventDetail = ApiEventDetail;

/** A cursor-paginated list, newest first. */
export type Page<T> = ApiPage<T>;

/** A screenshot of a stream. */
export type Screenshot = ApiScreenshot;

/** `GET /api/streams` item. */
export type StreamItem = ApiStreamItem;

/** `GET /api/streams/{streamId}`. */
export type StreamDetail = ApiStreamDetail;

/** `GET /api/moderation` item. */
export type ModerationItem = ApiModerationItem;

/** Moderation review states. */
export type ModerationStatus = ModerationItem['status'];

/** One entry of a moderation item's audit trail. */
export type ModerationDecision = ApiModerationDecision;

/** A reviewer's decision about a moderation item. */
export type ModerationAction = Exclude<ModerationDecision['action'], 'undo'>;

/** `GET /api/moderation/{id}`. */
export type ModerationDetail = ApiModerationDetail;

/** `GET /api/trtc/tasks` item. */
export type TrtcTask = ApiTask;

/** TRTC cloud moderation task states (from events 1101..1106). */
export type TaskState = TrtcTask['state'];

/** `GET /api/trtc/tasks/{taskId}`. */
export type TrtcTaskDetail = ApiTaskDetail;

/** `GET /api/transcripts` item. */
export type TranscriptHit = ApiTranscriptHit;

/** Where a transcript line comes from. */
export type TranscriptKind = TranscriptHit['kind'];

/** `GET /api/rejections` item: a callback the gateway refused. */
export type Rejection = ApiRejection;

/** `GET /api/stats`. */
export type Stats = ApiStats;

/** The error body of every failed API request. */
export type ApiErrorBody = ApiError;

import type { ApiAction, ApiBulkDecision, ApiModerationCounts } from '@livehooks/server';

/** `GET /api/moderation/counts`: items of the queue in each review state. */
export type ModerationCounts = ApiModerationCounts;

/** `POST /api/moderation/decisions`: the items decided at once, and the ids that named none. */
export type BulkDecision = ApiBulkDecision;

/** An operator action through the Tencent Cloud API (`POST /api/actions`) and its audit trail. */
export type OperatorAction = ApiAction;

import type { ApiDeliveryAttempt, ApiRejectionReasons, ApiSink } from '@livehooks/server';

/** `GET /api/sinks` item: a configured sink with its backlog, success rate and state. */
export type Sink = ApiSink;

/** `GET /api/deliveries/{id}/attempts` item: one finished attempt of a delivery. */
export type DeliveryAttempt = ApiDeliveryAttempt;

/** `GET /api/rejections/reasons`: the refusals kept per code, most frequent first. */
export type RejectionReasons = ApiRejectionReasons;

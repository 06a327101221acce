import type { z } from 'zod';
import type { actionSchema } from './actions/action-routes.js';
import type { errorAnswer, pageOf } from './api/query-schemas.js';
import type { Delivery, DeliveryAttempt, SinkSummary } from './dispatch/delivery-schemas.js';
import type { eventDetailSchema, storedEventSchema } from './events/event-schemas.js';
import type { statsSchema } from './events/stats-routes.js';
import type { rejectionReasonsSchema, rejectionSchema } from './ingest/rejection-routes.js';
import type {
  bulkDecisionSchema,
  decisionSchema,
  moderationCountsSchema,
  moderationDetailSchema,
  moderationItemSchema,
} from './moderation/moderation-schemas.js';
import type { screenshotSchema, streamDetailSchema, streamItemSchema } from './streams/stream-schemas.js';
import type { taskDetailSchema, taskSchema } from './tasks/task-schemas.js';
import type { transcriptHitSchema } from './transcripts/transcript-schemas.js';

// The answers of the API, as its clients read them: the outputs of the routes' response schemas, so a
// client that imports them compiles against what the gateway answers (docs/openapi.json).

/**
 * A schema's output as JSON carries it: an optional property is absent, never `undefined`, so it reads
 * `key?: T` (under `exactOptionalPropertyTypes`) where zod's output says `key?: T | undefined`.
 */
type Json<T> = T extends object ? { [K in keyof T]: Json<Exclude<T[K], undefined>> } : T;

/** The answer a response schema describes. */
type Answer<S extends z.ZodType> = Json<z.output<S>>;

/** A page of a list: the items, newest first, and the cursor of the next page (null on the last). */
export type ApiPage<T> = Json<z.output<ReturnType<typeof pageOf<z.ZodType<T>>>>>;

/** One stored event, as `GET /api/events` lists it and the live tail sends it. */
export type ApiEvent = Answer<typeof storedEventSchema>;

/** A page of `GET /api/events`. */
export type ApiEventPage = ApiPage<ApiEvent>;

/** A page of `GET /api/deliveries`. */
export type ApiDeliveryPage = ApiPage<Delivery>;

/**
 * `GET /api/events/{id}`: the event with its body as received (`raw`, UTF-8 text), the body parsed
 * (`payload`), its kept headers and its deliveries.
 */
export type ApiEventDetail = Omit<Answer<ReturnType<typeof eventDetailSchema>>, 'deliveries'> & {
  deliveries: Delivery[];
};

/** A screenshot of a stream. */
export type ApiScreenshot = Answer<typeof screenshotSchema>;

/** An item of `GET /api/streams`. */
export type ApiStreamItem = Answer<typeof streamItemSchema>;

/** An item of `GET /api/moderation`: a flagged image, audio clip or text. */
export type ApiModerationItem = Answer<typeof moderationItemSchema>;

/** `GET /api/streams/{streamId}`: the stream with its timeline, screenshots and moderation hits. */
export type ApiStreamDetail = Omit<Answer<ReturnType<typeof streamDetailSchema>>, 'moderation'> & {
  moderation: ApiModerationItem[];
};

/** A decision on a moderation item, in its audit trail. */
export type ApiModerationDecision = Answer<typeof decisionSchema>;

/** `GET /api/moderation/{id}`: the item with its decisions. */
export type ApiModerationDetail = Answer<typeof moderationDetailSchema>;

/** `GET /api/moderation/counts`: how many items are in each review state. */
export type ApiModerationCounts = Answer<typeof moderationCountsSchema>;

/** `POST /api/moderation/decisions`: the items decided and the ids that named none. */
export type ApiBulkDecision = Answer<typeof bulkDecisionSchema>;

/** An operator action of `POST /api/actions` and its audit trail `GET /api/actions`. */
export type ApiAction = Answer<typeof actionSchema>;

/** An item of `GET /api/trtc/tasks`: a TRTC cloud moderation task. */
export type ApiTask = Answer<typeof taskSchema>;

/** `GET /api/trtc/tasks/{taskId}`: the task with its events. */
export type ApiTaskDetail = Answer<typeof taskDetailSchema>;

/** An item of `GET /api/transcripts`. */
export type ApiTranscriptHit = Answer<typeof transcriptHitSchema>;

/** An item of `GET /api/rejections`: a refused callback request. */
export type ApiRejection = Answer<typeof rejectionSchema>;

/** `GET /api/rejections/reasons`: how many refusals are kept per code, most frequent first. */
export type ApiRejectionReasons = Answer<typeof rejectionReasonsSchema>;

/** An item of `GET /api/sinks`: a configured sink with its backlog, success rate and state. */
export type ApiSink = SinkSummary;

/** An item of `GET /api/deliveries/{id}/attempts`: one finished attempt of a delivery. */
export type ApiDeliveryAttempt = DeliveryAttempt;

/** `GET /api/stats`. */
export type ApiStats = Answer<typeof statsSchema>;

/** The body of every refusal: a stable `LH_ERR_*` code and a message. */
export type ApiError = Answer<typeof errorAnswer>;

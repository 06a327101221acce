import type { Database } from '../store/database.js';

/**
 * Ids of stored events the projector has not applied yet. A trigger on `events` fills it in the transaction
 * that stores the event, so a crash between commit and projection loses nothing.
 */
export interface ProjectionQueueTable {
  event_id: string;
}

/** Per (app, stream): liveness, health alerts, latest screenshot and moderation hits. */
export interface StreamsTable {
  /** `''` when the events carry no app id. */
  app_id: string;
  stream_id: string;
  /** `live`, `offline` or `unknown` (derived from the push and disconnect columns). */
  status: string;
  /** `ok`, `broken` or `low_framerate`: the latest health signal by event time. */
  health: string;
  health_at: number | null;
  health_event: string | null;
  last_event_at: number;
  last_push_at: number | null;
  last_push_event: string | null;
  last_push_seq: string | null;
  last_disconnect_at: number | null;
  last_disconnect_event: string | null;
  last_disconnect_seq: string | null;
  disconnect_reason: string | null;
  broken_count: number;
  last_broken_at: number | null;
  low_framerate_count: number;
  last_low_framerate_at: number | null;
  moderation_hits: number;
  screenshot_url: string | null;
  screenshot_at: number | null;
  screenshot_event: string | null;
}

/** One flagged image, audio clip or text, with its review status (its id is the event id). */
export interface ModerationItemsTable {
  id: string;
  event_type: string;
  family: string;
  occurred_at: number;
  app_id: string | null;
  stream_id: string | null;
  room_id: string | null;
  user_id: string | null;
  task_id: string | null;
  /** `image`, `audio` or `text`. */
  media_type: string;
  media_url: string | null;
  /** JSON array of label strings. */
  labels: string;
  score: number | null;
  /** `Block`, `Review`, `Pass` or null. */
  suggestion: string | null;
  text: string | null;
  /** `pending`, `confirmed`, `dismissed` or `escalated`. */
  status: string;
  decided_at: number | null;
  decided_by: string | null;
  note: string | null;
}

/** The audit trail of human decisions on moderation items; never rebuilt, never pruned with events. */
export interface ReviewsTable {
  /** UUIDv7. */
  id: string;
  item_id: string;
  /** `confirm`, `dismiss` or `escalate`. */
  action: string;
  actor: string;
  note: string;
  at: number;
}

/** One TRTC cloud moderation task (TRTC 1101..1106) per TaskId. */
export interface TrtcTasksTable {
  task_id: string;
  sdk_app_id: string | null;
  room_id: string | null;
  /** `starting`, `failed_to_start`, `running`, `sending`, `stopped` or `errored`. */
  state: string;
  state_at: number | null;
  /** Tie-break of two lifecycle events with the same time: the later stage wins. */
  state_rank: number | null;
  state_event: string | null;
  /** From the latest stop (TRTC 1102) by event time. */
  stop_at: number | null;
  stop_event: string | null;
  leave_code: number | null;
  leave_reason: string | null;
  error_code: string | null;
  error_message: string | null;
  error_at: number | null;
  error_event: string | null;
  started_at: number | null;
  updated_at: number;
  pass_count: number;
  review_count: number;
  block_count: number;
}

/** Recognised or subtitled text of a stream, searchable (one row per event). */
export interface TranscriptsTable {
  event_id: string;
  app_id: string | null;
  stream_id: string | null;
  /** `asr`, `ocr` or `subtitle`. */
  kind: string;
  text: string;
  start_ms: number | null;
  end_ms: number | null;
  occurred_at: number;
}

/** The gateway's tables with the projections of migration `0002_projections`. */
export interface ProjectionDatabase extends Database {
  projection_queue: ProjectionQueueTable;
  streams: StreamsTable;
  moderation_items: ModerationItemsTable;
  reviews: ReviewsTable;
  trtc_tasks: TrtcTasksTable;
  transcripts: TranscriptsTable;
}

/** The projection tables a rebuild empties (not `reviews`: human decisions are not derived from events). */
export const DERIVED_TABLES = ['streams', 'moderation_items', 'trtc_tasks', 'transcripts'] as const;

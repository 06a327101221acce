import type { Database } from '../store/database.js';

/**
 * Ids of stored events the projector has not applied yet. A trigger on `events` fills it in the transaction
 * that stores the event, so a crash between commit and projection loses nothing.
 */
export interface ProjectionQueueTable {
  event_id: string;
}

/** An event the projector set aside: applying it fails even alone (migration `0004_projection_failures`). */
export interface ProjectionFailuresTable {
  event_id: string;
  event_type: string;
  /** The database's error code (SQLSTATE, `SQLITE_*`) or the JavaScript error name. */
  error_code: string | null;
  /** The first line of the error message, at most {@link FAILURE_MESSAGE_MAX} characters. */
  error: string;
  /** Failed attempts, counting retries asked for through the API. */
  attempts: number;
  /** When it last failed, in ms since the epoch. */
  failed_at: number;
}

/** The longest error message a projection failure keeps. */
export const FAILURE_MESSAGE_MAX = 500;

/** The gateway's tables with the projector's own: its queue and the events it set aside. */
export interface ProjectionDatabase extends Database {
  projection_queue: ProjectionQueueTable;
  projection_failures: ProjectionFailuresTable;
}

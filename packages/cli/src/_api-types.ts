export type { ApiEvent, ApiEventDetail, ApiEventPage } from '@livehooks/server';

/** The filters `GET /api/events` takes, as query parameters. */
export interface EventFilters {
  type?: string;
  stream_id?: string;
  room_id?: string;
  task_id?: string;
  user_id?: string;
  family?: 'css' | 'trtc';
  /** Words every event must contain (payload and summary). */
  q?: string;
  since?: number;
  until?: number;
}

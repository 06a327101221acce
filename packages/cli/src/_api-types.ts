import type { StoredEvent, StoredEventDetail } from '@livehooks/server';

/** One item of `GET /api/events`. */
export type ApiEvent = StoredEvent;

/** `GET /api/events/{id}`: the envelope with the body as received (text) and the kept headers. */
export type ApiEventDetail = Omit<StoredEventDetail, 'raw'> & { raw: string };

/** A page of `GET /api/events`. */
export interface ApiEventPage {
  items: ApiEvent[];
  nextCursor: string | null;
}

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

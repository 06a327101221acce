import { numberish } from '../fields.js';
import { defineTrtcEvent } from './trtc-event.js';

const DOC = 'https://trtc.io/document/62717';

/**
 * `Status` of a stream-ingest start (701). A failed start is retried at 0, 1 and 3 s (`restarting`).
 *
 * @see https://trtc.io/document/62717
 */
export const INGEST_START_STATUSES: Readonly<Record<number, string>> = {
  0: 'started',
  1: 'failed to start',
  2: 'restarting',
};

/**
 * The outcome an ingest start `Status` names, or `unknown status N`.
 *
 * @example
 * ```ts
 * describeIngestStartStatus(2); // 'restarting'
 * ```
 * @see https://trtc.io/document/62717
 */
export function describeIngestStartStatus(status: number): string {
  return INGEST_START_STATUSES[status] ?? `unknown status ${status}`;
}

/**
 * TRTC 701: an online media stream started being pushed into a room (stream ingest). Group 7 names the send
 * time `CallbackMsTs`, documents `EventMsTs` as a string and puts `Status` in `EventInfo`, not in a
 * `Payload`. Callbacks may arrive out of order: order them by `EventMsTs`.
 *
 * @see https://trtc.io/document/62717
 */
export const trtcIngestStarted = defineTrtcEvent({
  type: 'trtc.ingest.started',
  group: 7,
  eventType: 701,
  title: 'Stream ingest started',
  doc: DOC,
  info: { Status: numberish },
  data: (info) => ({ Status: info.Status, status: describeIngestStartStatus(info.Status) }),
  summary: (data) =>
    `stream ingest task ${data.TaskId ?? '?'}${data.RoomId ? ` in room ${data.RoomId}` : ''} ${data.status}`,
});

/**
 * TRTC 702: the stream ingest task stopped (Status 0).
 *
 * @see https://trtc.io/document/62717
 */
export const trtcIngestStopped = defineTrtcEvent({
  type: 'trtc.ingest.stopped',
  group: 7,
  eventType: 702,
  title: 'Stream ingest stopped',
  doc: DOC,
  info: { Status: numberish.optional() },
  data: (info) => ({ Status: info.Status }),
  summary: (data) =>
    `stream ingest task ${data.TaskId ?? '?'}${data.RoomId ? ` in room ${data.RoomId}` : ''} stopped`,
});

/** TRTC group 7: stream ingest (pushing an online media stream into a room). */
export const trtcIngestEvents = [trtcIngestStarted, trtcIngestStopped] as const;

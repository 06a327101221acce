import { z } from 'zod';
import { numberish } from '../fields.js';
import { defineTrtcEvent } from './trtc-event.js';

const DOC = 'https://trtc.io/document/54914';

/** `Status` of a web-page recording start (801). */
const START_STATUSES: Readonly<Record<number, string>> = {
  1: 'started',
  2: 'failed to start',
  3: 'exited abnormally',
  4: 'migrated',
  5: 'stopped after an exception',
};

/** `Status` of a web-page recording status update (803). */
const UPDATE_STATUSES: Readonly<Record<number, string>> = {
  1: 'refreshed the page',
  2: 'paused',
  3: 'resumed',
};

/** `Status` of a web-page recording resource limit (804). */
const LIMIT_STATUSES: Readonly<Record<number, string>> = {
  1: 'reached its maximum duration',
  2: 'was asked for a resolution above 1920x1080',
};

function describe(statuses: Readonly<Record<number, string>>, status: number): string {
  return statuses[status] ?? `reported unknown status ${status}`;
}

// Group 8 EventInfo carries only EventMsTs, TaskId and Payload (https://trtc.io/document/54914).
const payload = z.looseObject({ Status: numberish, EventMessage: z.string().optional() });

/**
 * TRTC 801: a web-page recording task started, failed to start, exited abnormally, was migrated or
 * stopped after an exception (`Status` 1-5, with `EventMessage`).
 *
 * @see https://trtc.io/document/54914
 */
export const trtcWebRecordingStarted = defineTrtcEvent({
  type: 'trtc.web_recording.started',
  group: 8,
  eventType: 801,
  title: 'Web-page recording started',
  doc: DOC,
  info: { Payload: payload },
  data: (info) => ({
    Status: info.Payload.Status,
    status: describe(START_STATUSES, info.Payload.Status),
    EventMessage: info.Payload.EventMessage,
  }),
  summary: (data) =>
    `web recording task ${data.TaskId ?? '?'} ${data.status}${data.EventMessage && data.Status !== 1 ? `: ${data.EventMessage}` : ''}`,
});

/**
 * TRTC 802: a web-page recording task stopped (Status 1).
 *
 * @see https://trtc.io/document/54914
 */
export const trtcWebRecordingStopped = defineTrtcEvent({
  type: 'trtc.web_recording.stopped',
  group: 8,
  eventType: 802,
  title: 'Web-page recording stopped',
  doc: DOC,
  info: { Payload: payload.partial() },
  data: (info) => ({ Status: info.Payload.Status, EventMessage: info.Payload.EventMessage }),
  summary: (data) => `web recording task ${data.TaskId ?? '?'} stopped`,
});

/**
 * TRTC 803: a web-page recording task refreshed its page (1), paused (2) or resumed (3).
 *
 * @see https://trtc.io/document/54914
 */
export const trtcWebRecordingStatus = defineTrtcEvent({
  type: 'trtc.web_recording.status',
  group: 8,
  eventType: 803,
  title: 'Web-page recording status update',
  doc: DOC,
  info: { Payload: payload },
  data: (info) => ({
    Status: info.Payload.Status,
    status: describe(UPDATE_STATUSES, info.Payload.Status),
    EventMessage: info.Payload.EventMessage,
  }),
  summary: (data) => `web recording task ${data.TaskId ?? '?'} ${data.status}`,
});

/**
 * TRTC 804: a web-page recording task hit a resource limit: its maximum duration (1) or a resolution
 * above 1920x1080 (2).
 *
 * @see https://trtc.io/document/54914
 */
export const trtcWebRecordingLimit = defineTrtcEvent({
  type: 'trtc.web_recording.limit',
  group: 8,
  eventType: 804,
  title: 'Web-page recording resource limit',
  doc: DOC,
  info: { Payload: payload },
  data: (info) => ({
    Status: info.Payload.Status,
    status: describe(LIMIT_STATUSES, info.Payload.Status),
    EventMessage: info.Payload.EventMessage,
  }),
  summary: (data) => `web recording task ${data.TaskId ?? '?'} ${data.status}`,
});

/** TRTC group 8: web-page recording. */
export const trtcWebRecordingEvents = [
  trtcWebRecordingStarted,
  trtcWebRecordingStopped,
  trtcWebRecordingStatus,
  trtcWebRecordingLimit,
] as const;

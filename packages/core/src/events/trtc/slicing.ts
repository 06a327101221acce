import { z } from 'zod';
import { numberish } from '../fields.js';
import { describeLeaveCode } from './leave-codes.js';
import { defineTrtcEvent, trtcSubject } from './trtc-event.js';

const DOC = 'https://trtc.io/document/73393';

/** A storage error code: a number, or a word some storage services send. */
const errorCode = z.union([numberish, z.string()]);

function task(data: { TaskId?: string; RoomId?: string }): string {
  return `slicing task ${data.TaskId ?? '?'} in room ${data.RoomId ?? '?'}`;
}

/**
 * TRTC 1001: the cloud slicing module started (Status 0) or failed to start. Its `UserId` is the
 * pull-stream robot.
 *
 * @see https://trtc.io/document/73393
 */
export const trtcSlicingStarted = defineTrtcEvent({
  type: 'trtc.slicing.started',
  group: 10,
  eventType: 1001,
  title: 'Cloud slicing module started',
  doc: DOC,
  info: { Payload: z.looseObject({ Status: numberish }) },
  data: (info) => ({ Status: info.Payload.Status, started: info.Payload.Status === 0 }),
  summary: (data) => `${task(data)} ${data.started ? 'started' : 'failed to start'}`,
});

/**
 * TRTC 1002: the cloud slicing module exited; `LeaveCode` has the meanings of recording's 302.
 *
 * @see https://trtc.io/document/73393
 */
export const trtcSlicingStopped = defineTrtcEvent({
  type: 'trtc.slicing.stopped',
  group: 10,
  eventType: 1002,
  title: 'Cloud slicing module stopped',
  doc: DOC,
  info: { Payload: z.looseObject({ LeaveCode: numberish }) },
  data: (info) => ({
    LeaveCode: info.Payload.LeaveCode,
    leaveReason: describeLeaveCode(info.Payload.LeaveCode),
  }),
  summary: (data) => `${task(data)} stopped: ${data.leaveReason}`,
});

/**
 * TRTC 1003: the upload of slices to storage started (Status 0) or failed to start.
 *
 * @see https://trtc.io/document/73393
 */
export const trtcSlicingUploadStarted = defineTrtcEvent({
  type: 'trtc.slicing.upload_started',
  group: 10,
  eventType: 1003,
  title: 'Cloud slicing upload started',
  doc: DOC,
  info: { Payload: z.looseObject({ Status: numberish }) },
  data: (info) => ({ Status: info.Payload.Status, started: info.Payload.Status === 0 }),
  summary: (data) => `${task(data)} ${data.started ? 'started uploading' : 'failed to start uploading'}`,
});

/**
 * TRTC 1004: slice files of an anchor were stored. `Payload.StreamUserId` is the anchor whose stream was
 * sliced, and so the subject's user; the event's own `UserId` is the robot.
 *
 * @see https://trtc.io/document/73393
 */
export const trtcSlicingFileInfo = defineTrtcEvent({
  type: 'trtc.slicing.file_info',
  group: 10,
  eventType: 1004,
  title: 'Cloud slicing file information',
  doc: DOC,
  info: { Payload: z.looseObject({ StreamUserId: z.string().optional() }) },
  data: (info) => ({ StreamUserId: info.Payload.StreamUserId, Payload: info.Payload }),
  subject: (data) => {
    const subject = trtcSubject(data);
    if (data.StreamUserId !== undefined) subject.userId = data.StreamUserId;
    return subject;
  },
  summary: (data) => `${task(data)} stored slices${data.StreamUserId ? ` of user ${data.StreamUserId}` : ''}`,
});

/**
 * TRTC 1005: the upload of slices to storage ended.
 *
 * @see https://trtc.io/document/73393
 */
export const trtcSlicingUploadStopped = defineTrtcEvent({
  type: 'trtc.slicing.upload_stopped',
  group: 10,
  eventType: 1005,
  title: 'Cloud slicing upload stopped',
  doc: DOC,
  info: { Payload: z.looseObject({ Status: numberish.optional() }).optional() },
  data: (info) => ({ Status: info.Payload?.Status }),
  summary: (data) =>
    `${task(data)} finished uploading${data.Status !== undefined && data.Status !== 0 ? ` (status ${data.Status})` : ''}`,
});

/**
 * TRTC 1006: the storage service refused a slice upload (`Code`, `Message`).
 *
 * @see https://trtc.io/document/73393
 */
export const trtcSlicingUploadError = defineTrtcEvent({
  type: 'trtc.slicing.upload_error',
  group: 10,
  eventType: 1006,
  title: 'Cloud slicing upload error',
  doc: DOC,
  info: {
    Payload: z.looseObject({ Code: errorCode.optional(), Message: z.string().optional() }),
  },
  data: (info) => ({ Code: info.Payload.Code, Message: info.Payload.Message }),
  summary: (data) =>
    `${task(data)} upload failed${data.Code === undefined ? '' : ` with code ${data.Code}`}${data.Message ? `: ${data.Message}` : ''}`,
});

/** TRTC group 10: cloud slicing. */
export const trtcSlicingEvents = [
  trtcSlicingStarted,
  trtcSlicingStopped,
  trtcSlicingUploadStarted,
  trtcSlicingFileInfo,
  trtcSlicingUploadStopped,
  trtcSlicingUploadError,
] as const;

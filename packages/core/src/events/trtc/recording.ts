import { z } from 'zod';
import { idString, numberish } from '../fields.js';
import { describeLeaveCode } from './leave-codes.js';
import { defineTrtcEvent, trtcSubject } from './trtc-event.js';

const DOC = 'https://trtc.io/document/54914';

/**
 * Upload outcome of a recording task, from `Status` (or `LeaveCode`) of 305 and `Status` of 310.
 *
 * @see https://trtc.io/document/54914
 */
export const RECORDING_UPLOAD_STATUSES: Readonly<Record<number, string>> = {
  0: 'all files uploaded',
  1: 'some files are held on the server or backup storage',
  2: 'the held files were uploaded later',
};

/**
 * Outcome of committing a recording to VOD, from `Status` of 311.
 *
 * @see https://trtc.io/document/54914
 */
export const RECORDING_VOD_STATUSES: Readonly<Record<number, string>> = {
  0: 'uploaded to VOD',
  1: 'held on the server or backup storage',
  2: 'VOD upload failed',
};

/**
 * The meaning of a recording upload status (305, 310), or `unknown upload status N`.
 *
 * @example
 * ```ts
 * describeRecordingUploadStatus(0); // 'all files uploaded'
 * ```
 * @see https://trtc.io/document/54914
 */
export function describeRecordingUploadStatus(status: number): string {
  return RECORDING_UPLOAD_STATUSES[status] ?? `unknown upload status ${status}`;
}

/**
 * The meaning of a recording VOD commit status (311), or `unknown VOD status N`.
 *
 * @example
 * ```ts
 * describeRecordingVodStatus(0); // 'uploaded to VOD'
 * ```
 * @see https://trtc.io/document/54914
 */
export function describeRecordingVodStatus(status: number): string {
  return RECORDING_VOD_STATUSES[status] ?? `unknown VOD status ${status}`;
}

/** `TrackType` of a recorded file. */
const trackType = z.string();

/** One MP4 file of a 310 event. */
const fileMessage = z.looseObject({
  FileName: z.string().optional(),
  UserId: z.string().optional(),
  TrackType: trackType.optional(),
  /** `main`, `aux` or `mix`. */
  MediaId: z.string().optional(),
  StartTimeStamp: numberish.optional(),
  EndTimeStamp: numberish.optional(),
});

/** The VOD file of a 311 event. */
const tencentVod = z.looseObject({
  UserId: z.string().optional(),
  TrackType: trackType.optional(),
  MediaId: z.string().optional(),
  FileId: idString.optional(),
  VideoUrl: z.string().optional(),
  CacheFile: z.string().optional(),
  StartTimeStamp: numberish.optional(),
  EndTimeStamp: numberish.optional(),
});

/**
 * The VOD file of a 311 event in its older shape (2022 Chinese recording page): the file's fields sit
 * flat in `Payload`, with no `Status`, and `BeginTimeStamp` is in seconds.
 */
const flatVodFields = {
  UserId: z.string().optional(),
  TrackType: trackType.optional(),
  MediaId: z.string().optional(),
  FileId: idString.optional(),
  VideoUrl: z.string().optional(),
  CacheFile: z.string().optional(),
  /** Unix seconds. */
  BeginTimeStamp: numberish.optional(),
};

type TencentVod = z.output<typeof tencentVod>;

/** The file of an older-shape 311 in the current `TencentVod` shape, times in ms; undefined when it names none. */
function flatVod(payload: z.output<z.ZodObject<typeof flatVodFields>>): TencentVod | undefined {
  const { UserId, TrackType, MediaId, FileId, VideoUrl, CacheFile, BeginTimeStamp } = payload;
  if (FileId === undefined && VideoUrl === undefined && CacheFile === undefined) return undefined;
  const vod: TencentVod = { UserId, TrackType, MediaId, FileId, VideoUrl, CacheFile };
  if (BeginTimeStamp !== undefined) vod.StartTimeStamp = BeginTimeStamp * 1000;
  return vod;
}

/** A storage error code: a number, or a word some storage services send. */
const errorCode = z.union([numberish, z.string()]);

function task(data: { TaskId?: string; RoomId?: string }): string {
  return `recording task ${data.TaskId ?? '?'} in room ${data.RoomId ?? '?'}`;
}

/**
 * TRTC 301: the cloud recording module started (Status 0) or failed to start (Status 1).
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingStarted = defineTrtcEvent({
  type: 'trtc.recording.started',
  group: 3,
  eventType: 301,
  title: 'Cloud recording module started (EVENT_TYPE_CLOUD_RECORDING_RECORDER_START)',
  doc: DOC,
  info: { Payload: z.looseObject({ Status: numberish }) },
  data: (info) => ({ Status: info.Payload.Status, started: info.Payload.Status === 0 }),
  summary: (data) => `${task(data)} ${data.started ? 'started' : 'failed to start'}`,
});

/**
 * TRTC 302: the cloud recording module exited; `LeaveCode` says why (stopped by API, room dismissed, ...).
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingStopped = defineTrtcEvent({
  type: 'trtc.recording.stopped',
  group: 3,
  eventType: 302,
  title: 'Cloud recording module stopped (EVENT_TYPE_CLOUD_RECORDING_RECORDER_STOP)',
  doc: DOC,
  info: { Payload: z.looseObject({ LeaveCode: numberish }) },
  data: (info) => ({
    LeaveCode: info.Payload.LeaveCode,
    leaveReason: describeLeaveCode(info.Payload.LeaveCode),
  }),
  summary: (data) => `${task(data)} stopped: ${data.leaveReason}`,
});

/**
 * TRTC 303: the upload of recorded files to object storage started (Status 0) or failed to start (Status 1).
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingUploadStarted = defineTrtcEvent({
  type: 'trtc.recording.upload_started',
  group: 3,
  eventType: 303,
  title: 'Recording upload started (EVENT_TYPE_CLOUD_RECORDING_UPLOAD_START)',
  doc: DOC,
  info: { Payload: z.looseObject({ Status: numberish }) },
  data: (info) => ({ Status: info.Payload.Status, started: info.Payload.Status === 0 }),
  summary: (data) => `${task(data)} ${data.started ? 'started uploading' : 'failed to start uploading'}`,
});

/**
 * TRTC 304: the first m3u8 index file was written and uploaded; `FileList` names it.
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingFileInfo = defineTrtcEvent({
  type: 'trtc.recording.file_info',
  group: 3,
  eventType: 304,
  title: 'Recording index file created (EVENT_TYPE_CLOUD_RECORDING_FILE_INFO)',
  doc: DOC,
  // The table names one m3u8 file; 310 sends `FileList` as an array, so accept both.
  info: { Payload: z.looseObject({ FileList: z.union([z.string(), z.array(z.string())]) }) },
  data: (info) => {
    const list = info.Payload.FileList;
    return { FileList: list, files: typeof list === 'string' ? [list] : list };
  },
  summary: (data) => `${task(data)} wrote ${data.files.join(', ') || 'no file'}`,
});

/**
 * TRTC 305: the upload of recorded files ended. The current table names the field `LeaveCode`, the older
 * table and every sample `Status` (also https://cloud.tencent.com/document/product/647/81113); both are read,
 * and `uploadStatus` holds whichever came.
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingUploadStopped = defineTrtcEvent({
  type: 'trtc.recording.upload_stopped',
  group: 3,
  eventType: 305,
  title: 'Recording upload stopped (EVENT_TYPE_CLOUD_RECORDING_UPLOAD_STOP)',
  doc: DOC,
  info: {
    Payload: z.looseObject({ Status: numberish.optional(), LeaveCode: numberish.optional() }),
  },
  data: (info) => {
    const uploadStatus = info.Payload.Status ?? info.Payload.LeaveCode;
    return {
      Status: info.Payload.Status,
      LeaveCode: info.Payload.LeaveCode,
      uploadStatus,
      uploadResult: uploadStatus === undefined ? undefined : describeRecordingUploadStatus(uploadStatus),
    };
  },
  summary: (data) => `${task(data)} finished uploading${data.uploadResult ? `: ${data.uploadResult}` : ''}`,
});

/**
 * TRTC 306: the recording task was migrated to another server (failover); recording goes on.
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingFailover = defineTrtcEvent({
  type: 'trtc.recording.failover',
  group: 3,
  eventType: 306,
  title: 'Recording task migrated (EVENT_TYPE_CLOUD_RECORDING_FAILOVER)',
  doc: DOC,
  info: { Payload: z.looseObject({ Status: numberish.optional() }).optional() },
  data: (info) => ({ Status: info.Payload?.Status }),
  summary: (data) => `${task(data)} failed over to another server`,
});

/**
 * TRTC 307: the first ts slice of a user's recording was cut. The payload's `UserId` is the recorded user
 * (the event's own `UserId` is the recording robot), so `Payload` stays nested and that user is the subject.
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingFileSlice = defineTrtcEvent({
  type: 'trtc.recording.file_slice',
  group: 3,
  eventType: 307,
  title: 'Recording first slice created (EVENT_TYPE_CLOUD_RECORDING_FILE_SLICE)',
  doc: DOC,
  info: {
    Payload: z.looseObject({
      FileName: z.string(),
      UserId: z.string().optional(),
      TrackType: trackType.optional(),
      BeginTimeStamp: numberish.optional(),
    }),
  },
  data: (info) => ({
    Payload: {
      FileName: info.Payload.FileName,
      UserId: info.Payload.UserId,
      TrackType: info.Payload.TrackType,
      BeginTimeStamp: info.Payload.BeginTimeStamp,
    },
  }),
  subject: (data) => {
    const subject = trtcSubject(data);
    if (data.Payload.UserId !== undefined) subject.userId = data.Payload.UserId;
    return subject;
  },
  summary: (data) =>
    `${task(data)} cut the first slice ${data.Payload.FileName}${data.Payload.UserId ? ` of user ${data.Payload.UserId}` : ''}${data.Payload.TrackType ? ` (${data.Payload.TrackType})` : ''}`,
});

/**
 * TRTC 308: the storage service refused an upload (`Code`, `Message`). Listed only in the older
 * "Event Callbacks" page.
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingUploadError = defineTrtcEvent({
  type: 'trtc.recording.upload_error',
  group: 3,
  eventType: 308,
  title: 'Recording upload error (EVENT_TYPE_CLOUD_RECORDING_UPLOAD_ERROR)',
  doc: DOC,
  info: {
    Payload: z.looseObject({ Code: errorCode.optional(), Message: z.string().optional() }),
  },
  data: (info) => ({ Code: info.Payload.Code, Message: info.Payload.Message }),
  summary: (data) =>
    `${task(data)} upload failed${data.Code === undefined ? '' : ` with code ${data.Code}`}${data.Message ? `: ${data.Message}` : ''}`,
});

/**
 * TRTC 309: the recorder could not download an image the task uses (a background or placeholder `Url`).
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingDownloadImageError = defineTrtcEvent({
  type: 'trtc.recording.download_image_error',
  group: 3,
  eventType: 309,
  title: 'Recording image download failed (EVENT_TYPE_CLOUD_RECORDING_DOWNLOAD_IMAGE_ERROR)',
  doc: DOC,
  info: { Payload: z.looseObject({ Url: z.string() }) },
  data: (info) => ({ Url: info.Payload.Url }),
  summary: (data) => `${task(data)} could not download image ${data.Url}`,
});

/**
 * TRTC 310: MP4 files were written and uploaded; may fire several times per task.
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingMp4Stopped = defineTrtcEvent({
  type: 'trtc.recording.mp4_stopped',
  group: 3,
  eventType: 310,
  title: 'Recording MP4 upload finished (EVENT_TYPE_CLOUD_RECORDING_MP4_STOP)',
  doc: DOC,
  info: {
    Payload: z.looseObject({
      Status: numberish,
      FileList: z.array(z.string()).optional(),
      FileMessage: z.array(fileMessage).optional(),
    }),
  },
  data: (info) => ({
    Status: info.Payload.Status,
    uploadResult: describeRecordingUploadStatus(info.Payload.Status),
    FileList: info.Payload.FileList ?? [],
    FileMessage: info.Payload.FileMessage ?? [],
  }),
  summary: (data) =>
    `${task(data)} wrote ${data.FileList.length} MP4 file${data.FileList.length === 1 ? '' : 's'}: ${data.uploadResult}`,
});

/**
 * TRTC 311: a recording was committed to VOD. The file may need 30 s to 3 min more before it plays.
 * Both shapes Tencent has documented are read: `Status` with the file under `TencentVod`, and the
 * older one with the file's fields flat in `Payload`, no `Status` and `BeginTimeStamp` in seconds;
 * `data.TencentVod` holds the file either way, its times in ms. Without a `Status`, a callback that
 * names a `FileId` reads as committed.
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingVodCommitted = defineTrtcEvent({
  type: 'trtc.recording.vod_committed',
  group: 3,
  eventType: 311,
  title: 'Recording committed to VOD (EVENT_TYPE_CLOUD_RECORDING_VOD_COMMIT)',
  doc: DOC,
  info: {
    Payload: z.looseObject({
      Status: numberish.optional(),
      Errmsg: z.string().optional(),
      TencentVod: tencentVod.optional(),
      ...flatVodFields,
    }),
  },
  data: (info) => {
    const { Status, Errmsg } = info.Payload;
    const vod = info.Payload.TencentVod ?? flatVod(info.Payload);
    const committed = Status === undefined ? vod?.FileId !== undefined : Status === 0;
    return {
      Status,
      vodStatus:
        Status !== undefined
          ? describeRecordingVodStatus(Status)
          : committed
            ? describeRecordingVodStatus(0)
            : 'no status sent',
      committed,
      Errmsg,
      TencentVod: vod,
    };
  },
  summary: (data) => {
    const file = data.TencentVod?.FileId ? ` as file ${data.TencentVod.FileId}` : '';
    return `${task(data)} ${data.committed ? `committed to VOD${file}` : `VOD commit: ${data.vodStatus}${data.Errmsg ? ` (${data.Errmsg})` : ''}`}`;
  },
});

/**
 * TRTC 312: the VOD upload of the task ended; the whole recording task is done (Status 0) or ended abnormally.
 *
 * @see https://trtc.io/document/54914
 */
export const trtcRecordingVodStopped = defineTrtcEvent({
  type: 'trtc.recording.vod_stopped',
  group: 3,
  eventType: 312,
  title: 'Recording VOD upload finished (EVENT_TYPE_CLOUD_RECORDING_VOD_STOP)',
  doc: DOC,
  info: { Payload: z.looseObject({ Status: numberish }) },
  data: (info) => ({ Status: info.Payload.Status, succeeded: info.Payload.Status === 0 }),
  summary: (data) => `${task(data)} finished uploading to VOD${data.succeeded ? '' : ' abnormally'}`,
});

/** TRTC group 3: cloud recording. */
export const trtcRecordingEvents = [
  trtcRecordingStarted,
  trtcRecordingStopped,
  trtcRecordingUploadStarted,
  trtcRecordingFileInfo,
  trtcRecordingUploadStopped,
  trtcRecordingFailover,
  trtcRecordingFileSlice,
  trtcRecordingUploadError,
  trtcRecordingDownloadImageError,
  trtcRecordingMp4Stopped,
  trtcRecordingVodCommitted,
  trtcRecordingVodStopped,
] as const;

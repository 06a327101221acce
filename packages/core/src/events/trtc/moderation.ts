import { z } from 'zod';
import { idString, maxOf, numberish } from '../fields.js';
import { describeLeaveCode } from './leave-codes.js';
import { parseModerationFilePath } from './moderation-file.js';
import { defineTrtcEvent, trtcSubject, type TrtcCommonData } from './trtc-event.js';

const DOC = 'https://trtc.io/document/73394';

/**
 * What the moderation vendor advises for a piece of media: `Suggest` 0, 1, 2
 * (https://trtc.io/document/73394).
 */
export type ModerationSuggestion = 'Pass' | 'Review' | 'Block' | 'unknown';

/** What a 1104 result judged: `MediaType` 1 audio slice, 2 video frame (https://trtc.io/document/73394). */
export type ModerationMediaType = 'audio' | 'image' | 'unknown';

const SUGGESTIONS: readonly ModerationSuggestion[] = ['Pass', 'Review', 'Block'];

function suggestionOf(suggest: number | undefined): ModerationSuggestion {
  return (suggest === undefined ? undefined : SUGGESTIONS[suggest]) ?? 'unknown';
}

function mediaTypeOf(mediaType: number | undefined): ModerationMediaType {
  return mediaType === 1 ? 'audio' : mediaType === 2 ? 'image' : 'unknown';
}

/** TaskIds run to ~76 characters; a summary shows their start, the subject keeps them whole. */
function taskOf(data: TrtcCommonData): string {
  const id = data.TaskId ?? '?';
  const task = id.length > 12 ? `${id.slice(0, 12)}…` : id;
  return `moderation task ${task}${data.RoomId === undefined ? '' : ` in room ${data.RoomId}`}`;
}

const statusPayload = { Payload: z.looseObject({ Status: numberish }) };

/**
 * TRTC 1101: the cloud moderation module started (Status 0) or failed to start (Status 1).
 *
 * @example
 * ```ts
 * const event = parseCallback(body, headers, options);
 * if (event.type === 'trtc.moderation.start' && !event.data.started) alert(event.summary);
 * ```
 * @see https://trtc.io/document/73394
 */
export const trtcModerationStart = defineTrtcEvent({
  type: 'trtc.moderation.start',
  group: 11,
  eventType: 1101,
  title: 'Cloud moderation module started (EVENT_TYPE_CLOUD_MODERATION_START)',
  doc: DOC,
  info: statusPayload,
  data: (info) => ({ Status: info.Payload.Status, started: info.Payload.Status === 0 }),
  summary: (data) =>
    `${taskOf(data)} ${data.started ? 'started' : data.Status === 1 ? 'failed to start' : `reported start status ${data.Status}`}`,
});

/**
 * TRTC 1102: the cloud moderation module left the room; `leaveReason` says why, from `LeaveCode`.
 *
 * @example
 * ```ts
 * if (event.type === 'trtc.moderation.stop') console.log(event.data.LeaveCode, event.data.leaveReason);
 * // 99 'no other user stream left in the room for the configured time'
 * ```
 * @see https://trtc.io/document/73394
 */
export const trtcModerationStop = defineTrtcEvent({
  type: 'trtc.moderation.stop',
  group: 11,
  eventType: 1102,
  title: 'Cloud moderation module stopped (EVENT_TYPE_CLOUD_MODERATION_STOP)',
  doc: DOC,
  info: { Payload: z.looseObject({ LeaveCode: numberish }) },
  data: (info) => ({
    LeaveCode: info.Payload.LeaveCode,
    leaveReason: describeLeaveCode(info.Payload.LeaveCode),
  }),
  summary: (data) => `${taskOf(data)} stopped: ${data.leaveReason}`,
});

/**
 * TRTC 1103: the moderation task started sending media slices to the moderation vendor (Status 0).
 *
 * @example
 * ```ts
 * if (event.type === 'trtc.moderation.send_start') console.log(event.summary);
 * // moderation task -nHwXIdU7mJv… in room 295210 started sending media for review
 * ```
 * @see https://trtc.io/document/73394
 */
export const trtcModerationSendStart = defineTrtcEvent({
  type: 'trtc.moderation.send_start',
  group: 11,
  eventType: 1103,
  title: 'Cloud moderation started sending media (EVENT_TYPE_CLOUD_MODERATION_SEND_START)',
  doc: DOC,
  info: statusPayload,
  data: (info) => ({ Status: info.Payload.Status }),
  summary: (data) =>
    `${taskOf(data)} ${data.Status === 0 ? 'started sending media for review' : `reported send-start status ${data.Status}`}`,
});

const checkDetail = z.looseObject({
  Scene: z.string().optional(),
  Label: z.string().optional(),
  Suggest: numberish.optional(),
  // Empty lists may come as null from the sender's serialiser; read them as [].
  Keywords: z.array(z.string()).nullish(),
  Score: numberish.optional(),
  Desc: z.string().optional(),
  AudioSegments: z.unknown().optional(),
  ImageLocation: z.unknown().optional(),
});

const resultPayload = z.looseObject({
  DataId: idString.optional(),
  RequestId: z.string().optional(),
  MediaType: numberish.optional(),
  Suggest: numberish.optional(),
  Label: z.string().optional(),
  Image: z.string().optional(),
  Audio: z.string().optional(),
  AudioText: z.string().optional(),
  ImageOcr: z.string().optional(),
  Rate: numberish.optional(),
  CheckDetail: z.array(checkDetail).nullish(),
});

function filePathOf(url: string | undefined) {
  return url ? parseModerationFilePath(url) : undefined;
}

/**
 * TRTC 1104: the moderation vendor judged one audio slice or video frame of an anchor.
 * `suggestion` reads `Suggest` (Pass, Review, Block), `mediaType` reads `MediaType`, `score` is `Rate`
 * (or the highest `CheckDetail[].Score` when `Rate` is absent), and `imageFile` / `audioFile` are the
 * parsed storage paths of `Image` / `Audio` when they follow the moderation naming
 * (https://trtc.io/document/73394).
 * The subject's `userId` is the judged anchor (`StreamerUserId`); `UserId` in `data` stays the robot's.
 *
 * @example
 * ```ts
 * if (event.type === 'trtc.moderation.result' && event.data.suggestion === 'Block') {
 *   await removeUser(event.subject.roomId, event.subject.userId);
 * }
 * ```
 * @see https://trtc.io/document/73394
 */
export const trtcModerationResult = defineTrtcEvent({
  type: 'trtc.moderation.result',
  group: 11,
  eventType: 1104,
  title: 'Cloud moderation result (EVENT_TYPE_CLOUD_MODERATION_TASK_INFO)',
  doc: DOC,
  info: { StreamerUserId: z.string().optional(), Payload: resultPayload },
  data: (info) => {
    const payload = info.Payload;
    const CheckDetail = (payload.CheckDetail ?? []).map((detail) =>
      Object.assign({}, detail, {
        Keywords: detail.Keywords ?? [],
        suggestion: suggestionOf(detail.Suggest),
      }),
    );
    const scores = CheckDetail.flatMap((detail) => (detail.Score === undefined ? [] : [detail.Score]));
    return {
      StreamerUserId: info.StreamerUserId,
      DataId: payload.DataId,
      RequestId: payload.RequestId,
      MediaType: payload.MediaType,
      mediaType: mediaTypeOf(payload.MediaType),
      Suggest: payload.Suggest,
      suggestion: suggestionOf(payload.Suggest),
      Label: payload.Label,
      Rate: payload.Rate,
      score: payload.Rate ?? maxOf(scores),
      Image: payload.Image,
      imageFile: filePathOf(payload.Image),
      Audio: payload.Audio,
      audioFile: filePathOf(payload.Audio),
      AudioText: payload.AudioText,
      ImageOcr: payload.ImageOcr,
      CheckDetail,
    };
  },
  subject: (data) => {
    const subject = trtcSubject(data);
    // The robot pulls the stream; the result is about the anchor it judged (`StreamerUserId`,
    // https://trtc.io/document/73394).
    if (data.StreamerUserId) subject.userId = data.StreamerUserId;
    return subject;
  },
  summary: (data) => {
    const media = data.mediaType === 'unknown' ? 'media' : data.mediaType;
    const verdict =
      data.suggestion === 'unknown' ? `with suggestion ${data.Suggest ?? 'missing'}` : data.suggestion;
    const details = [data.Label, data.score === undefined ? undefined : `score ${data.score}`].filter(
      Boolean,
    );
    return `${taskOf(data)}: ${media} of ${data.StreamerUserId || data.UserId || '?'} ${verdict}${
      details.length > 0 ? ` (${details.join(', ')})` : ''
    }`;
  },
});

/**
 * TRTC 1105: the moderation task stopped sending media to the moderation vendor.
 *
 * @example
 * ```ts
 * if (event.type === 'trtc.moderation.send_stop') console.log(event.summary);
 * // moderation task -nHwXIdU7jx6… in room 295211 stopped sending media for review
 * ```
 * @see https://trtc.io/document/73394
 */
export const trtcModerationSendStop = defineTrtcEvent({
  type: 'trtc.moderation.send_stop',
  group: 11,
  eventType: 1105,
  title: 'Cloud moderation stopped sending media (EVENT_TYPE_CLOUD_MODERATION_SEND_STOP)',
  doc: DOC,
  info: statusPayload,
  data: (info) => ({ Status: info.Payload.Status }),
  summary: (data) =>
    `${taskOf(data)} stopped sending media for review${data.Status === 0 ? '' : ` (status ${data.Status})`}`,
});

/**
 * TRTC 1106: the moderation task could not store a file: `Code` and `Message` come from COS or the
 * third-party storage.
 *
 * @example
 * ```ts
 * if (event.type === 'trtc.moderation.error') console.log(event.data.Code, event.data.Message);
 * // 10002 'BadRequest'
 * ```
 * @see https://trtc.io/document/73394
 */
export const trtcModerationError = defineTrtcEvent({
  type: 'trtc.moderation.error',
  group: 11,
  eventType: 1106,
  title: 'Cloud moderation storage error (EVENT_TYPE_CLOUD_MODERATION_UPLOAD_ERROR)',
  doc: DOC,
  info: { Payload: z.looseObject({ Code: numberish, Message: z.string().optional() }) },
  data: (info) => ({ Code: info.Payload.Code, Message: info.Payload.Message }),
  summary: (data) =>
    `${taskOf(data)} could not store a file: storage error ${data.Code}${data.Message ? ` (${data.Message})` : ''}`,
});

/** TRTC group 11: cloud moderation. */
export const trtcModerationEvents = [
  trtcModerationStart,
  trtcModerationStop,
  trtcModerationSendStart,
  trtcModerationResult,
  trtcModerationSendStop,
  trtcModerationError,
] as const;

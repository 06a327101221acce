import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, numberish, ownEntry, secondsToMs, trimmed } from '../fields.js';
import { jsonText, originalText, parseJsonText, subjectWithTask } from './_fields.js';
import { formatBytes, formatDuration } from './_format.js';
import { cssCommonShape, cssSubject } from './css-event.js';

const callbackExtSchema = z.looseObject({
  video_codec: z.string().optional(),
  resolution: z.string().optional(),
  session_id: idString.optional(),
});

// Fields of https://www.tencentcloud.com/document/product/267/38082. Real callbacks were seen with a trailing
// space in `video_url` and ids as numbers or strings.
const fileSchema = z.looseObject({
  ...cssCommonShape,
  stream_id: idString.optional(),
  channel_id: idString.optional(),
  file_id: idString.optional(),
  record_file_id: idString.optional(),
  file_format: trimmed.optional(),
  task_id: idString.optional(),
  start_time: numberish.optional(),
  end_time: numberish.optional(),
  start_time_usec: numberish.optional(),
  end_time_usec: numberish.optional(),
  duration: numberish.optional(),
  file_size: numberish.optional(),
  stream_param: z.string().optional(),
  video_url: trimmed.optional(),
  media_start_time: numberish.optional(),
  record_bps: numberish.optional(),
  /** A JSON object sent as a string: `video_codec`, `resolution`, `session_id`. */
  callback_ext: jsonText.optional(),
  video_id: idString.optional(),
  record_temp_id: idString.optional(),
});

/**
 * CSS 100: a recording file was written (to VOD or COS). `callback_ext`, a JSON string, is parsed
 * into `callbackExt`; `app` and `video_url` are trimmed (real callbacks end them with a space).
 *
 * @example
 * ```ts
 * receiver.on('css.record.file', (event) => saveRecording(event.data.file_id, event.data.video_url));
 * ```
 * @see https://www.tencentcloud.com/document/product/267/38082
 */
export const cssRecordFile = defineEvent({
  type: 'css.record.file',
  family: 'css',
  tencent: {
    event: 'CSS 100',
    title: 'Recording event notification (录制事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/38082',
  },
  match: { family: 'css', eventType: 100 },
  schema: fileSchema,
  data: (p) => ({
    app: p.app,
    appname: p.appname,
    stream_id: p.stream_id ?? p.channel_id,
    file_id: p.file_id,
    record_file_id: p.record_file_id,
    file_format: p.file_format,
    task_id: p.task_id,
    start_time: p.start_time,
    end_time: p.end_time,
    start_time_usec: p.start_time_usec,
    end_time_usec: p.end_time_usec,
    duration: p.duration,
    file_size: p.file_size,
    stream_param: p.stream_param,
    video_url: p.video_url,
    media_start_time: p.media_start_time,
    record_bps: p.record_bps,
    callback_ext: originalText(p.callback_ext),
    video_id: p.video_id,
    record_temp_id: p.record_temp_id,
    callbackExt: parseJsonText(p.callback_ext, callbackExtSchema),
  }),
  subject: (_data, p) => subjectWithTask(cssSubject(p), p.task_id),
  // `end_time_usec` is the sub-second part of `end_time` in microseconds (the samples stay below 10^6).
  occurredAt: (data) =>
    data.end_time === undefined
      ? undefined
      : data.end_time * 1000 +
        (data.end_time_usec !== undefined && data.end_time_usec < 1e6
          ? Math.floor(data.end_time_usec / 1000)
          : 0),
  dedupeKey: ['stream_id', 'file_id', 'end_time'],
  summary: (data) => {
    const facts = [
      data.file_format,
      data.duration === undefined ? undefined : formatDuration(data.duration * 1000),
      data.file_size === undefined ? undefined : formatBytes(data.file_size),
    ].filter((fact) => fact !== undefined && fact !== '');
    return `stream ${data.stream_id ?? '?'} recording file ${data.file_id ?? '?'} ready${facts.length > 0 ? ` (${facts.join(', ')})` : ''}${data.video_url ? `: ${data.video_url}` : ''}`;
  },
});

const recordDetailSchema = z.looseObject({
  file_format: numberish.optional(),
  record_bps: numberish.optional(),
  start_model: numberish.optional(),
  record_content: numberish.optional(),
  source_type: numberish.optional(),
  codec_temp_id: numberish.optional(),
});

// Code tables of `record_detail` (267/58590).
const FILE_FORMATS: Readonly<Record<number, string>> = { 1: 'flv', 2: 'hls', 3: 'mp4', 4: 'aac', 5: 'mp3' };
const START_MODELS: Readonly<Record<number, string>> = { 1: 'recording template', 5: 'API call' };
const RECORD_CONTENTS: Readonly<Record<number, string>> = {
  1: 'original',
  2: 'watermarked',
  3: 'transcoded',
};
const SOURCE_TYPES: Readonly<Record<number, string>> = { 1: 'live', 2: 'relay' };

const RECORD_EVENTS: Readonly<Record<string, string>> = {
  record_start_succeeded: 'started',
  record_start_failed: 'failed to start',
  record_paused: 'paused',
  record_resumed: 'resumed',
  record_error: 'hit an error',
  record_ended: 'ended',
};

function lookup(table: Readonly<Record<number, string>>, code: number | undefined): string | undefined {
  return code === undefined ? undefined : table[code];
}

const statusSchema = z.looseObject({
  ...cssCommonShape,
  stream_id: idString.optional(),
  domain: trimmed.optional(),
  event_time: numberish.optional(),
  /** A JSON object sent as a string. */
  record_detail: jsonText.optional(),
  record_event: z.string(),
  task_id: idString.optional(),
  seq: idString.optional(),
  session_id: idString.optional(),
});

/**
 * CSS 332: a recording task changed state (`record_event`: started, failed to start, paused,
 * resumed, errored, ended). `record_detail`, a JSON string, is parsed into `recordDetail` and its
 * codes read into words (`fileFormat`, `startModel`, `recordContent`, `sourceType`). For relay
 * recordings `stream_id` is the relay task id (267/58590).
 *
 * @example
 * ```ts
 * receiver.on('css.record.status', (event) => {
 *   if (event.data.record_event === 'record_start_failed') alert(event.summary);
 * });
 * ```
 * @see https://www.tencentcloud.com/document/product/267/58590
 */
export const cssRecordStatus = defineEvent({
  type: 'css.record.status',
  family: 'css',
  tencent: {
    event: 'CSS 332',
    title: 'Recording status event notification (录制状态事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/58590',
  },
  match: { family: 'css', eventType: 332 },
  schema: statusSchema,
  data: (p) => {
    const recordDetail = parseJsonText(p.record_detail, recordDetailSchema);
    return {
      appname: p.appname,
      domain: p.domain,
      stream_id: p.stream_id ?? p.channel_id,
      event_time: p.event_time,
      record_event: p.record_event,
      record_detail: originalText(p.record_detail),
      task_id: p.task_id,
      seq: p.seq,
      session_id: p.session_id,
      recordDetail,
      fileFormat: lookup(FILE_FORMATS, recordDetail?.file_format),
      startModel: lookup(START_MODELS, recordDetail?.start_model),
      recordContent: lookup(RECORD_CONTENTS, recordDetail?.record_content),
      sourceType: lookup(SOURCE_TYPES, recordDetail?.source_type),
    };
  },
  subject: (_data, p) => subjectWithTask(cssSubject(p), p.task_id),
  occurredAt: (data) => secondsToMs(data.event_time),
  dedupeKey: ['stream_id', 'session_id', 'record_event', 'seq'],
  summary: (data) => {
    const what = ownEntry(RECORD_EVENTS, data.record_event) ?? data.record_event;
    const facts = [data.fileFormat, data.sourceType && `${data.sourceType} recording`].filter(Boolean);
    return `stream ${data.stream_id ?? '?'} recording${data.session_id ? ` session ${data.session_id}` : ''} ${what}${facts.length > 0 ? ` (${facts.join(', ')})` : ''}`;
  },
});

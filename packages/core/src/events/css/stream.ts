import { z } from 'zod';
import { defineEvent, type TencentRef } from '../define-event.js';
import { idString, numberish, secondsToMs, trimmed } from '../fields.js';
import { formatDuration } from './_format.js';
import { cssCommonShape, cssSubject } from './css-event.js';
import { describeDisconnect } from './disconnect-codes.js';

// Fields of push (1) and disconnect (0) callbacks (https://www.tencentcloud.com/document/product/267/38081).
// Real 2017 callbacks carry no width/height and a trailing space in `app`; every number may arrive as a
// numeric string.
const streamShape = {
  ...cssCommonShape,
  stream_id: idString.optional(),
  channel_id: idString.optional(),
  event_time: numberish.optional(),
  sequence: idString.optional(),
  node: trimmed.optional(),
  user_ip: trimmed.optional(),
  stream_param: z.string().optional(),
  errcode: numberish.optional(),
  errmsg: z.string().optional(),
  set_id: numberish.optional(),
  width: numberish.optional(),
  height: numberish.optional(),
  idc_id: numberish.optional(),
};

const pushSchema = z.looseObject(streamShape);

const disconnectSchema = z.looseObject({
  ...streamShape,
  /** Milliseconds, sent as a string (https://www.tencentcloud.com/document/product/267/38081). */
  push_duration: numberish.optional(),
  /**
   * Listed on the error-code page, not in the callback field table: may be absent
   * (https://www.tencentcloud.com/document/product/267/31083).
   */
  sub_errcode: numberish.optional(),
});

const TENCENT_DOC = 'https://www.tencentcloud.com/document/product/267/38081';

function tencent(event: string): TencentRef {
  return { event, title: 'Stream push/interruption event notification (推断流事件通知)', doc: TENCENT_DOC };
}

function streamData(p: z.output<typeof pushSchema>) {
  return {
    app: p.app,
    appname: p.appname,
    stream_id: p.stream_id ?? p.channel_id,
    event_time: p.event_time,
    sequence: p.sequence,
    node: p.node,
    user_ip: p.user_ip,
    stream_param: p.stream_param,
    errcode: p.errcode,
    errmsg: p.errmsg,
    set_id: p.set_id,
    width: p.width,
    height: p.height,
    idc_id: p.idc_id,
    /** `set_id` 1–6 is the Chinese mainland, 7–200 outside it (267/38081). */
    inChineseMainland: p.set_id === undefined ? undefined : p.set_id >= 1 && p.set_id <= 6,
  };
}

/** Where a push arrived: `test.domain.com/live`. */
function pushTarget(data: { app: string | undefined; appname: string | undefined }): string {
  return [data.app, data.appname].filter((part) => part !== undefined && part !== '').join('/');
}

/**
 * CSS 1: a stream started pushing. `sequence` identifies the push session; its disconnect carries
 * the same one.
 *
 * @example
 * ```ts
 * receiver.on('css.stream.push', (event) => markLive(event.data.stream_id, event.data.sequence));
 * ```
 * @see https://www.tencentcloud.com/document/product/267/38081
 */
export const cssStreamPush = defineEvent({
  type: 'css.stream.push',
  family: 'css',
  tencent: tencent('CSS 1'),
  match: { family: 'css', eventType: 1 },
  schema: pushSchema,
  data: streamData,
  subject: (_data, p) => cssSubject(p),
  occurredAt: (data) => secondsToMs(data.event_time),
  dedupeKey: ['event_type', 'stream_id', 'sequence'],
  summary: (data) => {
    const target = pushTarget(data);
    const size = data.width && data.height ? ` at ${data.width}x${data.height}` : '';
    return `stream ${data.stream_id ?? '?'} started pushing${data.user_ip ? ` from ${data.user_ip}` : ''}${target ? ` to ${target}` : ''}${size}`;
  },
});

/**
 * CSS 0: a stream stopped pushing. `reason` explains `errcode`/`sub_errcode` in words
 * ({@link describeDisconnect}); `push_duration` is a number of milliseconds.
 *
 * @example
 * ```ts
 * receiver.on('css.stream.disconnect', (event) => {
 *   if (event.data.reasonCategory === 'authentication') alert(event.summary);
 * });
 * ```
 * @see https://www.tencentcloud.com/document/product/267/38081
 * @see https://www.tencentcloud.com/document/product/267/31083
 */
export const cssStreamDisconnect = defineEvent({
  type: 'css.stream.disconnect',
  family: 'css',
  tencent: tencent('CSS 0'),
  match: { family: 'css', eventType: 0 },
  schema: disconnectSchema,
  data: (p) => {
    const described = describeDisconnect(p.errcode, p.sub_errcode);
    return Object.assign(streamData(p), {
      sub_errcode: p.sub_errcode,
      push_duration: p.push_duration,
      reason: described.reason,
      reasonCategory: described.category,
    });
  },
  subject: (_data, p) => cssSubject(p),
  occurredAt: (data) => secondsToMs(data.event_time),
  dedupeKey: ['event_type', 'stream_id', 'sequence'],
  summary: (data) => {
    const after = data.push_duration === undefined ? '' : ` after ${formatDuration(data.push_duration)}`;
    const code =
      data.errcode === undefined
        ? 'no errcode'
        : `errcode ${data.errcode}${data.sub_errcode ? `, sub_errcode ${data.sub_errcode}` : ''}`;
    return `stream ${data.stream_id ?? '?'} disconnected${after}: ${data.reason} (${code})`;
  },
});

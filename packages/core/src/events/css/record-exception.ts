import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, numberish, secondsToMs, trimmed } from '../fields.js';
import { cssCommonShape, cssSubject } from './css-event.js';

/**
 * Recording exception types of CSS 341 (`exception.type`), from Tencent's table.
 *
 * @see https://www.tencentcloud.com/document/product/267/68622
 */
export const RECORD_EXCEPTION_TYPES: Readonly<Record<number, string>> = {
  [-8]: 'audio timestamp changed sharply',
  [-9]: 'video timestamp changed sharply',
  [-10]: 'audio and video timestamps far apart',
  [-11]: 'video timestamp invalid',
  [-16]: 'failed to pull the stream',
  [-17]: 'no audio in a push recorded with audio',
  [-18]: 'no video in a push recorded with video',
  [-22]: 'audio timestamp not advancing',
  [-23]: 'video timestamp not advancing',
  [-24]: 'audio timestamp invalid',
  [-100]: 'push resolution changed',
  [-104]: 'failed to write audio/video frames to the file',
  [-120]: 'file cut because the video codec changed',
  [-130]: 'abnormal video frames dropped',
  [-131]: 'abnormal audio frames dropped',
  [-132]: 'abnormal GOP length',
  [-200]: 'audio timestamp not increasing evenly',
  [-201]: 'video timestamp not increasing evenly',
};

/**
 * The meaning of a CSS 341 exception type, or `unknown recording exception N`.
 *
 * @example
 * ```ts
 * describeRecordException(-16); // 'failed to pull the stream'
 * ```
 * @see https://www.tencentcloud.com/document/product/267/68622
 */
export function describeRecordException(type: number): string {
  return RECORD_EXCEPTION_TYPES[type] ?? `unknown recording exception ${type}`;
}

const schema = z.looseObject({
  ...cssCommonShape,
  stream_id: idString.optional(),
  domain: trimmed.optional(),
  path: trimmed.optional(),
  session_id: idString.optional(),
  file_format: trimmed.optional(),
  /** Unix seconds. */
  timestamp: numberish.optional(),
  exception_level: trimmed.optional(),
  exception: z
    .looseObject({
      type: numberish,
      occurs: numberish.optional(),
      desc: z.string().optional(),
    })
    .optional(),
});

/**
 * CSS 341: something went wrong while recording (timestamps, missing audio or video, a pull
 * failure, ...). Tencent merges repeats and reports them up to 2 minutes late; `meaning` reads the
 * exception type into words.
 *
 * @example
 * ```ts
 * receiver.on('css.record.exception', (event) => {
 *   if (event.data.exception_level === 'error') page(event.summary);
 * });
 * ```
 * @see https://www.tencentcloud.com/document/product/267/68622
 */
export const cssRecordException = defineEvent({
  type: 'css.record.exception',
  family: 'css',
  tencent: {
    event: 'CSS 341',
    title: 'Abnormal recording event notification (录制异常事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/68622',
  },
  match: { family: 'css', eventType: 341 },
  schema,
  data: (p) => ({
    domain: p.domain,
    path: p.path,
    stream_id: p.stream_id ?? p.channel_id,
    session_id: p.session_id,
    file_format: p.file_format,
    timestamp: p.timestamp,
    exception_level: p.exception_level,
    exception: p.exception && { type: p.exception.type, occurs: p.exception.occurs, desc: p.exception.desc },
    meaning: p.exception && describeRecordException(p.exception.type),
  }),
  subject: (_data, p) => cssSubject(p),
  occurredAt: (data) => secondsToMs(data.timestamp),
  dedupeKey: ['stream_id', 'session_id', 'timestamp', 'exception.type'],
  summary: (data) => {
    const level = data.exception_level ? ` ${data.exception_level}` : '';
    if (!data.exception)
      return `stream ${data.stream_id ?? '?'} recording${level}: exception without details`;
    const times = data.exception.occurs === undefined ? '' : `, ${data.exception.occurs}×`;
    return `stream ${data.stream_id ?? '?'} recording${level}: ${data.meaning ?? ''} (type ${data.exception.type}${times})`;
  },
});

import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, numberish, secondsToMs, trimmed } from '../fields.js';
import { formatDuration, quote } from './_format.js';
import { cssCommonShape, cssSubject } from './css-event.js';

const strings = z
  .array(z.string())
  .nullish()
  .transform((value) => value ?? []);

const schema = z.looseObject({
  ...cssCommonShape,
  stream_id: idString.optional(),
  domain: trimmed.optional(),
  path: trimmed.optional(),
  /** Unix seconds. */
  begin_time: numberish.optional(),
  end_time: numberish.optional(),
  title: z.string().optional(),
  summary: z.string().optional(),
  key_words: strings,
  key_points: strings,
});

/**
 * CSS 348: an AI summary of a stretch of a live stream: title, summary text, keywords and key points.
 *
 * @example
 * ```ts
 * receiver.on('css.summary', (event) => publish(event.data.title, event.data.summary));
 * ```
 * @see https://www.tencentcloud.com/document/product/267/74671
 */
export const cssSummary = defineEvent({
  type: 'css.summary',
  family: 'css',
  tencent: {
    event: 'CSS 348',
    title: 'Live streaming summary event notification (直播摘要事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/74671',
  },
  match: { family: 'css', eventType: 348 },
  schema,
  data: (p) => ({
    domain: p.domain,
    path: p.path,
    stream_id: p.stream_id ?? p.channel_id,
    begin_time: p.begin_time,
    end_time: p.end_time,
    title: p.title,
    summary: p.summary,
    key_words: p.key_words,
    key_points: p.key_points,
  }),
  subject: (_data, p) => cssSubject(p),
  occurredAt: (data) => secondsToMs(data.end_time),
  dedupeKey: ['stream_id', 'begin_time', 'end_time'],
  summary: (data) => {
    const span =
      data.begin_time === undefined || data.end_time === undefined
        ? ''
        : ` of ${formatDuration((data.end_time - data.begin_time) * 1000)}`;
    const text = data.title ?? data.summary;
    return `stream ${data.stream_id ?? '?'} summary${span}${text ? `: ${quote(text)}` : ''}`;
  },
});

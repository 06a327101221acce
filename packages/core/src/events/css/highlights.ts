import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, maxOf, numberish, secondsToMs, trimmed } from '../fields.js';
import { formatDuration, quote } from './_format.js';
import { cssCommonShape, cssSubject } from './css-event.js';

const item = z.looseObject({
  /** Unix seconds. */
  begin_time: numberish.optional(),
  end_time: numberish.optional(),
  title: z.string().optional(),
  summary: z.string().optional(),
  video_store_url: trimmed.optional(),
  /** Empty in the page's sample when no cover was made. */
  cov_img_store_url: trimmed.optional(),
  key_words: z
    .array(z.string())
    .nullish()
    .transform((value) => value ?? []),
});

const schema = z.looseObject({
  ...cssCommonShape,
  stream_id: idString.optional(),
  domain: trimmed.optional(),
  path: trimmed.optional(),
  items: z
    .array(item)
    .nullish()
    .transform((value) => value ?? []),
});

/**
 * CSS 349: smart highlight clips were cut from a live stream; each item has its time span, title,
 * summary, video and cover URLs and keywords.
 *
 * @example
 * ```ts
 * receiver.on('css.highlights', (event) => {
 *   for (const clip of event.data.items) library.add(clip.video_store_url, clip.title);
 * });
 * ```
 * @see https://www.tencentcloud.com/document/product/267/74672
 */
export const cssHighlights = defineEvent({
  type: 'css.highlights',
  family: 'css',
  tencent: {
    event: 'CSS 349',
    title: 'Smart highlight event notification (高光切片事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/74672',
  },
  match: { family: 'css', eventType: 349 },
  schema,
  data: (p) => ({
    domain: p.domain,
    path: p.path,
    stream_id: p.stream_id ?? p.channel_id,
    items: p.items.map((clip) => ({
      begin_time: clip.begin_time,
      end_time: clip.end_time,
      title: clip.title,
      summary: clip.summary,
      video_store_url: clip.video_store_url,
      cov_img_store_url: clip.cov_img_store_url,
      key_words: clip.key_words,
    })),
  }),
  subject: (_data, p) => cssSubject(p),
  // The body has no event time: the end of the latest clip is when the callback could be made.
  occurredAt: (data) => {
    const ends = data.items.flatMap((clip) => (clip.end_time === undefined ? [] : [clip.end_time]));
    return secondsToMs(maxOf(ends));
  },
  dedupeKey: ['stream_id', 'items'],
  summary: (data) => {
    const count = `${data.items.length} highlight clip${data.items.length === 1 ? '' : 's'}`;
    const first = data.items[0];
    if (!first) return `stream ${data.stream_id ?? '?'} ${count}`;
    const length =
      first.begin_time === undefined || first.end_time === undefined
        ? ''
        : ` (${formatDuration((first.end_time - first.begin_time) * 1000)})`;
    return `stream ${data.stream_id ?? '?'} ${count}${first.title ? `: ${quote(first.title)}` : ''}${length}`;
  },
});

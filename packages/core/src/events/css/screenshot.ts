import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { numberish, secondsToMs, trimmed } from '../fields.js';
import { cssCommonShape, cssSubject } from './css-event.js';

const schema = z.looseObject({
  ...cssCommonShape,
  create_time: numberish.optional(),
  file_size: numberish.optional(),
  width: numberish.optional(),
  height: numberish.optional(),
  pic_url: z.string(),
  pic_full_url: trimmed.optional(),
});

/**
 * CSS 200: a screenshot of a live stream was stored in COS.
 *
 * @see https://cloud.tencent.com/document/product/267/32737
 */
export const cssScreenshot = defineEvent({
  type: 'css.screenshot',
  family: 'css',
  tencent: {
    event: 'CSS 200',
    title: 'Screenshot event notification (截图回调)',
    doc: 'https://www.tencentcloud.com/document/product/267/38083',
  },
  match: { family: 'css', eventType: 200 },
  schema,
  data: (p) => ({
    stream_id: p.stream_id ?? p.channel_id,
    create_time: p.create_time,
    file_size: p.file_size,
    width: p.width,
    height: p.height,
    pic_url: p.pic_url,
    pic_full_url: p.pic_full_url,
  }),
  subject: (_data, p) => cssSubject(p),
  occurredAt: (data) => secondsToMs(data.create_time),
  dedupeKey: ['stream_id', 'pic_url'],
  summary: (data) =>
    `stream ${data.stream_id ?? '?'} screenshot ${data.width ?? '?'}x${data.height ?? '?'} at ${data.pic_full_url ?? data.pic_url}`,
});

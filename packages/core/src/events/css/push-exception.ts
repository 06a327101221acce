import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, numberish, trimmed } from '../fields.js';
import { formatDuration } from './_format.js';
import { cssCommonShape, cssSubject } from './css-event.js';

/**
 * Abnormal push event types of CSS 321 (`abnormal_event[].type`): 1–11 from the older English page
 * (tencentyun/intlcloud-documents on GitHub), 12–16 from the current page.
 *
 * @see https://www.tencentcloud.com/document/product/267/53310
 */
export const PUSH_EXCEPTION_TYPES: Readonly<Record<number, string>> = {
  1: 'video timestamp went backwards',
  2: 'audio timestamp went backwards',
  3: 'video timestamp jumped by more than 1 s',
  4: 'audio timestamp jumped by more than 1 s',
  5: 'chunk size above 8192',
  6: 'video frames arrived too far apart',
  7: 'audio frames arrived too far apart',
  8: 'video codec changed',
  9: 'audio codec changed',
  10: 'no codec header before the first video frame',
  11: 'no codec header before the first audio frame',
  12: 'audio frame timestamps too far apart',
  13: 'uncommon audio/video codec format',
  14: 'video header cannot be parsed',
  15: 'video frame rate too low',
  16: 'GOP longer than 10 s',
};

/**
 * The meaning of a CSS 321 abnormal event type, or `unknown push exception N`.
 *
 * @example
 * ```ts
 * describePushException(6); // 'video frames arrived too far apart'
 * ```
 * @see https://www.tencentcloud.com/document/product/267/53310
 */
export function describePushException(type: number): string {
  return PUSH_EXCEPTION_TYPES[type] ?? `unknown push exception ${type}`;
}

const abnormalEvent = z.looseObject({
  type: numberish,
  count: numberish.optional(),
  detail: z
    .array(z.looseObject({ desc: z.string().optional(), occur_time: numberish.optional() }))
    .nullish()
    .transform((value) => value ?? []),
  event_key: z.string().optional(),
  customer_visible: z.string().optional(),
  type_desc_cn: trimmed.optional(),
  type_desc_en: trimmed.optional(),
});

// https://www.tencentcloud.com/document/product/267/53310: a `general_callback` without t/sign in its field
// table; `data_time` is in ms.
const schema = z.looseObject({
  ...cssCommonShape,
  stream_id: idString.optional(),
  domain: trimmed.optional(),
  path: trimmed.optional(),
  user_ip: trimmed.optional(),
  data_time: numberish.optional(),
  report_interval: numberish.optional(),
  sequence: idString.optional(),
  stream_param: z.string().optional(),
  timeout: numberish.optional(),
  interface: z.string().optional(),
  abnormal_event: z
    .array(abnormalEvent)
    .nullish()
    .transform((value) => value ?? []),
});

/**
 * CSS 321: the push of a stream showed anomalies during the last report interval (timestamps going
 * backwards or jumping, late frames, codec changes, ...). Each `abnormal_event` entry gets `meaning`,
 * the type in words. Push exception callbacks are `general_callback`s and may carry no `t`/`sign`.
 *
 * @example
 * ```ts
 * receiver.on('css.push.exception', (event) => {
 *   for (const anomaly of event.data.abnormal_event) metrics.count(anomaly.meaning, anomaly.count ?? 1);
 * });
 * ```
 * @see https://www.tencentcloud.com/document/product/267/53310
 */
export const cssPushException = defineEvent({
  type: 'css.push.exception',
  family: 'css',
  tencent: {
    event: 'CSS 321',
    title: 'Push error event notification (推流异常事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/53310',
  },
  match: { family: 'css', eventType: 321 },
  schema,
  data: (p) => ({
    domain: p.domain,
    path: p.path,
    stream_id: p.stream_id ?? p.channel_id,
    user_ip: p.user_ip,
    data_time: p.data_time,
    report_interval: p.report_interval,
    sequence: p.sequence,
    stream_param: p.stream_param,
    timeout: p.timeout,
    abnormal_event: p.abnormal_event.map((event) => ({
      type: event.type,
      count: event.count,
      detail: event.detail.map((item) => ({ desc: item.desc, occur_time: item.occur_time })),
      event_key: event.event_key,
      customer_visible: event.customer_visible,
      type_desc_cn: event.type_desc_cn,
      type_desc_en: event.type_desc_en,
      meaning: describePushException(event.type),
    })),
  }),
  subject: (_data, p) => cssSubject(p),
  occurredAt: (data) => data.data_time,
  dedupeKey: ['stream_id', 'sequence', 'data_time'],
  summary: (data) => {
    const window = data.report_interval === undefined ? '' : ` in ${formatDuration(data.report_interval)}`;
    const anomalies = data.abnormal_event
      .map((event) => `${event.meaning}${event.count === undefined ? '' : ` ×${event.count}`}`)
      .join('; ');
    return `stream ${data.stream_id ?? '?'} push anomalies${window}: ${anomalies || 'none listed'}`;
  },
});

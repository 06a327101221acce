import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, minOf, numberish, numberOf, secondsToMs, trimmed } from '../fields.js';
import { formatScore } from './_format.js';
import { cssCommonShape, cssSubject } from './css-event.js';

const frame = z.looseObject({
  score: numberish,
  /** Unix ms. */
  time: numberish.optional(),
});

const assessmentShape = {
  ...cssCommonShape,
  stream_id: idString.optional(),
  domain: trimmed.optional(),
  event_time: numberish.optional(),
  transcode_template_id: idString.optional(),
  watermark_template_id: idString.optional(),
  frames: z
    .array(frame)
    .nullish()
    .transform((value) => value ?? []),
  function: z.string().optional(),
  /** PSNR, SSIM, VMAF or VQA (no-reference scoring). */
  class: z.string().optional(),
};

const thresholdSchema = z.looseObject(assessmentShape);

const averageSchema = z.looseObject({
  ...assessmentShape,
  average_score: numberish.optional(),
  max_score: numberish.optional(),
  min_score: numberish.optional(),
});

/**
 * Tells an average-score callback (345) from a threshold callback (344): the average event carries
 * `average_score`, `max_score` or `min_score`, which the threshold event's field table does not
 * have. Tencent's own 345 sample says `"event_type": 344` and carries `frames` too
 * (https://www.tencentcloud.com/document/product/267/73168), so `frames` decides nothing; the aggregate
 * scores do.
 *
 * @example
 * ```ts
 * hasAggregateScores({ event_type: 344, average_score: 27.765 }); // true: an average event
 * ```
 * @see https://www.tencentcloud.com/document/product/267/73168
 */
export function hasAggregateScores(payload: Record<string, unknown>): boolean {
  return ['average_score', 'max_score', 'min_score'].some(
    (field) => payload[field] !== undefined && payload[field] !== null,
  );
}

function assessmentData(p: z.output<typeof thresholdSchema>) {
  return {
    appname: p.appname,
    domain: p.domain,
    stream_id: p.stream_id ?? p.channel_id,
    event_time: p.event_time,
    transcode_template_id: p.transcode_template_id,
    watermark_template_id: p.watermark_template_id,
    frames: p.frames.map((item) => ({ score: item.score, time: item.time })),
    function: p.function,
    class: p.class,
  };
}

/**
 * CSS 344: live quality evaluation (PSNR, SSIM, VMAF or VQA) scored frames below the configured
 * threshold; `frames` lists them.
 *
 * @example
 * ```ts
 * receiver.on('css.evaluation.threshold', (event) => alert(event.summary));
 * ```
 * @see https://www.tencentcloud.com/document/product/267/73167
 */
export const cssEvaluationThreshold = defineEvent({
  type: 'css.evaluation.threshold',
  family: 'css',
  tencent: {
    event: 'CSS 344',
    title: 'Evaluation threshold event notification (评测阈值事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/73167',
  },
  match: { family: 'css', eventType: 344, when: (payload) => !hasAggregateScores(payload) },
  schema: thresholdSchema,
  data: assessmentData,
  subject: (_data, p) => cssSubject(p),
  occurredAt: (data) => secondsToMs(data.event_time),
  dedupeKey: ['stream_id', 'event_time', 'class', 'transcode_template_id', 'frames'],
  summary: (data) => {
    const metric = data.class ?? 'evaluation';
    if (data.frames.length === 0) return `stream ${data.stream_id ?? '?'} ${metric} below threshold`;
    const lowest = minOf(data.frames.map((item) => item.score)) ?? 0;
    return `stream ${data.stream_id ?? '?'} ${metric} below threshold in ${data.frames.length} frame${data.frames.length === 1 ? '' : 's'} (lowest ${formatScore(lowest)})`;
  },
});

/**
 * CSS 345: the average, highest and lowest quality evaluation score (PSNR, SSIM, VMAF or VQA) of an
 * evaluation period.
 *
 * @example
 * ```ts
 * receiver.on('css.evaluation.average', (event) => metrics.gauge('vmaf', event.data.average_score));
 * ```
 * @see https://www.tencentcloud.com/document/product/267/73168
 */
export const cssEvaluationAverage = defineEvent({
  type: 'css.evaluation.average',
  family: 'css',
  tencent: {
    event: 'CSS 345',
    title: 'Average score evaluation event notification (评测平均分事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/73168',
  },
  // Tencent's own 345 sample (the page above) says `"event_type": 344`: a 344 body with aggregate scores
  // is this event.
  match: {
    family: 'css',
    eventType: [345, 344],
    when: (payload) => numberOf(payload.event_type) === 345 || hasAggregateScores(payload),
  },
  schema: averageSchema,
  data: (p) =>
    Object.assign(assessmentData(p), {
      average_score: p.average_score,
      max_score: p.max_score,
      min_score: p.min_score,
    }),
  subject: (_data, p) => cssSubject(p),
  occurredAt: (data) => secondsToMs(data.event_time),
  dedupeKey: ['stream_id', 'event_time', 'class', 'transcode_template_id', 'average_score'],
  summary: (data) => {
    const range =
      data.min_score === undefined || data.max_score === undefined
        ? ''
        : ` (min ${formatScore(data.min_score)}, max ${formatScore(data.max_score)})`;
    const average = data.average_score === undefined ? 'unknown' : formatScore(data.average_score);
    return `stream ${data.stream_id ?? '?'} ${data.class ?? 'evaluation'} average ${average}${range}`;
  },
});

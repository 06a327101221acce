import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, numberish, secondsToMs, trimmed } from '../fields.js';
import { subjectWithTask } from './_fields.js';
import { formatScore, quote } from './_format.js';
import { cssCommonShape, cssSubject } from './css-event.js';

// Tencent marks most result fields "may return null" (267/58643): null and absence both read as empty.
function list<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((value) => value ?? []);
}

const segmentResult = z.looseObject({
  Label: z.string().nullish(),
  Score: numberish.nullish(),
  Suggestion: z.string().nullish(),
  StartTime: numberish.nullish(),
  EndTime: numberish.nullish(),
  SubLabel: z.string().nullish(),
});

const textResult = z.looseObject({
  Label: z.string().nullish(),
  Keywords: list(z.string()),
  LibId: z.string().nullish(),
  LibName: z.string().nullish(),
  LibType: numberish.nullish(),
  Score: numberish.nullish(),
  Suggestion: z.string().nullish(),
  SubLabel: z.string().nullish(),
  HitInfos: list(z.looseObject({})),
});

const asrResult = z.looseObject({
  appearing_point: list(numberish),
  confidence: numberish.nullish(),
  create_time: numberish.nullish(),
  id: z.string().nullish(),
  periods: z.string().nullish(),
  url: z.string().nullish(),
});

const schema = z.looseObject({
  ...cssCommonShape,
  bizid: idString.optional(),
  stream_id: idString.optional(),
  channel_id: idString.optional(),
  domain: trimmed.optional(),
  path: trimmed.optional(),
  HitFlag: numberish.nullish(),
  Score: numberish.nullish(),
  SubTag: z.string().nullish(),
  task_id: idString.nullish(),
  status: numberish.nullish(),
  asr_text: z.string().nullish(),
  cdn_url: trimmed.nullish(),
  duration: numberish.nullish(),
  label: z.string().nullish(),
  language_results: list(segmentResult),
  moan_results: list(segmentResult),
  recognition_results: list(z.looseObject({})),
  request_id: z.string().nullish(),
  seq: idString.nullish(),
  speaker_results: list(segmentResult),
  sub_label: z.string().nullish(),
  suggestion: z.string().nullish(),
  text_results: list(textResult),
  data: z.looseObject({ asr_tmp_full_results: list(asrResult) }).nullish(),
});

/** `null` and `undefined` as undefined, so `data` has one "absent". */
function opt<T>(value: T | null | undefined): T | undefined {
  return value ?? undefined;
}

/**
 * CSS 315: live audio moderation found suspicious speech (only suspicious results are called back by
 * default). `hit` reads `HitFlag`; `keywords` gathers the keywords of every `text_results` entry;
 * Tencent's nullable result lists read as empty arrays.
 *
 * @example
 * ```ts
 * receiver.on('css.moderation.audio', (event) => {
 *   if (event.data.suggestion === 'Block') cutStream(event.subject.streamId);
 * });
 * ```
 * @see https://www.tencentcloud.com/document/product/267/58643
 */
export const cssModerationAudio = defineEvent({
  type: 'css.moderation.audio',
  family: 'css',
  tencent: {
    event: 'CSS 315',
    title: 'Live audio moderation event notification (直播音频审核事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/58643',
  },
  match: { family: 'css', eventType: 315 },
  schema,
  data: (p) => ({
    domain: p.domain,
    path: p.path,
    stream_id: p.stream_id ?? p.channel_id,
    task_id: opt(p.task_id),
    request_id: opt(p.request_id),
    seq: opt(p.seq),
    status: opt(p.status),
    HitFlag: opt(p.HitFlag),
    Score: opt(p.Score),
    SubTag: opt(p.SubTag),
    label: opt(p.label),
    sub_label: opt(p.sub_label),
    suggestion: opt(p.suggestion),
    asr_text: opt(p.asr_text),
    cdn_url: opt(p.cdn_url),
    duration: opt(p.duration),
    text_results: p.text_results,
    moan_results: p.moan_results,
    language_results: p.language_results,
    speaker_results: p.speaker_results,
    recognition_results: p.recognition_results,
    asr_tmp_full_results: p.data?.asr_tmp_full_results ?? [],
    hit: p.HitFlag === undefined || p.HitFlag === null ? undefined : p.HitFlag === 1,
    keywords: [...new Set(p.text_results.flatMap((result) => result.Keywords))],
  }),
  subject: (_data, p) => subjectWithTask(cssSubject(p), opt(p.task_id)),
  // The body has no event time; the recognised segment's `create_time` (unix s) is the closest.
  occurredAt: (data) => secondsToMs(opt(data.asr_tmp_full_results[0]?.create_time)),
  dedupeKey: ['stream_id', 'task_id', 'seq', 'request_id'],
  summary: (data) => {
    const label = [data.label, data.sub_label].filter(Boolean).join('/') || 'audio';
    const verdict = [
      data.suggestion,
      data.Score === undefined ? undefined : `score ${formatScore(data.Score)}`,
    ]
      .filter(Boolean)
      .join(', ');
    return `stream ${data.stream_id ?? '?'} audio flagged ${label}${verdict ? ` (${verdict})` : ''}${data.asr_text ? `: ${quote(data.asr_text)}` : ''}`;
  },
});

import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, numberish, secondsToMs } from '../fields.js';
import { cssCommonShape, cssSubject } from './css-event.js';
import { clipText } from './monitor-message.js';

/** One keyword the erasing silenced. */
export interface SmartEraseKeyword {
  word: string;
  /** In ms of stream time. */
  begin_time?: number;
  /** In ms of stream time. */
  end_time?: number;
}

/** One recognised sentence of the audio, with the keywords it hit. */
export interface SmartEraseSegment {
  /** The recognised text. */
  src_txt?: string;
  /** In ms of stream time. */
  start_pts?: number;
  /** In ms of stream time. */
  end_pts?: number;
  /** Wall-clock start of the sentence, in unix seconds. */
  start_unix_time?: number;
  /** Wall-clock end of the sentence, in unix seconds. */
  end_unix_time?: number;
  /** Always a list, empty when nothing was hit. */
  keywords_info: SmartEraseKeyword[];
}

const keywordSchema = z
  .looseObject({
    word: z.string(),
    begin_time: numberish.optional(),
    end_time: numberish.optional(),
  })
  .transform(({ word, begin_time, end_time }): SmartEraseKeyword => {
    const keyword: SmartEraseKeyword = { word: word.trim() };
    if (begin_time !== undefined) keyword.begin_time = begin_time;
    if (end_time !== undefined) keyword.end_time = end_time;
    return keyword;
  });

const segmentSchema = z
  .looseObject({
    src_txt: z.string().optional(),
    start_pts: numberish.optional(),
    end_pts: numberish.optional(),
    start_unix_time: numberish.optional(),
    end_unix_time: numberish.optional(),
    keywords_info: z.array(keywordSchema).nullish(),
  })
  .transform((fields): SmartEraseSegment => {
    const segment: SmartEraseSegment = { keywords_info: fields.keywords_info ?? [] };
    if (fields.src_txt !== undefined) segment.src_txt = fields.src_txt;
    if (fields.start_pts !== undefined) segment.start_pts = fields.start_pts;
    if (fields.end_pts !== undefined) segment.end_pts = fields.end_pts;
    if (fields.start_unix_time !== undefined) segment.start_unix_time = fields.start_unix_time;
    if (fields.end_unix_time !== undefined) segment.end_unix_time = fields.end_unix_time;
    return segment;
  });

const schema = z.looseObject({
  ...cssCommonShape,
  task_id: idString.optional(),
  data: z
    .looseObject({ subtitle_tmp_res: z.array(segmentSchema).nullish() })
    .nullish()
    .transform((value) => value ?? undefined),
});

/** `css.smart_erase` data: the body's `data.subtitle_tmp_res` lifted to the top, plus the hit words. */
export interface SmartEraseData {
  appid?: string;
  stream_id?: string;
  task_id?: string;
  subtitle_tmp_res: SmartEraseSegment[];
  /** The distinct keywords hit across all segments, in order of appearance. */
  keywords: string[];
}

/**
 * CSS 347: smart erasing (音画擦除) recognised speech in a stream and silenced the listed keywords.
 *
 * @example
 * ```ts
 * const event = parseCallback(body, headers, { css: { keys: ['css-key'] } });
 * if (event.type === 'css.smart_erase') console.log(event.data.keywords); // ['Central Commission ...']
 * ```
 * @see https://www.tencentcloud.com/document/product/267/73169
 */
export const cssSmartErase = defineEvent({
  type: 'css.smart_erase',
  family: 'css',
  tencent: {
    event: 'CSS 347',
    title: 'Smart erasing event notification (音画擦除回调)',
    doc: 'https://www.tencentcloud.com/document/product/267/73169',
  },
  match: { family: 'css', eventType: 347 },
  schema,
  data: (p): SmartEraseData => {
    const segments = p.data?.subtitle_tmp_res ?? [];
    const data: SmartEraseData = {
      subtitle_tmp_res: segments,
      keywords: [
        ...new Set(segments.flatMap((segment) => segment.keywords_info.map((keyword) => keyword.word))),
      ],
    };
    if (p.appid !== undefined) data.appid = p.appid;
    const streamId = p.stream_id ?? p.channel_id;
    if (streamId !== undefined) data.stream_id = streamId;
    if (p.task_id !== undefined) data.task_id = p.task_id;
    return data;
  },
  subject: (data, p) => {
    const subject = cssSubject(p);
    if (data.task_id !== undefined) subject.taskId = data.task_id;
    return subject;
  },
  // The start of the first recognised sentence, in unix seconds (347 page).
  occurredAt: (data) => secondsToMs(data.subtitle_tmp_res[0]?.start_unix_time),
  // One callback carries the sentence(s) of one span of one task: (task_id, start_pts, end_pts) (DESIGN.md).
  dedupeKey: ['task_id', 'data.subtitle_tmp_res.0.start_pts', 'data.subtitle_tmp_res.0.end_pts'],
  summary: (data, subject) => {
    const stream = `stream ${subject.streamId ?? '?'}`;
    if (data.keywords.length === 0) {
      const text = data.subtitle_tmp_res.map((segment) => segment.src_txt ?? '').join(' ');
      return `${stream} smart erase: no keyword hit${text.trim() ? ` in "${clipText(text, 60)}"` : ''}`;
    }
    const words = data.keywords.map((word) => `"${clipText(word, 60)}"`).join(', ');
    return `${stream} smart erase hit ${data.keywords.length === 1 ? 'keyword' : 'keywords'} ${words}`;
  },
});

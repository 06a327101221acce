import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, numberish } from '../fields.js';
import { booleanish, subjectWithTask, unixToMs } from './_fields.js';
import { quote } from './_format.js';
import { cssCommonShape, cssSubject } from './css-event.js';

const subtitleResult = z.looseObject({
  src_txt: z.string().optional(),
  dst_txt: z.string().optional(),
  start_pts: numberish.optional(),
  end_pts: numberish.optional(),
  start_unix_time: numberish.optional(),
  end_unix_time: numberish.optional(),
  steady_state: booleanish.optional(),
  /** The page's sample spells `steady_state` this way. */
  stead_state: booleanish.optional(),
});

const schema = z.looseObject({
  ...cssCommonShape,
  stream_id: idString.optional(),
  channel_id: idString.optional(),
  task_id: idString.optional(),
  data: z
    .looseObject({
      subtitle_tmp_res: z
        .array(subtitleResult)
        .nullish()
        .transform((value) => value ?? []),
    })
    .optional(),
});

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * CSS 338: live subtitles (and simultaneous interpretation) produced text for a stretch of audio.
 * `subtitle_tmp_res` entries keep Tencent's fields; `steady_state` is read from either spelling
 * (`stead_state` in the page's sample) and says the text will not be revised any more.
 *
 * @example
 * ```ts
 * receiver.on('css.subtitles', (event) => {
 *   for (const line of event.data.subtitle_tmp_res) if (line.steady_state) transcript.add(line.src_txt);
 * });
 * ```
 * @see https://www.tencentcloud.com/document/product/267/73170
 */
export const cssSubtitles = defineEvent({
  type: 'css.subtitles',
  family: 'css',
  tencent: {
    event: 'CSS 338',
    title: 'Live subtitles event notification (直播字幕事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/73170',
  },
  match: { family: 'css', eventType: 338 },
  schema,
  data: (p) => ({
    stream_id: p.stream_id ?? p.channel_id,
    task_id: p.task_id,
    subtitle_tmp_res: (p.data?.subtitle_tmp_res ?? []).map((line) => ({
      src_txt: line.src_txt,
      dst_txt: line.dst_txt,
      start_pts: line.start_pts,
      end_pts: line.end_pts,
      start_unix_time: line.start_unix_time,
      end_unix_time: line.end_unix_time,
      steady_state: line.steady_state ?? line.stead_state,
    })),
  }),
  subject: (_data, p) => subjectWithTask(cssSubject(p), p.task_id),
  // The page gives no unit for `start_unix_time`; unixToMs accepts seconds or ms.
  occurredAt: (data) => unixToMs(data.subtitle_tmp_res[0]?.start_unix_time),
  dedupeKey: ['stream_id', 'task_id', 'data.subtitle_tmp_res'],
  summary: (data) => {
    const first = data.subtitle_tmp_res[0];
    const stream = `stream ${data.stream_id ?? '?'} subtitle`;
    if (!first) return `${stream}: no text`;
    const span =
      first.start_pts === undefined || first.end_pts === undefined
        ? ''
        : ` [${seconds(first.start_pts)}–${seconds(first.end_pts)}]`;
    const text = first.src_txt === undefined ? '(no text)' : quote(first.src_txt);
    const translation = first.dst_txt ? ` → ${quote(first.dst_txt)}` : '';
    const more = data.subtitle_tmp_res.length > 1 ? ` (+${data.subtitle_tmp_res.length - 1} more)` : '';
    return `${stream}${span}${first.steady_state ? ' (final)' : ''}: ${text}${translation}${more}`;
  },
});

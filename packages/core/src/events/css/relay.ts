import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, numberish, secondsToMs, trimmed } from '../fields.js';
import { jsonText, originalText, parseJsonText, subjectWithTask } from './_fields.js';
import { formatDuration } from './_format.js';
import { cssCommonShape, cssSubject } from './css-event.js';

const msgSchema = z.looseObject({
  task_start_time: numberish.optional(),
  url: z.string().optional(),
  // The field table types `index` and `code` as strings; the samples send numbers.
  index: z.union([numberish, z.string()]).optional(),
  duration: numberish.optional(),
  task_exit_time: numberish.optional(),
  code: z.union([numberish, z.string()]).optional(),
  message: z.string().optional(),
  /** TaskAlarm only: PullFileUnstable, PushStreamUnstable, PullFileFailed, PushStreamFailed, FileEndEarly. */
  type: z.string().optional(),
});

const sourceUrlsSchema = z.array(z.string().transform((url) => url.trim()));

// https://cloud.tencent.com/document/product/267/56208: `msg` and `source_urls` are JSON texts, `event_time`
// a string of unix seconds.
// The field table spells the APPID `appId`; the samples send `appid`.
const schema = z.looseObject({
  ...cssCommonShape,
  appId: idString.optional(),
  stream_id: idString.optional(),
  callback_event: z.string(),
  source_urls: jsonText.optional(),
  to_url: trimmed.optional(),
  task_id: idString.optional(),
  msg: jsonText.optional(),
  event_time: numberish.optional(),
  interface: z.string().optional(),
  product_name: z.string().optional(),
  callback_url: z.string().optional(),
});

function describeRelayEvent(callbackEvent: string, details: z.output<typeof msgSchema> | undefined): string {
  switch (callbackEvent) {
    case 'TaskStart':
      return 'started';
    case 'TaskExit': {
      const why = [details?.message, details?.code === undefined ? undefined : `code ${details.code}`]
        .filter((part) => part !== undefined && part !== '')
        .join(', ');
      return `exited${why ? ` (${why})` : ''}`;
    }
    case 'VodSourceFileStart':
    case 'VodSourceFileFinish': {
      const verb = callbackEvent === 'VodSourceFileStart' ? 'started' : 'finished';
      const index = details?.index === undefined ? '' : ` #${details.index}`;
      const duration = details?.duration === undefined ? '' : ` (${formatDuration(details.duration * 1000)})`;
      return `${verb} source file${index}${duration}${details?.url ? ` ${details.url}` : ''}`;
    }
    case 'TaskAlarm':
      return `raised alarm ${details?.type ?? '(no type)'}${details?.message ? `: ${details.message}` : ''}`;
    default:
      return `reported ${callbackEvent}`;
  }
}

/**
 * CSS 314: a pull-and-push relay task started, exited, began or finished a source file, or raised an
 * alarm. `msg` and `source_urls` (JSON strings) are parsed into `details` and `sourceUrls`. Relay
 * callbacks carry no `t`/`sign`. A `TaskExit` also follows retries and migrations: it is not the
 * task's final end (267/56208).
 *
 * @example
 * ```ts
 * receiver.on('css.relay', (event) => {
 *   if (event.data.callback_event === 'TaskAlarm') alert(event.summary);
 * });
 * ```
 * @see https://www.tencentcloud.com/document/product/267/42525
 */
export const cssRelay = defineEvent({
  type: 'css.relay',
  family: 'css',
  tencent: {
    event: 'CSS 314',
    title: 'Relay event notification (拉流转推事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/42525',
  },
  match: { family: 'css', eventType: 314 },
  schema,
  data: (p) => ({
    callback_event: p.callback_event,
    task_id: p.task_id,
    stream_id: p.stream_id ?? p.channel_id,
    source_urls: originalText(p.source_urls),
    to_url: p.to_url,
    msg: originalText(p.msg),
    event_time: p.event_time,
    product_name: p.product_name,
    callback_url: p.callback_url,
    sourceUrls: parseJsonText(p.source_urls, sourceUrlsSchema) ?? [],
    details: parseJsonText(p.msg, msgSchema),
  }),
  subject: (_data, p) =>
    subjectWithTask(
      cssSubject({ appid: p.appid ?? p.appId, stream_id: p.stream_id, channel_id: p.channel_id }),
      p.task_id,
    ),
  // `event_time` is in seconds; older pages had none, so fall back on the ms times inside `msg` (0 in samples).
  occurredAt: (data) => {
    if (data.event_time !== undefined) return secondsToMs(data.event_time);
    const ms = data.details?.task_exit_time || data.details?.task_start_time;
    return ms ? ms : undefined;
  },
  dedupeKey: ['task_id', 'callback_event', 'event_time', 'msg'],
  // Tencent's TaskExit sample has neither task_id nor event_time (267/56208): two tasks exiting with the
  // same msg would share a key, so without a task_id the body itself identifies the event.
  dedupeKeyRequires: ['task_id'],
  summary: (data) => {
    const route = [data.sourceUrls[0], data.to_url].filter(Boolean).join(' → ');
    return `relay task ${data.task_id ?? '?'} ${describeRelayEvent(data.callback_event, data.details)}${route && data.callback_event === 'TaskStart' ? `: ${route}` : ''}`;
  },
});

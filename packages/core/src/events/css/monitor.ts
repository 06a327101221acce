import { z } from 'zod';
import type { Subject } from '../../envelope.js';
import { defineEvent, type EventDefinition } from '../define-event.js';
import { idString, numberish } from '../fields.js';
import { cssCommonShape, cssSubject } from './css-event.js';
import { clipText, parseMonitorMessage, type MonitorMessage } from './monitor-message.js';

const TITLE = 'Live monitoring event notification (监播回调)';
const DOC = 'https://cloud.tencent.com/document/product/267/88050';

// 328 is a `general_callback` event without t/sign in its field table
// (https://cloud.tencent.com/document/product/267/88050); only `event_type` is essential.
const schema = z.looseObject({
  ...cssCommonShape,
  bizid: idString.optional(),
  interface: z.string().optional(),
  event_name: z.string().optional(),
  event_time: numberish.optional(),
  event_msg: z.string().optional(),
});

/** The fields every CSS 328 monitoring event carries in its `data`. */
export interface MonitorData {
  appid?: string;
  bizid?: string;
  stream_id?: string;
  /** `StreamBroken`, `StreamLowFramerate`, `OcrFullText`, `AsrFullText`, or another category. */
  event_name?: string;
  /** When Tencent raised the event, in ms (UTC). */
  event_time?: number;
  /** The free-text message, verbatim. */
  event_msg?: string;
  /** The stream named inside `event_msg` (`stream [ test1 ] ...`). */
  streamName?: string;
}

/** `css.monitor.low_framerate` data. */
export interface LowFramerateData extends MonitorData {
  /** The frame rate the stream fell below, in fps, from `event_msg`. */
  fpsThreshold?: number;
}

/** `css.monitor.ocr` data: text recognised in the picture. */
export interface OcrData extends MonitorData {
  AreaCoordSet?: [number, number, number, number];
  Text?: string;
}

/** `css.monitor.asr` data: speech recognised in the audio. */
export interface AsrData extends MonitorData {
  /** In seconds of stream time. */
  StartPtsTime?: number;
  /** In seconds of stream time. */
  EndPtsTime?: number;
  Text?: string;
}

type Defined<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** Drops undefined values, so optional fields are absent rather than present and undefined. */
function defined<T extends Record<string, unknown>>(record: T): Defined<T> {
  const out: Record<string, unknown> = {};
  for (const key in record) if (record[key] !== undefined) out[key] = record[key];
  return out as Defined<T>;
}

function streamOf(subject: Subject): string {
  return subject.streamId ?? '?';
}

interface MonitorSpec<TType extends string, TData extends MonitorData> {
  type: TType;
  /** The `event_name` this definition matches; none for the catch-all. */
  eventName?: string;
  /** Typed fields beyond {@link MonitorData}, from the parsed message. */
  data: (common: MonitorData, message: MonitorMessage) => TData;
  summary: (data: TData, subject: Subject) => string;
}

/** Declares one CSS 328 event; they share schema, subject, event time and dedupe key. */
function defineMonitorEvent<const TType extends string, TData extends MonitorData>(
  spec: MonitorSpec<TType, TData>,
): EventDefinition<TType, typeof schema, TData> {
  return defineEvent({
    type: spec.type,
    family: 'css',
    tencent: { event: `CSS 328 ${spec.eventName ?? '(other event_name)'}`, title: TITLE, doc: DOC },
    match:
      spec.eventName === undefined
        ? { family: 'css', eventType: 328 }
        : { family: 'css', eventType: 328, eventName: spec.eventName },
    schema,
    data: (p) => {
      const message = parseMonitorMessage(p.event_name ?? '', p.event_msg ?? '');
      const common: MonitorData = defined({
        appid: p.appid,
        bizid: p.bizid,
        stream_id: p.stream_id ?? p.channel_id,
        event_name: p.event_name,
        event_time: p.event_time,
        event_msg: p.event_msg,
        streamName: message.streamName,
      });
      return spec.data(common, message);
    },
    subject: (data, p) => {
      const subject = cssSubject(p);
      // The message names the stream too: a fallback when stream_id is missing.
      if (subject.streamId === undefined && data.streamName !== undefined) subject.streamId = data.streamName;
      return subject;
    },
    occurredAt: (data) => data.event_time,
    dedupeKey: ['event_name', 'stream_id', 'event_time'],
    summary: spec.summary,
  });
}

/**
 * CSS 328 `StreamBroken`: a monitored stream stopped.
 *
 * @example
 * ```ts
 * const event = parseCallback(body, headers, { css: { allowUnsigned: true } });
 * if (event.type === 'css.monitor.stream_broken') page(event.summary); // "stream test1 is broken"
 * ```
 * @see https://cloud.tencent.com/document/product/267/88050
 */
export const cssMonitorStreamBroken = defineMonitorEvent({
  type: 'css.monitor.stream_broken',
  eventName: 'StreamBroken',
  data: (common): MonitorData => common,
  summary: (_data, subject) => `stream ${streamOf(subject)} is broken`,
});

/**
 * CSS 328 `StreamLowFramerate`: a monitored stream's frame rate fell below the threshold.
 *
 * @example
 * ```ts
 * const event = parseCallback(body, headers, { css: { allowUnsigned: true } });
 * if (event.type === 'css.monitor.low_framerate') console.log(event.data.fpsThreshold); // 10
 * ```
 * @see https://cloud.tencent.com/document/product/267/88050
 */
export const cssMonitorLowFramerate = defineMonitorEvent({
  type: 'css.monitor.low_framerate',
  eventName: 'StreamLowFramerate',
  data: (common, message): LowFramerateData =>
    Object.assign({}, common, defined({ fpsThreshold: message.fpsThreshold })),
  summary: (data, subject) =>
    data.fpsThreshold === undefined
      ? `stream ${streamOf(subject)} frame rate is low`
      : `stream ${streamOf(subject)} frame rate below ${data.fpsThreshold} fps`,
});

/**
 * CSS 328 `OcrFullText`: text recognised in a monitored stream's picture.
 *
 * @example
 * ```ts
 * const event = parseCallback(body, headers, { css: { allowUnsigned: true } });
 * if (event.type === 'css.monitor.ocr') console.log(event.data.Text, event.data.AreaCoordSet);
 * ```
 * @see https://cloud.tencent.com/document/product/267/88050
 */
export const cssMonitorOcr = defineMonitorEvent({
  type: 'css.monitor.ocr',
  eventName: 'OcrFullText',
  data: (common, message): OcrData =>
    Object.assign({}, common, defined({ AreaCoordSet: message.AreaCoordSet, Text: message.Text })),
  summary: (data, subject) =>
    `stream ${streamOf(subject)} OCR: ${clipText(data.Text ?? data.event_msg ?? '')}`,
});

/**
 * CSS 328 `AsrFullText`: speech recognised in a monitored stream's audio.
 *
 * @example
 * ```ts
 * const event = parseCallback(body, headers, { css: { allowUnsigned: true } });
 * if (event.type === 'css.monitor.asr') console.log(event.data.StartPtsTime, event.data.Text);
 * ```
 * @see https://cloud.tencent.com/document/product/267/88050
 */
export const cssMonitorAsr = defineMonitorEvent({
  type: 'css.monitor.asr',
  eventName: 'AsrFullText',
  data: (common, message): AsrData =>
    Object.assign(
      {},
      common,
      defined({ StartPtsTime: message.StartPtsTime, EndPtsTime: message.EndPtsTime, Text: message.Text }),
    ),
  summary: (data, subject) => {
    const span =
      data.StartPtsTime === undefined || data.EndPtsTime === undefined
        ? ''
        : ` ${data.StartPtsTime}-${data.EndPtsTime} s`;
    return `stream ${streamOf(subject)} ASR${span}: ${clipText(data.Text ?? data.event_msg ?? '')}`;
  },
});

/**
 * CSS 328 with any other `event_name`: format and content anomalies such as
 * `VideoResolutionChanged` or `TimestampFallback` (https://cloud.tencent.com/document/product/267/88050), and
 * names Tencent adds later.
 *
 * @example
 * ```ts
 * const event = parseCallback(body, headers, { css: { allowUnsigned: true } });
 * if (event.type === 'css.monitor.other') console.log(event.data.event_name, event.data.event_msg);
 * ```
 * @see https://cloud.tencent.com/document/product/267/88050
 */
export const cssMonitorOther = defineMonitorEvent({
  type: 'css.monitor.other',
  data: (common): MonitorData => common,
  summary: (data, subject) => {
    const name = data.event_name ?? 'monitoring event';
    return data.event_msg
      ? `stream ${streamOf(subject)} ${name}: ${clipText(data.event_msg)}`
      : `stream ${streamOf(subject)} ${name}`;
  },
});

/** CSS 328: every live monitoring event, the catch-all last. */
export const cssMonitorEvents = [
  cssMonitorStreamBroken,
  cssMonitorLowFramerate,
  cssMonitorOcr,
  cssMonitorAsr,
  cssMonitorOther,
] as const;

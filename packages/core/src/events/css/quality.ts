import { z } from 'zod';
import { defineEvent } from '../define-event.js';
import { idString, numberish, ownEntry, secondsToMs, trimmed } from '../fields.js';
import { formatScore } from './_format.js';
import { cssCommonShape, cssSubject } from './css-event.js';

/** Whether a quality-control finding is about the stream's format or its picture and sound. */
export type QualityControlCategory = 'format' | 'content';

/**
 * Quality-control exception classes of CSS 343 (`class`), with their category and meaning.
 *
 * @example
 * ```ts
 * QUALITY_CONTROL_CLASSES.Blur; // { category: 'content', meaning: 'blurred picture' }
 * ```
 * @see https://www.tencentcloud.com/document/product/267/73166
 */
export const QUALITY_CONTROL_CLASSES: Readonly<
  Record<string, { category: QualityControlCategory; meaning: string }>
> = {
  VideoResolutionChanged: { category: 'format', meaning: 'video resolution changed' },
  AudioSampleRateChanged: { category: 'format', meaning: 'audio sample rate changed' },
  AudioChannelsChanged: { category: 'format', meaning: 'number of audio channels changed' },
  ParameterSetsChanged: {
    category: 'format',
    meaning: 'codec parameter sets (VPS/SPS/PPS, AAC config) changed',
  },
  DarOrSarInvalid: { category: 'format', meaning: 'unusual aspect ratio' },
  TimestampFallback: { category: 'format', meaning: 'DTS went backwards' },
  DtsJitter: { category: 'format', meaning: 'DTS jitter too large' },
  PtsJitter: { category: 'format', meaning: 'PTS jitter too large' },
  AACDurationDeviation: { category: 'format', meaning: 'uneven AAC frame timestamps' },
  AudioDroppingFrames: { category: 'format', meaning: 'audio frames lost' },
  VideoDroppingFrames: { category: 'format', meaning: 'video frames lost' },
  AVTimestampInterleave: { category: 'format', meaning: 'audio and video badly interleaved' },
  FpsJitter: { category: 'format', meaning: 'frame rate jitter too large' },
  StreamOpenFailed: { category: 'format', meaning: 'stream could not be opened' },
  StreamParseFailed: { category: 'format', meaning: 'stream could not be parsed' },
  VideoFirstFrameNotIdr: { category: 'format', meaning: 'first video frame is not an IDR frame' },
  Mosaic: { category: 'content', meaning: 'mosaic' },
  CrashScreen: { category: 'content', meaning: 'corrupted picture' },
  Blur: { category: 'content', meaning: 'blurred picture' },
  VideoNoise: { category: 'content', meaning: 'video noise' },
  VideoJitter: { category: 'content', meaning: 'shaky video' },
  LowLight: { category: 'content', meaning: 'low light' },
  Overexposure: { category: 'content', meaning: 'overexposure' },
  BlackWhiteEdge: { category: 'content', meaning: 'black or white edges or screen' },
  SolidColorScreen: { category: 'content', meaning: 'solid colour screen' },
  QRCode: { category: 'content', meaning: 'QR code' },
  Barcode: { category: 'content', meaning: 'barcode' },
  AppletCode: { category: 'content', meaning: 'mini-program code' },
  // The page lists the three codes in one row; the class may arrive under that joint name.
  'QRCode/Barcode/AppletCode': { category: 'content', meaning: 'QR code, barcode or mini-program code' },
  Silence: { category: 'content', meaning: 'silent audio' },
  LowVoice: { category: 'content', meaning: 'audio volume too low' },
  HighVoice: { category: 'content', meaning: 'audio clipping' },
};

const schema = z.looseObject({
  ...cssCommonShape,
  stream_id: idString.optional(),
  domain: trimmed.optional(),
  event_time: numberish.optional(),
  transcode_template_id: idString.optional(),
  watermark_template_id: idString.optional(),
  score: numberish.optional(),
  function: z.string().optional(),
  class: z.string().optional(),
});

/**
 * CSS 343: live quality control found a format anomaly (resolution change, timestamp jitter, ...)
 * or a content anomaly (blur, black screen, silence, ...). `category` and `meaning` read `class`.
 *
 * @example
 * ```ts
 * receiver.on('css.quality.control', (event) => {
 *   if (event.data.category === 'format') notifyStreamer(event.summary);
 * });
 * ```
 * @see https://www.tencentcloud.com/document/product/267/73166
 */
export const cssQualityControl = defineEvent({
  type: 'css.quality.control',
  family: 'css',
  tencent: {
    event: 'CSS 343',
    title: 'Quality control event notification (直播质检事件通知)',
    doc: 'https://www.tencentcloud.com/document/product/267/73166',
  },
  match: { family: 'css', eventType: 343 },
  schema,
  data: (p) => {
    const known = p.class === undefined ? undefined : ownEntry(QUALITY_CONTROL_CLASSES, p.class);
    return {
      appname: p.appname,
      domain: p.domain,
      stream_id: p.stream_id ?? p.channel_id,
      event_time: p.event_time,
      transcode_template_id: p.transcode_template_id,
      watermark_template_id: p.watermark_template_id,
      score: p.score,
      function: p.function,
      class: p.class,
      category: known?.category,
      meaning: known?.meaning,
    };
  },
  subject: (_data, p) => cssSubject(p),
  occurredAt: (data) => secondsToMs(data.event_time),
  dedupeKey: ['stream_id', 'event_time', 'class', 'transcode_template_id', 'watermark_template_id'],
  summary: (data) => {
    const what = data.meaning
      ? `${data.meaning} (${data.class ?? '?'}, ${data.category ?? '?'})`
      : (data.class ?? 'anomaly');
    return `stream ${data.stream_id ?? '?'} quality control: ${what}${data.score === undefined ? '' : `, score ${formatScore(data.score)}`}`;
  },
});

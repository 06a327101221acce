import { defineTrtcEvent } from './trtc-event.js';
import { describeTask, genericPayload, payloadOf } from './_generic-payload.js';

const DOC = 'https://cloud.tencent.com/document/product/647/129976';

// https://cloud.tencent.com/document/product/647/129976 gives group 14's event types; its payload fields are
// not modelled: `Payload` is kept whole.
const info = { Payload: genericPayload };

/**
 * TRTC 1401: an AI transcription/translation 2.0 task started.
 *
 * @see https://cloud.tencent.com/document/product/647/129976
 */
export const trtcTranscriptionStarted = defineTrtcEvent({
  type: 'trtc.transcription.started',
  group: 14,
  eventType: 1401,
  title: 'AI transcription task started',
  doc: DOC,
  info,
  data: (i) => ({ Payload: payloadOf(i) }),
  summary: (data) => `${describeTask('transcription task', data)} started`,
});

/**
 * TRTC 1402: an AI transcription/translation 2.0 task stopped.
 *
 * @see https://cloud.tencent.com/document/product/647/129976
 */
export const trtcTranscriptionStopped = defineTrtcEvent({
  type: 'trtc.transcription.stopped',
  group: 14,
  eventType: 1402,
  title: 'AI transcription task stopped',
  doc: DOC,
  info,
  data: (i) => ({ Payload: payloadOf(i) }),
  summary: (data) => `${describeTask('transcription task', data)} stopped`,
});

/**
 * TRTC 1403: speech recognition produced a sentence.
 *
 * @see https://cloud.tencent.com/document/product/647/129976
 */
export const trtcTranscriptionSentence = defineTrtcEvent({
  type: 'trtc.transcription.sentence',
  group: 14,
  eventType: 1403,
  title: 'AI transcription recognised sentence',
  doc: DOC,
  info,
  data: (i) => ({ Payload: payloadOf(i) }),
  summary: (data) => `${describeTask('transcription task', data)} recognised a sentence`,
});

/**
 * TRTC 1404: a recognised sentence was translated.
 *
 * @see https://cloud.tencent.com/document/product/647/129976
 */
export const trtcTranscriptionTranslation = defineTrtcEvent({
  type: 'trtc.transcription.translation',
  group: 14,
  eventType: 1404,
  title: 'AI transcription translated sentence',
  doc: DOC,
  info,
  data: (i) => ({ Payload: payloadOf(i) }),
  summary: (data) => `${describeTask('transcription task', data)} translated a sentence`,
});

/** TRTC group 14: AI transcription and translation 2.0. */
export const trtcTranscriptionEvents = [
  trtcTranscriptionStarted,
  trtcTranscriptionStopped,
  trtcTranscriptionSentence,
  trtcTranscriptionTranslation,
] as const;

import { defineTrtcEvent } from './trtc-event.js';
import { describeTask, genericPayload, payloadOf } from './_generic-payload.js';

const DOC = 'https://trtc.io/document/66149';

// https://trtc.io/document/66149 gives group 9's event types; its payload fields are not modelled: `Payload`
// is kept whole.
const info = { Payload: genericPayload };

/**
 * TRTC 901: an AI service task (conversational AI or speech-to-text 1.0) started.
 *
 * @see https://trtc.io/document/66149
 */
export const trtcAiStarted = defineTrtcEvent({
  type: 'trtc.ai.started',
  group: 9,
  eventType: 901,
  title: 'AI service task started (EVENT_TYPE_AI_SERVICE_START)',
  doc: DOC,
  info,
  data: (i) => ({ Payload: payloadOf(i) }),
  summary: (data) => `${describeTask('AI task', data)} started`,
});

/**
 * TRTC 902: an AI service task stopped.
 *
 * @see https://trtc.io/document/66149
 */
export const trtcAiStopped = defineTrtcEvent({
  type: 'trtc.ai.stopped',
  group: 9,
  eventType: 902,
  title: 'AI service task stopped (EVENT_TYPE_AI_SERVICE_STOP)',
  doc: DOC,
  info,
  data: (i) => ({ Payload: payloadOf(i) }),
  summary: (data) => `${describeTask('AI task', data)} stopped`,
});

/**
 * TRTC 903: a full sentence: one recognised by speech recognition, or a complete reply of the language model.
 *
 * @see https://trtc.io/document/66149
 */
export const trtcAiSentence = defineTrtcEvent({
  type: 'trtc.ai.sentence',
  group: 9,
  eventType: 903,
  title: 'AI service full sentence (EVENT_TYPE_AI_SERVICE_MSG)',
  doc: DOC,
  info,
  data: (i) => ({ Payload: payloadOf(i) }),
  summary: (data) => `${describeTask('AI task', data)} sent a full sentence`,
});

/**
 * TRTC 904: speech recognition heard the start of a sentence.
 *
 * @see https://trtc.io/document/66149
 */
export const trtcAiSpeechStarted = defineTrtcEvent({
  type: 'trtc.ai.speech_started',
  group: 9,
  eventType: 904,
  title: 'AI service start of speech (EVENT_TYPE_AI_START_OF_SPEECH)',
  doc: DOC,
  info,
  data: (i) => ({ Payload: payloadOf(i) }),
  summary: (data) => `${describeTask('AI task', data)} heard the start of a sentence`,
});

/** TRTC group 9: AI service (conversational AI, speech-to-text 1.0). */
export const trtcAiEvents = [trtcAiStarted, trtcAiStopped, trtcAiSentence, trtcAiSpeechStarted] as const;

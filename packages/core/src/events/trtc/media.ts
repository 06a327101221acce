import { numberish } from '../fields.js';
import { defineTrtcEvent, TRTC_DEDUPE_KEY } from './trtc-event.js';

const DOC = 'https://trtc.io/document/39558';

/** Which stream a TRTC media event is about: the camera video, the audio, or the substream (screen sharing). */
export type TrtcMediaType = 'video' | 'audio' | 'substream';

const MEDIA_NAMES: Readonly<Record<TrtcMediaType, string>> = {
  video: 'video',
  audio: 'audio',
  substream: 'the substream (screen sharing)',
};

interface MediaSpec<TType extends string> {
  type: TType;
  eventType: number;
  title: string;
  mediaType: TrtcMediaType;
  action: 'started' | 'stopped';
}

function defineMediaEvent<const TType extends string>(spec: MediaSpec<TType>) {
  return defineTrtcEvent({
    type: spec.type,
    group: 2,
    eventType: spec.eventType,
    title: spec.title,
    doc: DOC,
    // Like room events, older media callbacks may carry `EventTs` without `EventMsTs`
    // (https://cloud.tencent.com/document/product/647/51586).
    dedupeKey: [...TRTC_DEDUPE_KEY, 'EventInfo.EventTs'],
    // 202/204/206 samples carry `Reason: 0`; the page gives it no other value.
    info: { Reason: numberish.optional() },
    data: (info) => ({ Reason: info.Reason, mediaType: spec.mediaType }),
    summary: (data) =>
      `user ${data.UserId ?? '?'} ${spec.action} ${MEDIA_NAMES[spec.mediaType]} in room ${data.RoomId ?? '?'}`,
  });
}

/**
 * TRTC 201: a user started sending camera video.
 *
 * @see https://trtc.io/document/39558
 */
export const trtcMediaVideoStart = defineMediaEvent({
  type: 'trtc.media.video_start',
  eventType: 201,
  title: 'Video started (EVENT_TYPE_START_VIDEO)',
  mediaType: 'video',
  action: 'started',
});

/**
 * TRTC 202: a user turned its video off. Sent only when the user does so; leaving the room (104)
 * stops the video without a 202.
 *
 * @see https://trtc.io/document/39558
 */
export const trtcMediaVideoStop = defineMediaEvent({
  type: 'trtc.media.video_stop',
  eventType: 202,
  title: 'Video stopped (EVENT_TYPE_STOP_VIDEO)',
  mediaType: 'video',
  action: 'stopped',
});

/**
 * TRTC 203: a user started sending audio.
 *
 * @see https://trtc.io/document/39558
 */
export const trtcMediaAudioStart = defineMediaEvent({
  type: 'trtc.media.audio_start',
  eventType: 203,
  title: 'Audio started (EVENT_TYPE_START_AUDIO)',
  mediaType: 'audio',
  action: 'started',
});

/**
 * TRTC 204: a user turned its audio off. Sent only when the user does so, not on leaving the room.
 * The official signature test vector is a 204 (https://trtc.io/document/54912).
 *
 * @see https://trtc.io/document/39558
 */
export const trtcMediaAudioStop = defineMediaEvent({
  type: 'trtc.media.audio_stop',
  eventType: 204,
  title: 'Audio stopped (EVENT_TYPE_STOP_AUDIO)',
  mediaType: 'audio',
  action: 'stopped',
});

/**
 * TRTC 205: a user started the substream (Tencent's "ASSIT" stream, usually screen sharing).
 *
 * @see https://trtc.io/document/39558
 */
export const trtcMediaSubstreamStart = defineMediaEvent({
  type: 'trtc.media.substream_start',
  eventType: 205,
  title: 'Substream started (EVENT_TYPE_START_ASSIT)',
  mediaType: 'substream',
  action: 'started',
});

/**
 * TRTC 206: a user stopped the substream (screen sharing).
 *
 * @see https://trtc.io/document/39558
 */
export const trtcMediaSubstreamStop = defineMediaEvent({
  type: 'trtc.media.substream_stop',
  eventType: 206,
  title: 'Substream stopped (EVENT_TYPE_STOP_ASSIT)',
  mediaType: 'substream',
  action: 'stopped',
});

/** TRTC group 2: media events. */
export const trtcMediaEvents = [
  trtcMediaVideoStart,
  trtcMediaVideoStop,
  trtcMediaAudioStart,
  trtcMediaAudioStop,
  trtcMediaSubstreamStart,
  trtcMediaSubstreamStop,
] as const;

import { defineTrtcEvent } from './trtc-event.js';
import { describeTask, genericPayload, payloadOf } from './_generic-payload.js';

/**
 * TRTC 1501: an AI conversation 2.0 callback. livehooks models only this type of group 15 and none
 * of its payload fields, so `Payload` is kept whole; other group 15 types are stored as `trtc.unknown`.
 * The page asks receivers to dedupe by `TaskId + EventType + EventMsTs`, which the
 * default TRTC dedupe key contains.
 *
 * @see https://cloud.tencent.com/document/product/647/139212
 */
export const trtcConversationEvent = defineTrtcEvent({
  type: 'trtc.conversation.event',
  group: 15,
  eventType: 1501,
  title: 'AI conversation 2.0 callback',
  doc: 'https://cloud.tencent.com/document/product/647/139212',
  info: { Payload: genericPayload },
  data: (info) => ({ Payload: payloadOf(info) }),
  summary: (data) => `${describeTask('AI conversation task', data)} sent event 1501`,
});

/** TRTC group 15: AI conversation 2.0. */
export const trtcConversationEvents = [trtcConversationEvent] as const;

import { z } from 'zod';
import { numberish } from '../fields.js';
import { defineTrtcEvent } from './trtc-event.js';

const DOC = 'https://trtc.io/document/73394';

/**
 * TRTC 1101: the cloud moderation module started (Status 0) or failed to start (Status 1).
 *
 * @see https://trtc.io/document/73394
 */
export const trtcModerationStart = defineTrtcEvent({
  type: 'trtc.moderation.start',
  group: 11,
  eventType: 1101,
  title: 'Cloud moderation module started (EVENT_TYPE_CLOUD_MODERATION_START)',
  doc: DOC,
  info: { Payload: z.looseObject({ Status: numberish }) },
  data: (info) => ({ Status: info.Payload.Status, started: info.Payload.Status === 0 }),
  summary: (data) =>
    `moderation task ${data.TaskId ?? '?'} in room ${data.RoomId ?? '?'} ${data.started ? 'started' : 'failed to start'}`,
});

/** TRTC group 11: cloud moderation. */
export const trtcModerationEvents = [trtcModerationStart] as const;

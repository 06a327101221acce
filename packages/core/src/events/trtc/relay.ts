import { z } from 'zod';
import { numberish } from '../fields.js';
import { defineTrtcEvent, TRTC_DEDUPE_KEY } from './trtc-event.js';

/**
 * `Status` of a relay-to-CDN task (401). 1 and 3 repeat every 5 s for up to 60 s; the others are sent once.
 *
 * @see https://tencentcloud.com/zh/document/product/647/54913
 */
export const RELAY_STATUSES: Readonly<Record<number, string>> = {
  0: 'idle',
  1: 'connecting',
  2: 'running',
  3: 'recovering',
  4: 'failed',
  5: 'disconnecting',
};

/**
 * The state a relay-to-CDN `Status` names: `idle`, `connecting`, `running`, `recovering`, `failed`,
 * `disconnecting`, or `unknown status N`.
 *
 * @example
 * ```ts
 * describeRelayStatus(2); // 'running'
 * ```
 * @see https://tencentcloud.com/zh/document/product/647/54913
 */
export function describeRelayStatus(status: number): string {
  return RELAY_STATUSES[status] ?? `unknown status ${status}`;
}

/**
 * TRTC 401: the state of a mix-and-relay (relay to CDN) task changed. The doc's sample spells the event
 * time `EventTsMs`; it is read like `EventMsTs` and takes part in the dedupe key.
 *
 * @see https://tencentcloud.com/zh/document/product/647/54913
 */
export const trtcRelayStatus = defineTrtcEvent({
  type: 'trtc.relay.status',
  group: 4,
  eventType: 401,
  title: 'Relay to CDN status changed (EVENT_GROUP_CLOUD_PUBLISH)',
  doc: 'https://tencentcloud.com/zh/document/product/647/54913',
  info: {
    /** 0: `RoomId` is a number room, 1: a string room. */
    RoomType: numberish.optional(),
    Payload: z.looseObject({
      Url: z.string().optional(),
      Status: numberish,
      ErrorCode: numberish.optional(),
      ErrorMsg: z.string().optional(),
    }),
  },
  data: (info) => ({
    RoomType: info.RoomType,
    Url: info.Payload.Url,
    Status: info.Payload.Status,
    status: describeRelayStatus(info.Payload.Status),
    ErrorCode: info.Payload.ErrorCode,
    ErrorMsg: info.Payload.ErrorMsg,
  }),
  dedupeKey: [...TRTC_DEDUPE_KEY, 'EventInfo.EventTsMs', 'EventInfo.Payload.Status'],
  summary: (data) => {
    const error =
      data.ErrorCode !== undefined && data.ErrorCode !== 0
        ? ` (error ${data.ErrorCode}${data.ErrorMsg ? `: ${data.ErrorMsg}` : ''})`
        : '';
    return `relay task ${data.TaskId ?? '?'} in room ${data.RoomId ?? '?'}${data.Url ? ` to ${data.Url}` : ''}: ${data.status}${error}`;
  },
});

/** TRTC group 4: relay to CDN. */
export const trtcRelayEvents = [trtcRelayStatus] as const;

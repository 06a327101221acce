import { z } from 'zod';
import { defineEvent } from './define-event.js';
import { numberOf, textOf } from './fields.js';
import { cssSubject } from './css/css-event.js';
import { trtcSubject } from './trtc/trtc-event.js';

const cssUnknownSchema = z.looseObject({});

/** Any CSS callback whose `event_type` the catalog does not know, or that failed its schema: kept, never rejected. */
export const cssUnknown = defineEvent({
  type: 'css.unknown',
  family: 'css',
  tencent: {
    event: 'CSS (any other event_type)',
    title: 'How to receive event notifications',
    doc: 'https://www.tencentcloud.com/document/product/267/38080',
  },
  match: { family: 'css', eventType: -1 },
  schema: cssUnknownSchema,
  data: (p) => p,
  subject: (data) =>
    cssSubject({
      appid:
        typeof data.appid === 'number' || typeof data.appid === 'string' ? String(data.appid) : undefined,
      stream_id: typeof data.stream_id === 'string' ? data.stream_id : undefined,
      channel_id: typeof data.channel_id === 'string' ? data.channel_id : undefined,
    }),
  occurredAt: () => undefined,
  dedupeKey: [],
  summary: (data, subject) =>
    `CSS event_type ${textOf(data.event_type)}${subject.streamId ? ` on stream ${subject.streamId}` : ''}`,
});

const trtcUnknownSchema = z.looseObject({});

/** Any TRTC callback whose group or type the catalog does not know, or that failed its schema. */
export const trtcUnknown = defineEvent({
  type: 'trtc.unknown',
  family: 'trtc',
  tencent: {
    event: 'TRTC (any other EventGroupId/EventType)',
    title: 'Event callbacks',
    doc: 'https://trtc.io/document/39558',
  },
  match: { family: 'trtc', group: -1, eventType: -1 },
  schema: trtcUnknownSchema,
  data: (p) => p,
  subject: (data) => {
    const info = (data.EventInfo ?? {}) as Record<string, unknown>;
    const str = (value: unknown) =>
      typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
    const common: { RoomId?: string; TaskId?: string; UserId?: string } = {};
    const roomId = str(info.RoomId);
    const taskId = str(info.TaskId);
    const userId = str(info.UserId);
    if (roomId !== undefined) common.RoomId = roomId;
    if (taskId !== undefined) common.TaskId = taskId;
    if (userId !== undefined) common.UserId = userId;
    return trtcSubject(common);
  },
  occurredAt: (data) => {
    const info = (data.EventInfo ?? {}) as Record<string, unknown>;
    const ms = [info.EventMsTs, info.EventTsMs, data.CallbackTs, data.CallbackMsTs]
      .map(numberOf)
      .find((value) => value !== undefined);
    return ms !== undefined && ms > 0 ? ms : undefined;
  },
  dedupeKey: [],
  summary: (data, subject) =>
    `TRTC event ${textOf(data.EventGroupId)}/${textOf(data.EventType)}${subject.roomId ? ` in room ${subject.roomId}` : ''}`,
});

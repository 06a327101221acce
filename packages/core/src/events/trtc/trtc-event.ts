import { z } from 'zod';
import type { Subject } from '../../envelope.js';
import { defineEvent, type EventDefinition } from '../define-event.js';
import { idString, numberish } from '../fields.js';

/**
 * `EventInfo` fields shared by the TRTC event groups (https://trtc.io/document/39558,
 * https://trtc.io/document/54914).
 */
export const trtcInfoShape = {
  RoomId: idString.optional(),
  EventTs: numberish.optional(),
  EventMsTs: numberish.optional(),
  /**
   * Group 4's sample spells `EventMsTs` this way (https://tencentcloud.com/zh/document/product/647/54913).
   */
  EventTsMs: numberish.optional(),
  UserId: z.string().optional(),
  TaskId: z.string().optional(),
};

/** Builds the open schema of a TRTC callback body around its `EventInfo`. */
export function trtcBodySchema<TInfo extends z.ZodType>(eventInfo: TInfo) {
  return z.looseObject({
    EventGroupId: numberish,
    EventType: numberish,
    CallbackTs: numberish.optional(),
    /** Group 7 names the send time this way (https://trtc.io/document/62717). */
    CallbackMsTs: numberish.optional(),
    EventInfo: eventInfo,
  });
}

/** The common normalised fields of every TRTC event's `data`. */
export interface TrtcCommonData {
  RoomId?: string;
  UserId?: string;
  TaskId?: string;
  /** Event time in ms, from `EventMsTs`, `EventTsMs` or `EventTs`. */
  EventMsTs?: number;
}

type InfoOf<TShape extends z.ZodRawShape> = z.output<z.ZodObject<typeof trtcInfoShape & TShape>>;

/** What one TRTC event declares; {@link defineTrtcEvent} derives the rest. */
export interface TrtcEventSpec<TType extends string, TShape extends z.ZodRawShape, TExtra> {
  type: TType;
  group: number;
  eventType: number;
  title: string;
  doc: string;
  /** `EventInfo` fields beyond the shared ones, `Payload` included. */
  info: TShape;
  /** Typed fields beyond {@link TrtcCommonData}, from the validated `EventInfo`. */
  data: (info: InfoOf<TShape>) => TExtra;
  summary: (data: TrtcCommonData & TExtra, subject: Subject) => string;
  /** Overrides the subject derived from RoomId, TaskId and UserId. */
  subject?: (data: TrtcCommonData & TExtra) => Subject;
  /** Overrides the default TRTC dedupe paths. */
  dedupeKey?: readonly string[];
}

/** Default TRTC dedupe key (DESIGN.md "Dedupe keys"). */
export const TRTC_DEDUPE_KEY = [
  'EventGroupId',
  'EventType',
  'EventInfo.TaskId',
  'EventInfo.RoomId',
  'EventInfo.UserId',
  'EventInfo.EventMsTs',
  'EventInfo.Payload.DataId',
] as const;

function commonData(info: z.output<z.ZodObject<typeof trtcInfoShape>>): TrtcCommonData {
  const data: TrtcCommonData = {};
  if (info.RoomId !== undefined) data.RoomId = info.RoomId;
  if (info.UserId !== undefined) data.UserId = info.UserId;
  if (info.TaskId !== undefined) data.TaskId = info.TaskId;
  const ms =
    info.EventMsTs ?? info.EventTsMs ?? (info.EventTs === undefined ? undefined : info.EventTs * 1000);
  if (ms !== undefined) data.EventMsTs = ms;
  return data;
}

/** The default subject of a TRTC event: its room, task and user. */
export function trtcSubject(data: TrtcCommonData): Subject {
  const subject: Subject = {};
  if (data.RoomId !== undefined) subject.roomId = data.RoomId;
  if (data.TaskId !== undefined) subject.taskId = data.TaskId;
  if (data.UserId !== undefined) subject.userId = data.UserId;
  return subject;
}

/**
 * Declares a TRTC event from its group, type, `EventInfo` fields and data; schema, subject,
 * event time and dedupe key follow the conventions every TRTC group shares.
 */
export function defineTrtcEvent<const TType extends string, TShape extends z.ZodRawShape, TExtra>(
  spec: TrtcEventSpec<TType, TShape, TExtra>,
) {
  const schema = trtcBodySchema(z.looseObject({ ...trtcInfoShape, ...spec.info }));
  type Data = TrtcCommonData & TExtra;
  const definition: EventDefinition<TType, typeof schema, Data> = defineEvent({
    type: spec.type,
    family: 'trtc',
    tencent: { event: `TRTC ${spec.eventType}`, title: spec.title, doc: spec.doc },
    match: { family: 'trtc', group: spec.group, eventType: spec.eventType },
    schema,
    data: (body) => {
      const info = body.EventInfo as InfoOf<TShape>;
      // Object.assign, not two spreads: V8 in Node 20 builds a two-spread literal through a slow path (~5 µs).
      return Object.assign(commonData(info as z.output<z.ZodObject<typeof trtcInfoShape>>), spec.data(info));
    },
    subject: spec.subject ?? trtcSubject,
    occurredAt: (data, body) => data.EventMsTs ?? body.CallbackTs ?? body.CallbackMsTs,
    dedupeKey: spec.dedupeKey ?? TRTC_DEDUPE_KEY,
    summary: spec.summary,
  });
  return definition;
}

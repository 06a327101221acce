import { z } from 'zod';

/**
 * `EventInfo.Payload` of a TRTC event whose fields livehooks does not model (AI groups 9, 14, 15): any
 * object, kept whole so nothing Tencent sends is lost.
 */
export const genericPayload = z.looseObject({}).optional();

/** The payload as `data.Payload`: the object Tencent sent, or an empty one. */
export function payloadOf(info: { Payload?: Record<string, unknown> | undefined }): Record<string, unknown> {
  return info.Payload ?? {};
}

/** `task X in room Y`, leaving out what the callback does not carry. */
export function describeTask(kind: string, data: { TaskId?: string; RoomId?: string }): string {
  return `${kind} ${data.TaskId ?? '?'}${data.RoomId === undefined ? '' : ` in room ${data.RoomId}`}`;
}

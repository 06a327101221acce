import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import { epochMs } from '../api/query-schemas.js';
import { storedEventSchema } from '../events/event-schemas.js';

/** The states of a TRTC cloud moderation task. */
export const TASK_STATES = [
  'starting',
  'failed_to_start',
  'running',
  'sending',
  'stopped',
  'errored',
] as const;

const taskShape = {
  taskId: z.string(),
  sdkAppId: z.string().optional(),
  roomId: z.string().optional(),
  state: z
    .enum(TASK_STATES)
    .meta({ description: 'from the latest lifecycle event (TRTC 1101..1106) by event time' }),
  stateLabel: z.string().meta({ description: 'the state in words' }),
  leaveCode: z.number().int().optional().meta({ description: 'LeaveCode of the latest stop (TRTC 1102)' }),
  leaveReason: z.string().optional(),
  lastError: z
    .object({ code: z.string(), message: z.string() })
    .optional()
    .meta({ description: 'the latest storage error (TRTC 1106)' }),
  startedAt: epochMs.optional(),
  updatedAt: epochMs,
  results: z
    .object({ Pass: z.number().int(), Review: z.number().int(), Block: z.number().int() })
    .meta({ description: 'how many results (TRTC 1104) advised each' }),
};

/** A TRTC cloud moderation task. */
export const taskSchema = z
  .object(taskShape)
  .register(apiSchemas, { id: 'TrtcTask', description: 'a TRTC cloud moderation task' });

/** A task as the API answers it. */
export type TaskItem = z.output<typeof taskSchema>;

/** A task with its events. */
export const taskDetailSchema = z
  .object({
    ...taskShape,
    events: z.array(storedEventSchema).meta({ description: 'its events (TRTC 1101..1106), newest first' }),
  })
  .register(apiSchemas, { id: 'TrtcTaskDetail' });

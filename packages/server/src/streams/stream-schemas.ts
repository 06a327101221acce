import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import { epochMs } from '../api/query-schemas.js';
import { storedEventSchema } from '../events/event-schemas.js';

/** A screenshot of a stream (CSS screenshot callbacks). */
export const screenshotSchema = z
  .object({ url: z.string(), at: epochMs })
  .register(apiSchemas, { id: 'Screenshot', description: 'a screenshot of the stream' });

const streamItemShape = {
  appId: z.string().meta({ description: "the CSS app id, '' when the events carry none" }),
  streamId: z.string(),
  status: z.enum(['live', 'offline', 'unknown']).meta({
    description:
      'from the latest push and disconnect by event time; a push of a disconnected session does not revive it',
  }),
  health: z
    .enum(['ok', 'broken', 'low_framerate'])
    .meta({ description: 'the latest health signal by event time' }),
  lastEventAt: epochMs,
  lastPushAt: epochMs.optional(),
  lastDisconnectAt: epochMs.optional(),
  disconnectReason: z.string().optional(),
  sessionSequence: z.string().optional().meta({ description: 'the sequence of the latest push session' }),
  brokenCount: z.number().int(),
  lowFramerateCount: z.number().int(),
  moderationHits: z.number().int(),
  latestScreenshot: screenshotSchema.optional(),
};

/** A stream in the list: liveness, health, counts and the latest screenshot. */
export const streamItemSchema = z.object(streamItemShape).register(apiSchemas, { id: 'StreamItem' });

/** A stream as the API answers it in a list. */
export type StreamItem = z.output<typeof streamItemSchema>;

/** A stream with its timeline, screenshots and moderation hits; `moderationItem` describes the hits. */
export const streamDetailSchema = (moderationItem: z.ZodType) =>
  z
    .object({
      ...streamItemShape,
      timeline: z.array(storedEventSchema).meta({ description: 'the newest 200 events, newest first' }),
      screenshots: z.array(screenshotSchema).meta({ description: 'the newest 24, newest first' }),
      moderation: z.array(moderationItem).meta({ description: 'the newest 50 hits, newest first' }),
    })
    .register(apiSchemas, { id: 'StreamDetail' });

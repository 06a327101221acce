import type { DisconnectCategory } from '@livehooks/core';
import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import { epochMs } from '../api/query-schemas.js';
import { storedEventSchema } from '../events/event-schemas.js';

/** A screenshot of a stream (CSS screenshot callbacks). */
export const screenshotSchema = z
  .object({ url: z.string(), at: epochMs })
  .register(apiSchemas, { id: 'Screenshot', description: 'a screenshot of the stream' });

/** The health of a stream. */
export const healthSchema = z.enum(['ok', 'broken', 'low_framerate']);

/** Every kind of disconnect cause core's code table names (a record, so a new one fails to compile here). */
const DISCONNECT_CATEGORIES: Record<DisconnectCategory, true> = {
  client: true,
  network: true,
  protocol: true,
  idle: true,
  internal: true,
  account: true,
  domain: true,
  access: true,
  authentication: true,
  limit: true,
  customer: true,
  unknown: true,
};

/** What ended a stream's latest push: Tencent's codes and the kind of cause, for a client to put in words. */
const disconnectCodeSchema = z
  .object({
    errcode: z.number().int(),
    subErrcode: z.number().int().optional().meta({ description: 'sent with errcode 18 and 21' }),
    category: z
      .enum(Object.keys(DISCONNECT_CATEGORIES) as [DisconnectCategory, ...DisconnectCategory[]])
      .meta({ description: 'the kind of cause' }),
    known: z.boolean().meta({ description: "false when Tencent's code table does not list the code" }),
  })
  .register(apiSchemas, {
    id: 'DisconnectCode',
    description: 'the codes of a disconnect (https://www.tencentcloud.com/document/product/267/31083)',
  });

const streamItemShape = {
  appId: z.string().meta({ description: "the CSS app id, '' when the events carry none" }),
  streamId: z.string(),
  status: z.enum(['live', 'offline', 'unknown']).meta({
    description:
      'from the latest push and disconnect by event time; a push of a disconnected session does not revive it',
  }),
  health: healthSchema.meta({ description: 'the latest health signal by event time' }),
  healthAt: epochMs.optional().meta({ description: 'when the latest health signal happened' }),
  lastEventAt: epochMs,
  lastPushAt: epochMs.optional(),
  lastDisconnectAt: epochMs.optional(),
  disconnectReason: z.string().optional().meta({ description: "Tencent's meaning of the codes, in English" }),
  disconnectCode: disconnectCodeSchema.optional(),
  sessionSequence: z.string().optional().meta({ description: 'the sequence of the latest push session' }),
  brokenCount: z.number().int(),
  lastBrokenAt: epochMs.optional(),
  lowFramerateCount: z.number().int(),
  lastLowFramerateAt: epochMs.optional(),
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

import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import { epochMs as ms } from '../api/query-schemas.js';
import { DELIVERY_STATUSES } from './outbox.js';

/** One forwarding of an event to a sink, as the API answers it. */
export const deliverySchema = z
  .object({
    id: z.string().meta({ format: 'uuid' }),
    eventId: z.string().meta({ format: 'uuid' }),
    eventType: z.string().meta({ description: 'the type of the event (docs/events.md)' }),
    sink: z.string().meta({ description: 'the name of the sink in the configuration' }),
    status: z.enum(DELIVERY_STATUSES).meta({
      description:
        'pending (to send or retry), held (a stale event waiting for release), delivered, dead (retries ' +
        'used up) or disabled (its sink answered 410 Gone)',
    }),
    attempts: z.number().int().min(0),
    nextAttemptAt: ms.nullable().meta({ description: 'when a pending delivery is due; null otherwise' }),
    lastError: z.string().nullable(),
    result: z.unknown().meta({ description: 'what the sink answered on success (its receipt); null before' }),
    createdAt: ms,
    updatedAt: ms,
    deliveredAt: ms.nullable(),
  })
  .register(apiSchemas, { id: 'Delivery' });

/** A delivery as the API returns it. */
export type Delivery = z.output<typeof deliverySchema>;

/** One finished attempt of a delivery, as the API answers it. */
export const deliveryAttemptSchema = z
  .object({
    attempt: z
      .number()
      .int()
      .min(1)
      .meta({ description: 'the attempt number, from 1; a retry by hand starts again at 1' }),
    status: z.enum(['delivered', 'failed']),
    error: z.string().nullable().meta({ description: 'why the attempt failed; null when it succeeded' }),
    result: z.unknown().meta({ description: 'what the sink answered on success (its receipt), or null' }),
    startedAt: ms,
    durationMs: z.number().int().min(0),
  })
  .register(apiSchemas, { id: 'DeliveryAttempt' });

/** An attempt as the API returns it. */
export type DeliveryAttempt = z.output<typeof deliveryAttemptSchema>;

const count = z.number().int().min(0);

/** A configured sink with its figures, as the API answers it. */
export const sinkSummarySchema = z
  .object({
    name: z.string().meta({ description: 'the name of the sink in the configuration' }),
    type: z.string().meta({ description: 'the sink type (docs/sinks.md), or handler for an in-process one' }),
    pending: count.meta({ description: 'deliveries to send or retry' }),
    held: count.meta({ description: 'deliveries of stale events waiting for release' }),
    delivered: count,
    dead: count.meta({ description: 'deliveries whose retries are used up' }),
    disabledDeliveries: count.meta({ description: 'deliveries stopped because the sink is disabled' }),
    oldestPendingAt: ms.nullable().meta({ description: 'when the oldest pending delivery was created' }),
    window: z.object({
      since: ms.meta({ description: 'the start of the window the attempts are counted in' }),
      attempts: count,
      succeeded: count,
      successRate: z
        .number()
        .min(0)
        .max(1)
        .nullable()
        .meta({ description: 'succeeded / attempts; null without attempts' }),
    }),
    disabled: z
      .object({ at: ms, reason: z.string() })
      .nullable()
      .meta({ description: 'set when the endpoint switched the sink off (HTTP 410)' }),
  })
  .register(apiSchemas, { id: 'SinkSummary' });

/** A sink summary as the API returns it. */
export type SinkSummary = z.output<typeof sinkSummarySchema>;

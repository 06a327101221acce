import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import { epochMs as ms } from '../api/query-schemas.js';
import { DELIVERY_STATUSES } from './delivery-store.js';

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

import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';

const ms = z.number().int().meta({ description: 'milliseconds since the epoch' });

/** One forwarding of an event to a sink, as the API answers it. */
export const deliverySchema = z
  .object({
    id: z.string(),
    eventId: z.string(),
    eventType: z.string(),
    sink: z.string().meta({ description: 'the name of the sink in the configuration' }),
    status: z.enum(['pending', 'held', 'delivered', 'dead', 'disabled']),
    attempts: z.number().int().min(0),
    nextAttemptAt: ms.nullable(),
    lastError: z.string().nullable(),
    result: z.unknown().meta({ description: 'what the sink answered on success (its receipt)' }),
    createdAt: ms,
    updatedAt: ms,
    deliveredAt: ms.nullable(),
  })
  .register(apiSchemas, { id: 'Delivery' });

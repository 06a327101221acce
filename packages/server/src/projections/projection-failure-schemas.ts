import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import { epochMs } from '../api/query-schemas.js';
import { FAILURE_MESSAGE_MAX } from './projection-tables.js';

/** An event the projector set aside because its projection fails even alone. */
export const projectionFailureSchema = z
  .object({
    eventId: z.string().meta({ format: 'uuid' }),
    eventType: z.string(),
    code: z
      .string()
      .optional()
      .meta({ description: 'the database error code (SQLSTATE, SQLITE_*) or the error name' }),
    error: z.string().max(FAILURE_MESSAGE_MAX).meta({ description: 'the first line of the error message' }),
    attempts: z.number().int().min(1).meta({ description: 'failed attempts, retries included' }),
    failedAt: epochMs.meta({ description: 'when it last failed, in ms since the epoch' }),
  })
  .register(apiSchemas, { id: 'ProjectionFailure' });

/** An event the projector set aside, as `GET /api/projections/failures` lists it. */
export type ProjectionFailure = z.output<typeof projectionFailureSchema>;

/** What retrying a set-aside event gives: projected, or its new failure. */
export const projectionRetrySchema = z
  .discriminatedUnion('projected', [
    z.object({ projected: z.literal(true) }),
    z.object({ projected: z.literal(false), failure: projectionFailureSchema }),
  ])
  .register(apiSchemas, { id: 'ProjectionRetry' });

/** What retrying a set-aside event gives. */
export type RetryOutcome = z.output<typeof projectionRetrySchema>;

import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import { epochMs } from '../api/query-schemas.js';

const offset = z.number().int().min(0);

/** A transcript line that matches a search, with where the words occur in it. */
export const transcriptHitSchema = z
  .object({
    eventId: z.string(),
    streamId: z.string().optional(),
    kind: z.enum(['asr', 'ocr', 'subtitle']),
    text: z.string(),
    startMs: z.number().int().optional().meta({ description: 'start in stream time, in ms' }),
    endMs: z.number().int().optional().meta({ description: 'end in stream time, in ms' }),
    occurredAt: epochMs,
    highlights: z
      .array(z.tuple([offset, offset]))
      .meta({ description: '[start, end) offsets of the hits in text, in UTF-16 code units' }),
  })
  .register(apiSchemas, { id: 'TranscriptHit', description: 'recognised or subtitled text of a stream' });

/** A transcript hit as the API answers it. */
export type TranscriptHit = z.output<typeof transcriptHitSchema>;

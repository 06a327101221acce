import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import { epochMs } from '../api/query-schemas.js';
import { DECISION_ACTIONS } from './moderation-tables.js';

const actionSchema = z.enum(DECISION_ACTIONS);

const moderationItemShape = {
  id: z.string().meta({ description: 'the id of the event that raised it' }),
  eventId: z.string(),
  eventType: z.string().meta({ description: 'css.moderation.image, trtc.moderation.result, ...' }),
  occurredAt: epochMs,
  streamId: z.string().optional(),
  roomId: z.string().optional(),
  userId: z.string().optional(),
  taskId: z.string().optional(),
  mediaType: z.enum(['image', 'audio', 'text']),
  mediaUrl: z.string().optional(),
  labels: z.array(z.string()),
  score: z.number().optional(),
  suggestion: z.enum(['Block', 'Review', 'Pass']).nullable(),
  text: z.string().optional().meta({ description: 'recognised text: OCR, ASR or subtitles' }),
  status: z.enum(['pending', 'confirmed', 'dismissed', 'escalated']),
  decidedAt: epochMs.optional(),
  decidedBy: z.string().optional(),
  note: z.string().optional(),
};

/** A flagged image, audio clip or text of the moderation queue. */
export const moderationItemSchema = z
  .object(moderationItemShape)
  .register(apiSchemas, { id: 'ModerationItem', description: 'a flagged image, audio clip or text' });

/** A moderation item as the API answers it. */
export type ModerationItem = z.output<typeof moderationItemSchema>;

/** A human decision on a moderation item, kept as an audit trail. */
export const decisionSchema = z
  .object({ action: actionSchema, actor: z.string(), note: z.string(), at: epochMs })
  .register(apiSchemas, { id: 'Decision' });

/** A moderation item with its decisions. */
export const moderationDetailSchema = z
  .object({
    ...moderationItemShape,
    decisions: z.array(decisionSchema).meta({ description: 'oldest first' }),
  })
  .register(apiSchemas, { id: 'ModerationDetail' });

const decisionText = (name: string, max: number) => {
  const error = `${name} must be a string of at most ${max} characters`;
  return z
    .string({ error })
    .max(max, { error })
    .nullish()
    .transform((value) => value?.trim());
};

/** The body of `POST /api/moderation/{id}/decision`. */
export const decisionRequestSchema = z
  .object(
    {
      action: z.enum(DECISION_ACTIONS, { error: `action must be one of ${DECISION_ACTIONS.join(', ')}` }),
      actor: decisionText('actor', 200).meta({ description: 'who decides; anonymous when absent or blank' }),
      note: decisionText('note', 2000),
    },
    { error: 'the request body must be a JSON object' },
  )
  .register(apiSchemas, { id: 'DecisionRequest' });

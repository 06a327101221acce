import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import { epochMs, UUID } from '../api/query-schemas.js';
import { DECISION_ACTIONS, REVIEW_ACTIONS } from './moderation-tables.js';

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

/** A human decision on a moderation item, or its undoing, kept as an audit trail. */
export const decisionSchema = z
  .object({
    action: z
      .enum(REVIEW_ACTIONS)
      .meta({ description: 'undo takes back the latest decision still standing' }),
    actor: z.string(),
    note: z.string(),
    at: epochMs,
  })
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

const decisionFields = {
  action: z.enum(DECISION_ACTIONS, { error: `action must be one of ${DECISION_ACTIONS.join(', ')}` }),
  actor: decisionText('actor', 200).meta({ description: 'who decides; anonymous when absent or blank' }),
  note: decisionText('note', 2000),
};
const NOT_AN_OBJECT = { error: 'the request body must be a JSON object' };

/** The body of `POST /api/moderation/{id}/decision`. */
export const decisionRequestSchema = z
  .object(decisionFields, NOT_AN_OBJECT)
  .register(apiSchemas, { id: 'DecisionRequest' });

/** The most items one bulk decision takes. */
export const BULK_DECISION_MAX = 200;

/** The body of `POST /api/moderation/decisions`: one decision on several items. */
export const bulkDecisionRequestSchema = z
  .object(
    {
      ids: z
        .array(z.string().regex(UUID, { error: 'ids must be item ids (the ids of their events)' }), {
          error: 'ids must be a list of item ids',
        })
        .min(1, { error: 'ids names no item' })
        .max(BULK_DECISION_MAX, { error: `ids names at most ${BULK_DECISION_MAX} items` })
        .transform((ids) => [...new Set(ids)]),
      ...decisionFields,
    },
    NOT_AN_OBJECT,
  )
  .register(apiSchemas, { id: 'BulkDecisionRequest' });

/** The answer of a bulk decision. */
export const bulkDecisionSchema = z
  .object({
    items: z.array(moderationItemSchema).meta({ description: 'the updated items, in the order asked' }),
    missing: z.array(z.string()).meta({ description: 'the ids that name no item' }),
  })
  .register(apiSchemas, { id: 'BulkDecision' });

/** The body of `POST /api/moderation/{id}/undo`. */
export const undoRequestSchema = z
  .object(
    {
      actor: decisionText('actor', 200).meta({ description: 'who takes it back; anonymous when absent' }),
      note: decisionText('note', 2000),
    },
    NOT_AN_OBJECT,
  )
  .register(apiSchemas, { id: 'UndoRequest' });

/** How many items of a filter are in each review status. */
export const moderationCountsSchema = z
  .object({
    pending: z.number().int().min(0).meta({ description: 'left to review' }),
    escalated: z.number().int().min(0),
    confirmed: z.number().int().min(0),
    dismissed: z.number().int().min(0),
  })
  .register(apiSchemas, { id: 'ModerationCounts' });

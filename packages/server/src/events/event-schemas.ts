import { z } from 'zod';
import { apiSchemas } from '../api/openapi.js';
import type { StoredEvent } from '../store/stored-event.js';

const ms = z.number().int().meta({ description: 'milliseconds since the epoch' });

const subjectSchema = z
  .object({
    appId: z.string().optional(),
    sdkAppId: z.string().optional(),
    streamId: z.string().optional(),
    roomId: z.string().optional(),
    taskId: z.string().optional(),
    userId: z.string().optional(),
  })
  .register(apiSchemas, { id: 'Subject', description: 'what the event is about' });

const authSchema = z
  .object({
    method: z.enum(['css-md5', 'trtc-hmac', 'unsigned']),
    keyId: z.string().optional(),
    stale: z.boolean().meta({ description: 'a CSS callback that arrived after its expiry t' }),
  })
  .register(apiSchemas, { id: 'Auth', description: 'how the callback was authenticated' });

const issueSchema = z
  .object({ path: z.string(), message: z.string() })
  .register(apiSchemas, { id: 'ValidationIssue' });

/** The fields of a stored event as the API answers it; `data` is described per type in docs/events.md. */
const eventShape = {
  id: z.string().meta({ format: 'uuid' }),
  type: z.string().meta({ description: 'the event type (docs/events.md)' }),
  family: z.enum(['css', 'trtc']),
  source: z.string().meta({ description: 'css:<event_type> or trtc:<EventGroupId>:<EventType>' }),
  dedupeKey: z.string(),
  occurredAt: ms,
  receivedAt: ms,
  subject: subjectSchema,
  data: z.unknown().meta({ description: "the callback's fields, normalised, by type (docs/events.md)" }),
  summary: z.string(),
  auth: authSchema,
  issues: z.array(issueSchema).optional(),
  classifiedAs: z
    .string()
    .optional()
    .meta({ description: 'on a *.unknown event that failed the schema of a catalog type: that type' }),
  duplicates: z.number().int().min(0),
};

/** A stored event in a list or the live tail. */
export const storedEventSchema = z.object(eventShape).register(apiSchemas, { id: 'Event' });

/** A stored event with its body as received, its kept headers and its deliveries. */
export const eventDetailSchema = (delivery: z.ZodType) =>
  z
    .object({
      ...eventShape,
      payload: z.record(z.string(), z.unknown()).meta({ description: 'the body as parsed JSON' }),
      raw: z.string().meta({ description: 'the body exactly as received, as UTF-8 text' }),
      headers: z.record(z.string(), z.string()),
      deliveries: z.array(delivery),
    })
    .register(apiSchemas, { id: 'EventDetail' });

// The schema describes core's envelope: a field added to, removed from or retyped in one and not the other
// fails to compile here.
type Described = z.output<typeof storedEventSchema>;
type Envelope = Omit<StoredEvent, 'data' | 'type'> & { type: string; data: unknown };
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** Every field required and defined, at every depth: optional `?: T` and `?: T | undefined` compare equal. */
type Fields<T> = T extends object ? { [K in keyof T]-?: Fields<NonNullable<T[K]>> } : T;
const describesEnvelope: Same<Fields<Described>, Fields<Envelope>> = true;
void describesEnvelope;

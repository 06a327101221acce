import { sql } from 'kysely';
import type { KyselyStore } from '../store/kysely-store.js';

/** One forwarding of an event to a sink, as `GET /api/deliveries` lists it. */
export interface EventDelivery {
  id: string;
  eventId: string;
  eventType: string;
  sink: string;
  status: string;
  attempts: number;
  nextAttemptAt: number | null;
  lastError: string | null;
  result: unknown;
  createdAt: number;
  updatedAt: number;
  deliveredAt: number | null;
}

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  sink: string;
  status: string;
  attempts: number | string;
  next_attempt_at: number | string | null;
  last_error: string | null;
  result: string | null;
  created_at: number | string;
  updated_at: number | string;
  delivered_at: number | string | null;
}

function numberOrNull(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function parseResult(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The deliveries of an event from the fan-out outbox (`deliveries`, migration `0003_outbox`), oldest first;
 * empty when the store has no outbox table.
 */
export async function readDeliveries(store: KyselyStore, eventId: string): Promise<EventDelivery[]> {
  let rows: DeliveryRow[];
  try {
    rows = (
      await sql<DeliveryRow>`select id, event_id, event_type, sink, status, attempts, next_attempt_at, last_error,
        result, created_at, updated_at, delivered_at from deliveries where event_id = ${eventId} order by id`.execute(
        store.db,
      )
    ).rows;
  } catch {
    return [];
  }
  return rows.map((row) => ({
    id: row.id,
    eventId: row.event_id,
    eventType: row.event_type,
    sink: row.sink,
    status: row.status,
    attempts: Number(row.attempts),
    nextAttemptAt: numberOrNull(row.next_attempt_at),
    lastError: row.last_error,
    result: parseResult(row.result),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    deliveredAt: numberOrNull(row.delivered_at),
  }));
}

import { createEventId, type LivehooksEvent } from '@livehooks/core';
import { sql, type CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../store/database.js';
import type { DialectProfile } from '../store/dialect-profile.js';
import { compileSinkFilter, type FilterableEvent } from './sink-filter.js';

/** The status of a delivery. `held`: a stale event waiting for release; `disabled`: its sink answered 410. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/** Every status a delivery can have. */
export const DELIVERY_STATUSES = ['pending', 'held', 'delivered', 'dead', 'disabled'] as const;

/** A delivery row to write with its event in the group commit. */
export interface DeliveryDraft {
  id: string;
  eventId: string;
  sink: string;
  status: DeliveryStatus;
}

/** Rows per outbox INSERT statement (4 parameters each). */
const MAX_DRAFTS_PER_INSERT = 500;

/** A sink as the router sees it: a name and a filter. */
export interface RoutableSink {
  name: string;
  matches: (event: FilterableEvent) => boolean;
}

/** Options of {@link createOutboxRouter}. */
export interface OutboxRouterOptions {
  sinks: readonly { name: string; filter?: Parameters<typeof compileSinkFilter>[0] }[];
  /** Deliver stale events at once instead of holding them. */
  releaseStale: boolean;
  /** Sinks disabled by a 410: their new deliveries are written `disabled`. */
  isDisabled?: (sink: string) => boolean;
}

/**
 * Builds the function the group commit calls per event: one {@link DeliveryDraft} per sink whose filter
 * matches. Stale CSS events (expiry `t` passed, https://cloud.tencent.com/document/product/267/32744) are
 * held until released.
 *
 * @example
 * ```ts
 * const route = createOutboxRouter({ sinks: config.sinks, releaseStale: false });
 * const drafts = route(event); // [{ id, eventId, sink: 'ops-webhook', status: 'pending' }]
 * ```
 */
export function createOutboxRouter(options: OutboxRouterOptions): (event: LivehooksEvent) => DeliveryDraft[] {
  const sinks: RoutableSink[] = options.sinks.map((sink) => ({
    name: sink.name,
    matches: compileSinkFilter(sink.filter),
  }));
  return (event) => {
    const drafts: DeliveryDraft[] = [];
    const filterable = event as unknown as FilterableEvent;
    for (const sink of sinks) {
      if (!sink.matches(filterable)) continue;
      const status: DeliveryStatus =
        options.isDisabled?.(sink.name) === true
          ? 'disabled'
          : event.auth.stale && !options.releaseStale
            ? 'held'
            : 'pending';
      drafts.push({ id: createEventId(event.receivedAt), eventId: event.id, sink: sink.name, status });
    }
    return drafts;
  };
}

/**
 * The outbox statements of a group commit: `INSERT INTO deliveries ... SELECT ... FROM (VALUES ...) JOIN
 * events`. The join keeps exactly the drafts whose event this transaction stored: a duplicate's id is never
 * inserted (its dedupe key already exists), so its drafts select nothing, without reading results first.
 */
export function compileOutboxInserts(
  db: Kysely<Database>,
  profile: DialectProfile,
  drafts: readonly DeliveryDraft[],
  now: number,
): CompiledQuery[] {
  const queries: CompiledQuery[] = [];
  // Ids are uuid on PostgreSQL: VALUES parameters arrive as text and are cast for the join and the insert.
  const idType = sql.raw(String(profile.types.id));
  for (let start = 0; start < drafts.length; start += MAX_DRAFTS_PER_INSERT) {
    const rows = drafts
      .slice(start, start + MAX_DRAFTS_PER_INSERT)
      .map((draft) => sql`(${draft.id}, ${draft.eventId}, ${draft.sink}, ${draft.status})`);
    queries.push(
      sql`insert into deliveries (id, event_id, event_type, sink, status, attempts, next_attempt_at, created_at, updated_at)
select cast(v.column1 as ${idType}), e.id, e.type, v.column3, v.column4, 0, cast(${now} as bigint), cast(${now} as bigint), cast(${now} as bigint)
from (values ${sql.join(rows)}) as v
join events e on e.id = cast(v.column2 as ${idType})`.compile(db),
    );
  }
  return queries;
}

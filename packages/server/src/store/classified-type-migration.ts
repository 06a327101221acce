import { classify, type Family } from '@livehooks/core';
import type { Kysely, Migration } from 'kysely';

const BACKFILL_PAGE = 500;

interface UnknownRow {
  id: string;
  family: string;
  payload: unknown;
}

/**
 * Migration `0005_classified_type`: `events.classified_as`, the catalog type a `*.unknown` event matched
 * before it failed that type's schema, with a partial index so the `type` filter of the event list finds
 * such events by the type they were classified as. Stored `*.unknown` events with issues are classified
 * again from their payload.
 */
export function classifiedTypeMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('events').addColumn('classified_as', 'text').execute();
      await db.schema
        .createIndex('events_classified_as_id')
        .on('events')
        .columns(['classified_as', 'id'])
        .where('classified_as', 'is not', null)
        .execute();

      const events = db as unknown as Kysely<{
        events: UnknownRow & { type: string; issues: string | null; classified_as: string | null };
      }>;
      let after: string | undefined;
      for (;;) {
        let select = events
          .selectFrom('events')
          .select(['id', 'family', 'payload'])
          .where('type', 'in', ['css.unknown', 'trtc.unknown'])
          .where('issues', 'is not', null)
          .orderBy('id')
          .limit(BACKFILL_PAGE);
        if (after !== undefined) select = select.where('id', '>', after);
        const rows = await select.execute();
        for (const row of rows) {
          const payload = (
            typeof row.payload === 'string' ? JSON.parse(row.payload) : row.payload
          ) as unknown;
          if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) continue;
          const { type } = classify(row.family as Family, payload as Record<string, unknown>);
          if (type === 'css.unknown' || type === 'trtc.unknown') continue;
          await events.updateTable('events').set({ classified_as: type }).where('id', '=', row.id).execute();
        }
        if (rows.length < BACKFILL_PAGE) break;
        after = rows.at(-1)!.id;
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('events_classified_as_id').execute();
      await db.schema.alterTable('events').dropColumn('classified_as').execute();
    },
  };
}

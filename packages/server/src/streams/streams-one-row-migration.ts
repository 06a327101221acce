import type { Kysely, Migration } from 'kysely';
import type { EventsTable } from '../store/database.js';
import { chunk, ROWS_PER_INSERT } from '../projections/upsert-rows.js';
import { mergeStreams, normaliseStream } from './stream-projection.js';
import type { StreamDatabase, StreamsTable } from './stream-tables.js';

type Db = Kysely<StreamDatabase & { events: Pick<EventsTable, 'id' | 'data'> }>;

/** The `errcode` and `sub_errcode` of a stored disconnect event's data. */
function codesOf(data: string): { errcode: number | null; sub: number | null } {
  const { errcode, sub_errcode } = JSON.parse(data) as { errcode?: unknown; sub_errcode?: unknown };
  const int = (value: unknown) => (Number.isSafeInteger(value) ? (value as number) : null);
  return { errcode: int(errcode), sub: int(sub_errcode) || null };
}

/**
 * Migration `0007_streams_one_row`: `streams` keeps the codes of the latest disconnect (`disconnect_errcode`,
 * `disconnect_sub_errcode`, read from the stored disconnect events), and every row of app `''` (a stream's
 * events that named no app, such as subtitles) is folded into the row of its stream's app, as the streams
 * projection now does as events arrive. A rebuild of the projections gives the same rows.
 */
export function streamsOneRowMigration(): Migration {
  return {
    async up(untyped: Kysely<unknown>) {
      await untyped.schema.alterTable('streams').addColumn('disconnect_errcode', 'integer').execute();
      await untyped.schema.alterTable('streams').addColumn('disconnect_sub_errcode', 'integer').execute();
      const db = untyped as unknown as Db;

      const stopped = await db
        .selectFrom('streams')
        .select(['app_id', 'stream_id', 'last_disconnect_event'])
        .where('last_disconnect_event', 'is not', null)
        .execute();
      for (const part of chunk(stopped, ROWS_PER_INSERT)) {
        const ids = part.map((row) => row.last_disconnect_event!);
        const events = await db.selectFrom('events').select(['id', 'data']).where('id', 'in', ids).execute();
        const codes = new Map(events.map((event) => [event.id, codesOf(event.data)]));
        for (const row of part) {
          const code = codes.get(row.last_disconnect_event!);
          if (code === undefined) continue;
          await db
            .updateTable('streams')
            .set({ disconnect_errcode: code.errcode, disconnect_sub_errcode: code.sub })
            .where('app_id', '=', row.app_id)
            .where('stream_id', '=', row.stream_id)
            .execute();
        }
      }

      const orphans = await db.selectFrom('streams').selectAll().where('app_id', '=', '').execute();
      for (const orphan of orphans) {
        const [target] = await db
          .selectFrom('streams')
          .selectAll()
          .where('stream_id', '=', orphan.stream_id)
          .where('app_id', '<>', '')
          .orderBy('last_event_at', 'desc')
          .orderBy('app_id', 'desc')
          .limit(1)
          .execute();
        if (target === undefined) continue;
        const row: StreamsTable = normaliseStream(target);
        mergeStreams(row, normaliseStream(orphan));
        const { app_id, stream_id, ...columns } = row;
        await db
          .updateTable('streams')
          .set(columns)
          .where('app_id', '=', app_id)
          .where('stream_id', '=', stream_id)
          .execute();
        await db
          .deleteFrom('streams')
          .where('app_id', '=', '')
          .where('stream_id', '=', orphan.stream_id)
          .execute();
      }
    },
  };
}

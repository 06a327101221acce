import type { Kysely, Migration } from 'kysely';

/**
 * Migration `0010_streams_troubled`: a partial index of the streams whose health is not `ok`, so the overview
 * counts the broken and slow streams without reading every stream (`countStreams`).
 */
export function streamsTroubledMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createIndex('streams_troubled')
        .on('streams')
        .column('health')
        .where('health', '<>', 'ok')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropIndex('streams_troubled').execute();
    },
  };
}

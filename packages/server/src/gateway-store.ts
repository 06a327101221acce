import { actionsMigration } from './actions/actions-migration.js';
import { deliveryAttemptsMigration } from './dispatch/delivery-attempts-migration.js';
import { outboxMigration } from './dispatch/outbox-migration.js';
import { overviewMigration } from './events/overview-projection.js';
import { createModerationTables } from './moderation/moderation-tables.js';
import { projectionFailuresMigration } from './projections/projection-failures-migration.js';
import { projectionsMigration } from './projections/projections-migration.js';
import { classifiedTypeMigration } from './store/classified-type-migration.js';
import type { KyselyStore } from './store/kysely-store.js';
import { eventsMigration, type MigrationSet } from './store/migrations.js';
import { openDatabase, type OpenStoreOptions } from './store/open-store.js';
import { createStreamTables } from './streams/stream-tables.js';
import { streamsOneRowMigration } from './streams/streams-one-row-migration.js';
import { streamsTroubledMigration } from './streams/streams-troubled-migration.js';
import { createTaskTables } from './tasks/task-tables.js';
import { createTranscriptTables } from './transcripts/transcript-tables.js';

/**
 * The gateway's migrations: the store's own tables and those of each feature that keeps tables in it, by
 * name. A released name is never renamed or removed: stores record the names they applied.
 */
export const gatewayMigrations: MigrationSet = (profile) => ({
  '0001_events_and_rejections': eventsMigration(profile),
  '0002_projections': projectionsMigration(profile, [
    createStreamTables,
    createModerationTables,
    createTaskTables,
    createTranscriptTables,
  ]),
  '0003_outbox': outboxMigration(profile),
  '0004_projection_failures': projectionFailuresMigration(profile),
  '0005_classified_type': classifiedTypeMigration(),
  '0006_actions': actionsMigration(profile),
  '0007_streams_one_row': streamsOneRowMigration(),
  '0008_delivery_attempts': deliveryAttemptsMigration(profile),
  '0009_overview': overviewMigration(profile),
  '0010_streams_troubled': streamsTroubledMigration(),
});

/**
 * Opens the gateway's store from a database URL: a SQLite path or `sqlite:` URL (the file and its directory
 * are created unless `create` is false; a file that is not a SQLite database fails with
 * `LH_ERR_STORE_UNAVAILABLE`), or a `postgres://` URL (optional `?schema=`). Run {@link KyselyStore.migrate}
 * before use.
 *
 * @example
 * ```ts
 * const store = await openStore(process.env.LIVEHOOKS_DATABASE_URL ?? './data/livehooks.db');
 * await store.migrate();
 * console.log(await store.stats());
 * await pruneGatewayStore(store, { eventRetentionDays: 90 });
 * await store.close();
 * ```
 */
export function openStore(databaseUrl: string, options: OpenStoreOptions = {}): Promise<KyselyStore> {
  return openDatabase(databaseUrl, gatewayMigrations, options);
}

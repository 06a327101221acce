import { createPostgresKysely } from './postgres-dialect.js';
import { parseDatabaseUrl } from './database-url.js';
import { KyselyStore } from './kysely-store.js';
import type { MigrationSet } from './migrations.js';
import { openSqliteKysely } from './sqlite-dialect.js';

/** Options for {@link openDatabase}. */
export interface OpenStoreOptions {
  /** PostgreSQL pool size. Default 10. */
  poolSize?: number;
  /** Resolves relative SQLite paths. Default `process.cwd()`. */
  cwd?: string;
  /**
   * Creates a missing SQLite file and its directory. Default true; false fails with `LH_ERR_STORE_UNAVAILABLE`
   * instead, for tools that only read a store.
   */
  create?: boolean;
  /** Told when an idle PostgreSQL connection fails (the pool replaces it). */
  onIdleError?: (error: Error) => void;
}

/**
 * Opens a store from a database URL, with the migrations of the tables kept in it: a SQLite path or `sqlite:` URL (the file and its directory
 * are created unless `create` is false; a file that is not a SQLite database fails with
 * `LH_ERR_STORE_UNAVAILABLE`), or a `postgres://` URL (optional `?schema=`). Run {@link KyselyStore.migrate}
 * before use.
 *
 * @example
 * ```ts
 * const store = await openDatabase('./data/events.db', (profile) => ({ '0001_events': eventsMigration(profile) }));
 * await store.migrate();
 * await store.close();
 * ```
 */
export async function openDatabase(
  databaseUrl: string,
  migrations: MigrationSet,
  options: OpenStoreOptions = {},
): Promise<KyselyStore> {
  const location = parseDatabaseUrl(databaseUrl, options.cwd);
  const { db, profile } =
    location.dialect === 'sqlite'
      ? await openSqliteKysely(location.path, { create: options.create ?? true })
      : createPostgresKysely({
          connectionString: location.connectionString,
          schema: location.schema,
          ...(options.poolSize === undefined ? {} : { poolSize: options.poolSize }),
          ...(options.onIdleError === undefined ? {} : { onIdleError: options.onIdleError }),
        });
  return new KyselyStore(db, profile, migrations);
}

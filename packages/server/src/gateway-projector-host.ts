import type { Database as Connection } from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { gatewayProjections } from './gateway-projections.js';
import type { HostedProjectorRequest, HostedProjectorMessage } from './projections/hosted-projector.js';
import { Projector } from './projections/projector.js';
import type { Database } from './store/database.js';
import { KyselyStore } from './store/kysely-store.js';
import { sqliteProfile } from './store/sqlite-dialect.js';

/** What the SQLite worker gives a module it hosts (`SqliteWorkerDialect.host`). */
interface HostContext {
  database: Connection;
  options: { description: string };
  post: (body: HostedProjectorMessage) => void;
  runExclusive: <T>(work: () => Promise<T>) => Promise<T>;
}

/**
 * The gateway's projector on the SQLite worker thread, beside the connection: it reads the queued events and
 * writes the projections there, each page alone on the connection between group commits, with no round trip
 * to the gateway's event loop per statement. Its failures and set-aside events are posted to the gateway,
 * which logs and counts them ({@link HostedProjector}).
 */
export function hostInWriter(context: HostContext): {
  handle(body: HostedProjectorRequest): Promise<unknown>;
} {
  const { database, post, runExclusive } = context;
  // Kysely's own SQLite dialect over the worker's connection: statements run synchronously underneath.
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  const profile = { ...sqliteProfile(''), description: context.options.description };
  const store = new KyselyStore(db, profile, () => ({}));
  const projector = new Projector(store, gatewayProjections, {
    runPage: runExclusive,
    onError: (error) =>
      post({
        error: {
          message: error instanceof Error ? error.message : String(error),
          code: (error as { code?: unknown } | null)?.code,
        },
      }),
    onSetAside: (failure) => post({ setAside: failure }),
  });
  // Events committed while no gateway ran (or before a crash) are still queued: apply them now.
  projector.schedule();
  return {
    async handle(body) {
      switch (body.kind) {
        case 'schedule':
          projector.schedule();
          return undefined;
        case 'retry':
          return projector.retry(body.eventId);
        case 'idle':
          return projector.idle();
        case 'close':
          return projector.close();
      }
    },
  };
}

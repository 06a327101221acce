import { isLivehooksError } from '@livehooks/core';
import type { KyselyStore, ServerConfig } from '@livehooks/server';
import { Command, Option } from 'commander';
import { CliError } from '../_cli-error.js';
import { addConfigFlags, CONFIG_FLAGS, configFromFlags } from '../_config-flags.js';
import { formatTime, printJson, printLine, printNote, style } from '../_output.js';
import { isStoreUnreachable } from '../_store-error.js';
import { withHelp } from '../_command-help.js';
import { exitCodes } from '../exit-codes.js';

/** The configuration a store command needs: where the database is, and the retention. */
const STORE_FLAGS = CONFIG_FLAGS.filter(
  (flag) => flag.key === 'databaseUrl' || flag.key === 'dataDir' || flag.key.startsWith('retention.'),
);

interface DbFlags extends Record<string, unknown> {
  config?: string;
  json?: boolean;
}

type Store = KyselyStore;
type Config = ServerConfig;

/**
 * Opens the configured store, runs `work`, closes it; a store that cannot be opened or reached exits 8. A
 * missing SQLite file is created only when `create` is set.
 */
async function withStore<T>(
  flags: DbFlags,
  options: { create: boolean },
  work: (store: Store, description: string, config: Config) => Promise<T>,
): Promise<T> {
  const { loadConfig, openStore, redactDatabaseUrl } = await import('@livehooks/server');
  const config = loadConfig({
    env: process.env,
    ...(flags.config === undefined ? {} : { file: flags.config }),
    flags: configFromFlags(flags, STORE_FLAGS),
  });
  const description = redactDatabaseUrl(config.databaseUrl);
  let store: Store;
  try {
    store = await openStore(config.databaseUrl, options);
  } catch (cause) {
    // The store's own errors name the file and what is wrong with it.
    if (isLivehooksError(cause)) throw cause;
    throw new CliError(
      exitCodes.config,
      `cannot open the store ${description}: ${(cause as Error).message}`,
      { cause },
    );
  }
  try {
    return await work(store, description, config);
  } catch (cause) {
    if (isStoreUnreachable(cause)) {
      throw new CliError(
        exitCodes.config,
        `cannot use the store ${description}: ${(cause as { code: string }).code}`,
        {
          cause,
        },
      );
    }
    throw cause;
  } finally {
    await store.close();
  }
}

async function migrate(flags: DbFlags): Promise<void> {
  const result = await withStore(flags, { create: true }, async (store, description) => ({
    description,
    ...(await store.migrate()),
  }));
  if (flags.json) printJson(result);
  else if (result.applied.length === 0) printLine(`${result.description}: up to date`);
  else printLine(`${result.description}: applied ${result.applied.join(', ')}`);
}

async function prune(flags: DbFlags): Promise<void> {
  const result = await withStore(flags, { create: true }, async (store, description, { retention }) => {
    await store.migrate();
    const { pruneGatewayStore } = await import('@livehooks/server');
    const deleted = await pruneGatewayStore(store, {
      ...(retention.eventDays === undefined ? {} : { eventRetentionDays: retention.eventDays }),
      rejectionRetentionDays: retention.rejectionDays,
      rejectionMaxRows: retention.rejectionMaxRows,
    });
    return { description, retention, deleted };
  });
  if (flags.json) {
    printJson(result);
    return;
  }
  const { deleted, retention } = result;
  printLine(
    `${result.description}: deleted ${deleted.events} event${deleted.events === 1 ? '' : 's'} and ${deleted.rejections} rejection record${deleted.rejections === 1 ? '' : 's'}`,
  );
  printLine(
    style(
      'dim',
      `  retention: events ${retention.eventDays === undefined ? 'kept forever' : `${retention.eventDays} days`}, rejections ${retention.rejectionDays} days and at most ${retention.rejectionMaxRows}`,
    ),
  );
}

async function stats(flags: DbFlags): Promise<void> {
  // Reading never creates a store nor changes its schema.
  const result = await withStore(flags, { create: false }, async (store, description) => {
    const { applied, pending } = await store.migrations();
    if (applied.length === 0) {
      throw new CliError(
        exitCodes.config,
        `${description} holds no livehooks store yet: livehooks serve or livehooks db migrate creates one`,
      );
    }
    if (pending.length > 0) {
      printNote(
        `${description} lacks ${pending.length} migration${pending.length === 1 ? '' : 's'} (livehooks db migrate applies them)`,
      );
    }
    return store.stats();
  });
  if (flags.json) {
    printJson(result);
    return;
  }
  const { events, rejections } = result;
  printLine(`${style('bold', result.description)} (${result.dialect})`);
  printLine(
    `events      ${events.total}  (${events.duplicates} duplicate deliveries absorbed, ${events.stale} stale)`,
  );
  if (events.oldestReceivedAt !== null && events.newestReceivedAt !== null) {
    printLine(`received    ${formatTime(events.oldestReceivedAt)} .. ${formatTime(events.newestReceivedAt)}`);
  }
  const width = Math.max(0, ...Object.keys(events.byType).map((type) => type.length));
  for (const [type, count] of Object.entries(events.byType).sort(([, a], [, b]) => b - a)) {
    printLine(`  ${type.padEnd(width)}  ${count}`);
  }
  printLine(`rejections  ${rejections.total}`);
  for (const [reason, count] of Object.entries(rejections.byReason).sort(([, a], [, b]) => b - a)) {
    printLine(`  ${reason}  ${count}`);
  }
}

function storeCommand(name: string, description: string, examples: string[]): Command {
  const command = addConfigFlags(new Command(name).description(description), STORE_FLAGS);
  command.addOption(new Option('--json', 'print the result as JSON'));
  return withHelp(command, {
    notes: [
      "The store is the gateway's, from the same configuration: LIVEHOOKS_DATABASE_URL (or --database-url), else <data-dir>/livehooks.db.",
    ],
    examples,
    exitCodes: [
      [exitCodes.ok, 'done'],
      [exitCodes.failure, 'unexpected failure'],
      [
        exitCodes.config,
        'invalid configuration, or the store is missing (stats), not a database or unreachable',
      ],
    ],
  });
}

/**
 * `livehooks db migrate|prune|stats`: maintenance of the configured store, with the gateway's own
 * configuration (environment, config file, flags).
 *
 * @example
 * ```sh
 * LIVEHOOKS_DATABASE_URL=postgres://db/livehooks livehooks db stats
 * ```
 */
export function createDbCommand(): Command {
  return new Command('db')
    .description("Maintain the gateway's store: migrate, prune, stats")
    .addCommand(
      storeCommand('migrate', 'Apply pending migrations (serve also does on start)', [
        'livehooks db migrate',
        'livehooks db migrate --database-url postgres://user:pass@db:5432/livehooks',
      ]).action(async (flags: DbFlags) => migrate(flags)),
    )
    .addCommand(
      storeCommand(
        'prune',
        'Apply retention: rejection records past their age or count, events past --retention-event-days',
        [
          'livehooks db prune --retention-event-days 90',
          'LIVEHOOKS_REJECTION_MAX_ROWS=1000 livehooks db prune --json',
        ],
      ).action(async (flags: DbFlags) => prune(flags)),
    )
    .addCommand(
      storeCommand(
        'stats',
        'Count stored events by type, duplicates, stale callbacks and rejections; never creates nor migrates the store',
        ['livehooks db stats', 'livehooks db stats --data-dir /var/lib/livehooks --json'],
      ).action(async (flags: DbFlags) => stats(flags)),
    );
}

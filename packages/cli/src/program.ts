import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { exitCodeOf } from './_cli-error.js';
import { exitWhenOutputCloses, printNote } from './_output.js';
import { createBenchCommand } from './commands/bench.js';
import { createDbCommand } from './commands/db.js';
import { createDeliveriesCommand } from './commands/deliveries.js';
import { createEventsCommand } from './commands/events.js';
import { createListenCommand } from './commands/listen.js';
import { createReplayCommand } from './commands/replay.js';
import { createSendCommand } from './commands/send.js';
import { createServeCommand } from './commands/serve.js';
import { createTailCommand } from './commands/tail.js';
import { createTriggerCommand } from './commands/trigger.js';
import { createVerifyCommand } from './commands/verify.js';
import { exitCodeMeanings, exitCodes } from './exit-codes.js';

/** Start the gateway, trigger a few events, open the dashboard: the README's tour. */
export const TOUR: readonly (readonly [string, string])[] = [
  ['npx livehooks serve --dev', 'the gateway on http://127.0.0.1:8080, accepting the test keys'],
  [
    'npx livehooks trigger css.moderation.image --count 5',
    'signed sample callbacks, sent as Tencent sends them',
  ],
  ['open http://127.0.0.1:8080/', 'the dashboard (or: npx livehooks tail, npx livehooks events list)'],
];

const TOUR_WIDTH = Math.max(...TOUR.map(([command]) => command.length));

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

/**
 * Builds the `livehooks` command with all its subcommands, without running it.
 *
 * @example
 * ```ts
 * createProgram().helpInformation(); // the top-level --help text
 * ```
 */
export function createProgram(): Command {
  const program = new Command('livehooks')
    .description('Receive, reproduce and inspect Tencent Cloud CSS and TRTC callbacks')
    .version(version, '-v, --version')
    .showHelpAfterError('(add --help for usage and examples)')
    .exitOverride()
    .addCommand(createServeCommand())
    .addCommand(createTriggerCommand())
    .addCommand(createSendCommand())
    .addCommand(createVerifyCommand())
    .addCommand(createTailCommand())
    .addCommand(createListenCommand())
    .addCommand(createEventsCommand())
    .addCommand(createReplayCommand())
    .addCommand(createDeliveriesCommand())
    .addCommand(createDbCommand())
    .addCommand(createBenchCommand())
    .addHelpText(
      'after',
      `
Quick tour, in two terminals:
${TOUR.map(([command, comment]) => `  $ ${command.padEnd(TOUR_WIDTH)}  # ${comment}`).join('\n')}

Exit codes:
${Object.entries(exitCodeMeanings)
  .map(([code, meaning]) => `  ${code}  ${meaning}`)
  .join('\n')}

Each command has --help with examples; docs/cli.md has them all.`,
    );
  // Subcommands added with addCommand do not inherit these settings.
  const configure = (command: Command): void => {
    command.exitOverride().showHelpAfterError('(add --help for usage and examples)');
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

/**
 * Runs the `livehooks` command with the given arguments (without the node and script paths) and
 * resolves with its exit code; errors are printed in one line, never with a secret.
 *
 * @example
 * ```ts
 * process.exitCode = await runCli(process.argv.slice(2));
 * ```
 */
export async function runCli(args: readonly string[]): Promise<number> {
  exitWhenOutputCloses();
  const program = createProgram();
  try {
    await program.parseAsync([...args], { from: 'user' });
    return Number(process.exitCode ?? exitCodes.ok);
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed the message or the help already.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    // One note per line: a message listing several problems stays readable (each line is still escaped).
    const [first = '', ...rest] = (error instanceof Error ? error.message : String(error)).split('\n');
    printNote(`livehooks: ${first}`);
    for (const line of rest) printNote(line);
    const code = exitCodeOf(error);
    if (code === exitCodes.failure && error instanceof Error && error.stack && process.env.LIVEHOOKS_DEBUG) {
      for (const line of error.stack.split('\n')) printNote(line);
    }
    return code;
  }
}

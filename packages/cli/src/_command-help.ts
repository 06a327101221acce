import type { Command } from 'commander';
import type { ExitCode } from './exit-codes.js';

/** What `--help` prints after the options, and `docs/cli.md` renders for a command. */
export interface CommandHelp {
  /** Paragraphs on how the command behaves. */
  notes?: readonly string[];
  /** Command lines, without the `$ ` prompt. */
  examples: readonly string[];
  /** The exit codes the command uses and what each means for it, in order. */
  exitCodes: readonly (readonly [ExitCode, string])[];
}

const helps = new WeakMap<Command, CommandHelp>();

function wrap(text: string, width = 96): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines.join('\n');
}

/** Attaches notes, examples and exit codes to a command's `--help`, and keeps them for the docs. */
export function withHelp(command: Command, help: CommandHelp): Command {
  helps.set(command, help);
  const sections = [
    ...(help.notes ?? []).map((note) => wrap(note)),
    `Examples:\n${help.examples.map((example) => `  $ ${example}`).join('\n')}`,
    wrap(`Exit codes: ${help.exitCodes.map(([code, meaning]) => `${code} ${meaning}`).join(', ')}.`),
  ];
  return command.addHelpText('after', `\n${sections.join('\n\n')}`);
}

/** The help attached with {@link withHelp}, if any. */
export function helpOf(command: Command): CommandHelp | undefined {
  return helps.get(command);
}

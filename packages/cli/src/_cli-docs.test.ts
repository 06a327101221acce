import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { renderCliDocs } from './_cli-docs.js';
import { helpOf } from './_command-help.js';
import { createProgram } from './program.js';

function leaves(command: Command): Command[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leaves);
}

describe('the livehooks command documentation', () => {
  it('gives every command examples and its exit codes', () => {
    const commands = createProgram().commands.flatMap(leaves);
    expect(commands.map((command) => command.name())).toEqual(
      expect.arrayContaining([
        'serve',
        'trigger',
        'send',
        'verify',
        'tail',
        'list',
        'show',
        'export',
        'replay',
        'migrate',
        'prune',
        'stats',
        'bench',
      ]),
    );
    for (const command of commands) {
      const help = helpOf(command);
      expect(help?.examples.length, command.name()).toBeGreaterThan(0);
      expect(
        help?.exitCodes.map(([code]) => code),
        command.name(),
      ).toContain(0);
      expect(command.description().length, command.name()).toBeGreaterThan(0);
    }
  });

  it('docs/cli.md is the rendering of the command definitions', async () => {
    // Formatted as `npm run format:check` expects the file to be.
    const path = fileURLToPath(new URL('../../../docs/cli.md', import.meta.url));
    const options = await prettier.resolveConfig(path);
    const markdown = await prettier.format(renderCliDocs(createProgram()), { ...options, filepath: path });
    await expect(markdown).toMatchFileSnapshot(path);
  });
});

import { readFile } from 'node:fs/promises';
import { CliError } from './_cli-error.js';
import { exitCodes } from './exit-codes.js';

/** Reads a whole file, or standard input for `-`, as raw bytes (never decoded: signatures cover bytes). */
export async function readInput(file: string): Promise<Buffer> {
  if (file === '-') {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }
  try {
    return await readFile(file);
  } catch (cause) {
    throw new CliError(
      exitCodes.usage,
      `cannot read ${file}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}`,
      {
        cause,
      },
    );
  }
}

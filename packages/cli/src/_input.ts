import { readFile } from 'node:fs/promises';
import { CliError } from './_cli-error.js';
import { exitCodes } from './exit-codes.js';

/** What a file system error code means for a file the user named, with the code. */
function describeReadError(code: string | undefined): string | undefined {
  if (code === 'ENOENT') return 'no such file (ENOENT)';
  if (code === 'EACCES') return 'permission denied (EACCES)';
  if (code === 'EISDIR') return 'is a directory, not a file (EISDIR)';
  return code;
}

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
      `cannot read ${file}: ${describeReadError((cause as NodeJS.ErrnoException).code) ?? String(cause)}`,
      {
        cause,
      },
    );
  }
}

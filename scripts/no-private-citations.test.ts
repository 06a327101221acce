import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The name of an internal notes file that users do not have; cite Tencent's pages or docs/ instead. */
const PRIVATE_NOTES = ['PROTOCOL', 'md'].join('.');

describe('citations', () => {
  it('never name the internal protocol notes in a tracked file', () => {
    const files = execFileSync('git', ['ls-files', '-z'], { cwd: root, encoding: 'utf8' })
      .split('\0')
      .filter((file) => file !== '' && existsSync(`${root}${file}`));
    expect(files.length).toBeGreaterThan(100);
    const citing = files.filter((file) => readFileSync(`${root}${file}`).includes(PRIVATE_NOTES));
    expect(citing).toEqual([]);
  });
});

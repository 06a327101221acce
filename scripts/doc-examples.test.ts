import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { freshSample, sendCallback, TEST_KEYS } from '@livehooks/fixtures';

/**
 * Every TypeScript and JavaScript example of README.md and docs/*.md, type-checked against the workspace
 * packages' sources. A block preceded by `<!-- example: run; trigger <type>, ... -->` is a whole program: it
 * runs with the published test keys in its environment (`CSS_CALLBACK_KEY`, `TRTC_CALLBACK_KEY`) and a free
 * `PORT`, receives a fresh signed callback of each listed type, and must answer each with 200 and print a
 * line from its handler for each. Any other block is a fragment: names it uses without defining them are
 * imported from the workspace package that exports them, or declared as `any`, and the rest must type-check.
 */

const root = fileURLToPath(new URL('../', import.meta.url));
const PACKAGES = ['@livehooks/core', '@livehooks/server', '@livehooks/fixtures'] as const;

interface Example {
  /** `README.md:42`: where the block starts. */
  where: string;
  code: string;
  /** Event types a runnable example receives; undefined for a fragment. */
  trigger?: string[];
}

function examplesOf(file: string): Example[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const examples: Example[] = [];
  for (let index = 0; index < lines.length; index++) {
    if (!/^```(ts|typescript|js|javascript|mjs)\s*$/.test(lines[index]!)) continue;
    const end = lines.indexOf('```', index + 1);
    const marker = lines
      .slice(0, index)
      .reverse()
      .find((line) => line.trim() !== '');
    const run = /^<!-- example: run; trigger ([\w.*, ]+) -->$/.exec(marker?.trim() ?? '');
    examples.push({
      where: `${file}:${index + 1}`,
      code: lines.slice(index + 1, end).join('\n'),
      ...(run ? { trigger: run[1]!.split(',').map((type) => type.trim()) } : {}),
    });
    index = end;
  }
  return examples;
}

const examples = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
].flatMap(examplesOf);

// Inside the repository, so that `@livehooks/*` resolve to the workspace packages.
const dir = mkdtempSync(join(root, 'scripts/.doc-examples-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fileOf = (example: Example, index: number): string =>
  join(dir, `${example.where.replace(/[^\w]+/g, '-')}-${index}.ts`);

const compilerOptions: ts.CompilerOptions = {
  ...ts.convertCompilerOptionsFromJson(
    (
      ts.readConfigFile(join(root, 'tsconfig.base.json'), (path) => ts.sys.readFile(path)).config as {
        compilerOptions: object;
      }
    ).compilerOptions,
    root,
  ).options,
  // Type-check against the sources, as the tests run them; the built declarations may be stale.
  customConditions: ['source'],
  noEmit: true,
  composite: false,
  declaration: false,
  declarationMap: false,
  sourceMap: false,
  allowImportingTsExtensions: true,
};

const host = ts.createCompilerHost(compilerOptions);
const parsed = new Map<string, ts.SourceFile | undefined>();
const getSourceFile = host.getSourceFile.bind(host);
// The workspace sources and libraries are parsed once for both passes; the examples are read afresh.
host.getSourceFile = (fileName, ...rest) => {
  if (fileName.startsWith(dir)) return getSourceFile(fileName, ...rest);
  if (!parsed.has(fileName)) parsed.set(fileName, getSourceFile(fileName, ...rest));
  return parsed.get(fileName);
};

/** One program for every example, so the workspace sources are checked once per pass. */
function diagnosticsOf(files: readonly string[]): ts.Diagnostic[] {
  const program = ts.createProgram({ rootNames: files, options: compilerOptions, host });
  return files.flatMap((file) => [
    ...program.getSyntacticDiagnostics(program.getSourceFile(file)),
    ...program.getSemanticDiagnostics(program.getSourceFile(file)),
  ]);
}

/** Cannot find name `x` (with or without a suggestion), and `{ x }` with no `x` in scope. */
const CANNOT_FIND_NAME = new Set([2304, 2552, 2582, 18004]);

/** A fragment made whole: the names it leaves undefined imported from the package exporting them, else `any`. */
async function completed(code: string, missing: ReadonlySet<string>): Promise<string> {
  const modules = await Promise.all(PACKAGES.map(async (name) => [name, await import(name)] as const));
  const imports = new Map<string, string[]>();
  const declared: string[] = [];
  for (const name of missing) {
    const from = modules.find(([, exports]) => name in (exports as object))?.[0];
    if (from) imports.set(from, [...(imports.get(from) ?? []), name]);
    else declared.push(name);
  }
  return [
    ...[...imports].map(([from, names]) => `import { ${names.join(', ')} } from '${from}';`),
    ...declared.map((name) => `declare const ${name}: any;`),
    code,
    'export {};',
  ].join('\n');
}

function format(diagnostics: readonly ts.Diagnostic[]): string {
  return diagnostics
    .map((d) => {
      const where =
        d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
      return `${where ? `line ${where.line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
    })
    .join('\n');
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('code examples of README.md and docs/', () => {
  it('finds the examples, the README receiver among the runnable ones', () => {
    expect(examples.length).toBeGreaterThan(5);
    expect(examples.find((example) => example.where.startsWith('README.md'))?.trigger).toBeDefined();
  });

  it('name the published test keys as @livehooks/fixtures defines them', () => {
    for (const file of ['README.md', 'docs/cli.md', 'docs/receiver.md']) {
      const text = readFileSync(join(root, file), 'utf8');
      for (const value of [TEST_KEYS.css, TEST_KEYS.trtc.sdkAppId, TEST_KEYS.trtc.key])
        expect(text, file).toContain(value);
    }
  });

  it('type-check against the workspace packages', async () => {
    const files = examples.map((example, index) => {
      const file = fileOf(example, index);
      writeFileSync(file, `${example.code}\nexport {};\n`);
      return file;
    });
    // First pass: which names each fragment leaves undefined. Runnable examples must define everything.
    const first = diagnosticsOf(files);
    await Promise.all(
      examples.map(async (example, index) => {
        if (example.trigger) return;
        const file = files[index]!;
        const missing = new Set(
          first
            .filter((d) => d.file?.fileName === file && CANNOT_FIND_NAME.has(d.code))
            .map((d) => d.file!.text.slice(d.start, d.start! + d.length!)),
        );
        if (missing.size > 0) writeFileSync(file, await completed(example.code, missing));
      }),
    );
    const second = diagnosticsOf(files);
    const problems = examples
      .map((example, index) => {
        const diagnostics = second.filter((d) => d.file?.fileName === files[index]);
        return diagnostics.length === 0 ? '' : `${example.where}\n${format(diagnostics)}`;
      })
      .filter(Boolean);
    expect(problems.join('\n\n')).toBe('');
  }, 120_000);

  for (const example of examples.filter((candidate) => candidate.trigger)) {
    it(`runs ${example.where} and its handlers fire on triggered callbacks`, async () => {
      const file = fileOf(example, examples.indexOf(example)).replace(/\.ts$/, '.run.ts');
      writeFileSync(file, example.code);
      const port = await freePort();
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions', 'source', file], {
        cwd: root,
        env: {
          ...process.env,
          PORT: String(port),
          CSS_CALLBACK_KEY: TEST_KEYS.css,
          TRTC_CALLBACK_KEY: TEST_KEYS.trtc.key,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      try {
        const url = `http://127.0.0.1:${port}/`;
        for (let tries = 0; ; tries++) {
          const probe = await fetch(url, { method: 'OPTIONS' }).catch(() => undefined);
          if (probe) break;
          if (child.exitCode !== null || tries > 200)
            throw new Error(`the example never listened\n${stderr}`);
          await sleep(50);
        }
        for (const type of example.trigger!) {
          const printed = stdout.split('\n').length;
          const { body, headers } = freshSample(type);
          const result = await sendCallback({ url, body, headers, noRetry: true });
          expect(result.attempts[0], `${type}: ${stderr}`).toMatchObject({ status: 200 });
          for (let tries = 0; stdout.split('\n').length === printed && tries < 100; tries++) await sleep(20);
          expect(stdout.split('\n').length, `the handler of ${type} printed nothing`).toBeGreaterThan(
            printed,
          );
        }
      } finally {
        child.kill();
      }
    }, 30_000);
  }
});

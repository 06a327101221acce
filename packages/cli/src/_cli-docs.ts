import { retryPolicies } from '@livehooks/fixtures';
import type { Command, Option } from 'commander';
import { helpOf } from './_command-help.js';
import { exitCodeMeanings } from './exit-codes.js';
import { TOUR } from './program.js';

const GENERATED =
  '<!-- Generated from packages/cli/src (the command definitions and _cli-docs.ts). Edit those, then run: npx vitest run packages/cli/src/_cli-docs.test.ts --update -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function fullName(command: Command): string {
  const names: string[] = [];
  for (let current: Command | null = command; current; current = current.parent)
    names.unshift(current.name());
  return names.join(' ');
}

function seconds(ms: number): string {
  return ms % 60_000 === 0 && ms > 0 ? `${ms / 60_000} min` : `${ms / 1000} s`;
}

function optionRow(option: Option): string {
  // Repeatable options start empty: no default worth showing.
  const shown = JSON.stringify(option.defaultValue);
  const defaultValue = shown === undefined || shown === '[]' || shown === '{}' ? '' : `\`${shown}\``;
  const environment = option.envVar ? ` (env \`${option.envVar}\`)` : '';
  const choices = option.argChoices ? ` One of: ${option.argChoices.join(', ')}.` : '';
  return `| \`${cell(option.flags)}\` | ${cell(option.description)}${environment}${choices} | ${defaultValue} |`;
}

function renderCommand(command: Command, level: number): string[] {
  const heading = '#'.repeat(level);
  const lines = [`${heading} \`${fullName(command)}\``, '', command.description(), ''];
  if (command.commands.length > 0) {
    for (const sub of command.commands) lines.push(...renderCommand(sub, level + 1));
    return lines;
  }
  lines.push('```', `${fullName(command)} ${command.usage()}`, '```', '');
  const args = command.registeredArguments;
  if (args.length > 0) {
    lines.push('| Argument | Description |', '|---|---|');
    for (const arg of args) {
      lines.push(
        `| \`${arg.required ? `<${arg.name()}>` : `[${arg.name()}]`}\` | ${cell(arg.description)} |`,
      );
    }
    lines.push('');
  }
  const options = command.options.filter((option) => option.long !== '--help');
  if (options.length > 0) {
    lines.push('| Option | Description | Default |', '|---|---|---|', ...options.map(optionRow), '');
  }
  const help = helpOf(command);
  if (help) {
    for (const note of help.notes ?? []) lines.push(note, '');
    lines.push('Examples:', '', '```sh', ...help.examples, '```', '');
    lines.push('| Exit code | Meaning |', '|---|---|');
    for (const [code, meaning] of help.exitCodes) lines.push(`| ${code} | ${cell(meaning)} |`);
    lines.push('');
  }
  return lines;
}

/**
 * `docs/cli.md`, rendered from the command definitions themselves (options, defaults, examples,
 * exit codes) and the sender's retry policies, so the page cannot drift from `--help`.
 */
export function renderCliDocs(program: Command): string {
  const lines = [
    GENERATED,
    '',
    '# The `livehooks` command',
    '',
    'One command for everything around Tencent Cloud CSS and TRTC callbacks: run the gateway (`serve`), reproduce callbacks exactly as Tencent sends them, retries included (`trigger`, `send`), explain signature failures (`verify`), watch and query what a gateway stored (`tail`, `events`), move stored callbacks to another receiver (`replay`), maintain the store (`db`) and measure ingest (`bench`).',
    '',
    'It is the `livehooks` package of this repository: after `npm ci`, run it as `npx livehooks ...` from the repository root. Every command prints `--help` with examples.',
    '',
    '## Quick tour',
    '',
    'In one terminal, start the gateway; in another, send it a few callbacks; then look at them:',
    '',
    '```sh',
    ...TOUR.map(([command, comment]) => `${command.padEnd(54)}# ${comment}`),
    '```',
    '',
    '`--dev` makes the gateway also accept the published test keys that `trigger` signs with by default, and listen on 127.0.0.1 only. Never use it where Tencent or the internet can reach the gateway: configure your real keys (`LIVEHOOKS_CSS_KEYS`, `LIVEHOOKS_TRTC_KEYS`) instead, and pass the same keys to `trigger` (`--key`, `--trtc-key`, `--sdk-app-id`, or the same variables).',
    '',
    '## Conventions',
    '',
    '- **Output.** Results go to standard output, diagnostics and progress bars to standard error. `--json` prints data as JSON (NDJSON for `tail --json` and `events export`). Progress bars appear only on a terminal. `NO_COLOR` turns colours off. Control characters in what a callback, a gateway or a receiver sent (terminal escape sequences, `\\r`, bidirectional overrides such as U+202E) are shown escaped (`\\x1b`, `\\r`, `\\u202e`) in human output and as `\\u` escapes in JSON, so stored text cannot drive the terminal; only `events show --raw` prints the bytes as they are. A reader that goes away (`livehooks events list | head -1`) ends the command quietly with exit code 0.',
    "- **Gateway connection** (`tail`, `events`, `replay`): `--server`, else `LIVEHOOKS_SERVER`, else `http://127.0.0.1:8080`. The API token is the first found of: `--token`; `LIVEHOOKS_API_TOKEN`; `<data-dir>/api-token` of the gateway's configuration (`LIVEHOOKS_CONFIG`, `LIVEHOOKS_DATA_DIR`, else `./data`); the token file `serve` recorded for that URL in `$XDG_CONFIG_HOME/livehooks/gateways.json` (else `~/.config/livehooks/gateways.json`; it holds paths, never tokens). `--verbose` says which source was used.",
    "- **Keys** (`trigger`, `send --sign`, `verify`): flags first, then the gateway's own variables `LIVEHOOKS_CSS_KEYS` (comma-separated) and `LIVEHOOKS_TRTC_KEYS` (`sdkappid:key`, comma-separated). `trigger` and `send` fall back to the published test keys; `verify` never does. Keys never appear in any output.",
    '- **Times** (`--since`, `--until`, `--at`): unix seconds or milliseconds, an ISO 8601 date, or a duration back from now such as `15m`, `2h`, `7d`.',
    '',
    '## Exit codes',
    '',
    'Stable across releases, so scripts can branch on them:',
    '',
    '| Code | Meaning |',
    '|---|---|',
    ...Object.entries(exitCodeMeanings).map(([code, meaning]) => `| ${code} | ${cell(meaning)} |`),
    '',
    "## Tencent's retry policies",
    '',
    "`trigger`, `send` and `replay --retry` retry like Tencent's sender ([TRTC](https://trtc.io/document/39558), [CSS](https://cloud.tencent.com/document/product/267/32744)): only HTTP 200 counts as delivered; any other status, a refused connection or a reply slower than the timeout is retried. `--retry-scale` multiplies the intervals and the age limit (0.001 turns minutes into tens of milliseconds); `--timeout` overrides the reply timeout.",
    '',
    '| Policy | Applies to | Timeout | First retry | Then every | Retries | Age limit |',
    '|---|---|---|---|---|---|---|',
    ...Object.values(retryPolicies).map(
      (policy) =>
        `| \`${policy.id}\` | ${cell(policy.description.split(':')[0]!)} | ${seconds(policy.timeoutMs)} | ${policy.firstRetryDelayMs === 0 ? 'at once' : `after ${seconds(policy.firstRetryDelayMs)}`} | ${seconds(policy.intervalMs)} | ${'maxRetries' in policy ? policy.maxRetries : 'until the age limit'} | ${'maxAgeMs' in policy ? seconds(policy.maxAgeMs) : ''} |`,
    ),
    '',
    'CSS event types without a policy of their own get the CSS general one (`css-standard`). The pages of 338 and 347 say "3 attempts in total" without an interval; 1 minute, the CSS family\'s usual interval, is assumed.',
    '',
    '## The sender as a library',
    '',
    'The emulator behind `trigger` and `send` is exported by `@livehooks/fixtures`, to test your own receiver in your own test suite, retries included:',
    '',
    '```ts',
    "import { createSender, freshSample, sendCallback } from '@livehooks/fixtures';",
    '',
    "const sender = createSender({ url: 'http://127.0.0.1:3000/callbacks', cssKey: 'my-css-key', retryScale: 0.001 });",
    "const result = await sender.trigger('css.moderation.image', { overrides: { streamId: 'room42' } });",
    'expect(result.delivered).toBe(true);',
    'expect(result.attempts.map((attempt) => attempt.status)).toEqual([200]);',
    'sender.close();',
    '',
    '// Or build the request yourself and send it once, or with the policy of its type:',
    "const { body, headers } = freshSample('trtc.moderation.result', { trtcKey: 'my-trtc-key', sdkAppId: '1400000001' });",
    "await sendCallback({ url: 'http://127.0.0.1:3000/callbacks', body, headers, retryScale: 0.001 });",
    '```',
    '',
    '`freshSample(type, options)` starts from a fixture sample, gives it fresh stream, task and message ids (rewritten where URLs and file names embed them), moves its times to now (keeping the gaps between them), applies `overrides` by dot path, and signs it as Tencent does: CSS `t` = event time + 10 min and `sign` = md5(key + t) in the body (an overridden `t` or `sign` is kept as given), TRTC `Sign` over the bytes printed the way Tencent prints them (tabs and newlines), with the `SdkAppId` header.',
    '',
    '## Commands',
    '',
  ];
  for (const command of program.commands) {
    if (command.name() === 'help') continue;
    lines.push(...renderCommand(command, 3));
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

import { setMaxListeners } from 'node:events';
import { catalog, getEventDefinition, parseCallback } from '@livehooks/core';
import {
  createSender,
  freshSample,
  loadSamples,
  parseSetting,
  type Attempt,
  type FreshSample,
  type RetryWait,
} from '@livehooks/fixtures';
import { Command, Option } from 'commander';
import { CliError } from '../_cli-error.js';
import { signingKeys } from '../_keys.js';
import { formatTime, printJson, printLine, printNote, style } from '../_output.js';
import { collect, httpUrl, positiveInteger, positiveNumber } from '../_parse-option.js';
import { createCountdown, createProgress, formatWait } from '../_progress.js';
import { describeAttempt, describeOutcome, summarise } from '../_report.js';
import { runPaced } from '../_run-paced.js';
import { withHelp } from '../_command-help.js';
import { exitCodes } from '../exit-codes.js';

/** Callbacks in flight at once, waits between retries included: a bound on sockets and memory. */
const MAX_IN_FLIGHT = 100;

/** The default callback URL: a local `livehooks serve`. */
export const DEFAULT_CALLBACK_URL = 'http://127.0.0.1:8080/callbacks';

interface TriggerFlags {
  list?: boolean;
  url: string;
  count: number;
  rate?: number;
  set: string[];
  sample?: string;
  key?: string;
  trtcKey?: string;
  sdkAppId?: string;
  retryScale: number;
  timeout?: number;
  retry: boolean;
  dryRun?: boolean;
  json?: boolean;
}

function samplesByType(): Map<string, string[]> {
  const byType = new Map<string, string[]>();
  for (const sample of loadSamples())
    byType.set(sample.type, [...(byType.get(sample.type) ?? []), sample.name]);
  return byType;
}

function listTypes(json: boolean): void {
  const samples = samplesByType();
  // A type may have several definitions (345 is also sent as 344): one row per type.
  const rows = [...new Set(catalog.map((definition) => definition.type))].map((type) => {
    const definitions = catalog.filter((definition) => definition.type === type);
    return {
      type,
      family: definitions[0]!.family,
      tencent: [...new Set(definitions.map((definition) => definition.tencent.event))].join(', '),
      title: definitions[0]!.tencent.title,
      samples: samples.get(type) ?? [],
    };
  });
  if (json) {
    printJson(rows);
    return;
  }
  const width = Math.max(...rows.map((row) => row.type.length));
  const tencentWidth = Math.max(...rows.map((row) => row.tencent.length));
  for (const row of rows) {
    const mark = row.samples.length > 0 ? ' ' : style('dim', '-');
    printLine(
      `${mark} ${row.type.padEnd(width)}  ${row.tencent.padEnd(tencentWidth)}  ${style('dim', row.title)}`,
    );
  }
  printNote(`${rows.length} types; those marked - have no sample to trigger.`);
}

function checkType(type: string): void {
  if (!getEventDefinition(type)) {
    const near = catalog
      .map((d) => d.type)
      .filter((known) => known.startsWith(type.split('.').slice(0, 2).join('.')));
    throw new CliError(
      exitCodes.usage,
      `unknown event type ${JSON.stringify(type)}${near.length > 0 ? `; did you mean one of: ${near.join(', ')}` : ''}. See livehooks trigger --list`,
    );
  }
  if (!samplesByType().has(type)) {
    throw new CliError(
      exitCodes.usage,
      `${type} has no fixture sample to trigger; see livehooks trigger --list`,
    );
  }
}

function overridesOf(settings: readonly string[]): Record<string, unknown> {
  try {
    return Object.fromEntries(settings.map(parseSetting));
  } catch (error) {
    throw new CliError(exitCodes.usage, `--set: ${(error as Error).message}`);
  }
}

/** The one-line summary of what a fresh sample is, from the catalog's own summary. */
function summaryOf(sample: FreshSample, keys: ReturnType<typeof signingKeys>): string {
  try {
    return parseCallback(sample.body, sample.headers, {
      css: { keys: [keys.cssKey], allowUnsigned: true },
      trtc: { keys: { [keys.sdkAppId]: keys.trtcKey } },
    }).summary;
  } catch {
    // Overrides may make a callback that no longer verifies or parses; that is what the user asked for.
    return sample.type;
  }
}

/** Refusals a gateway answers when it does not know the key a callback is signed with. */
const UNKNOWN_KEY_CODES = new Set(['LH_ERR_SIGNATURE_MISMATCH', 'LH_ERR_NO_KEY', 'LH_ERR_UNKNOWN_APP']);

/** The error code of a livehooks gateway's refusal (`{ code, error }`), if the answer is one. */
function refusalCode(attempt: Attempt): string | undefined {
  if (attempt.status === undefined || attempt.status < 400 || attempt.status >= 500) return undefined;
  try {
    const { code } = JSON.parse(attempt.responseBody ?? '') as { code?: unknown };
    return typeof code === 'string' && code.startsWith('LH_ERR_') ? code : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What to do when a livehooks gateway refuses a triggered callback for want of a signature or key,
 * or undefined when the refusal is something else (retrying will not change either).
 */
export function refusalHint(sample: FreshSample, attempt: Attempt, url: string): string | undefined {
  const code = refusalCode(attempt);
  if (code === undefined) return undefined;
  const unsigned = sample.family === 'css' && !('sign' in sample.payload);
  if (code === 'LH_ERR_SIGNATURE_MISSING' && unsigned) {
    return `Tencent never signs ${sample.type}, and this gateway accepts unsigned CSS callbacks only under its ingest secret: send to ${new URL(url).origin}/callbacks/<ingest secret> (LIVEHOOKS_INGEST_SECRET of the gateway), or start the gateway with livehooks serve --dev`;
  }
  if (UNKNOWN_KEY_CODES.has(code)) {
    const flags = sample.family === 'css' ? '--key' : '--trtc-key and --sdk-app-id';
    return `the gateway does not know the key this callback is signed with (${code}): pass its key with ${flags}, or start the gateway with livehooks serve --dev, which accepts the published test keys trigger signs with by default`;
  }
  return undefined;
}

async function trigger(type: string | undefined, flags: TriggerFlags): Promise<void> {
  if (flags.list) {
    listTypes(Boolean(flags.json));
    return;
  }
  if (!type) throw new CliError(exitCodes.usage, 'missing event type; see livehooks trigger --list');
  checkType(type);
  const overrides = overridesOf(flags.set);
  const keys = signingKeys(flags);
  const make = (index: number) => {
    try {
      return freshSample(type, { overrides, sample: flags.sample ?? index, ...keys });
    } catch (error) {
      throw new CliError(exitCodes.usage, (error as Error).message);
    }
  };

  if (flags.dryRun) {
    const samples = Array.from({ length: flags.count }, (_, index) => make(index));
    if (flags.json)
      printJson(
        samples.map(({ type: t, family, sample, body, headers }) => ({
          type: t,
          family,
          sample,
          method: 'POST',
          url: flags.url,
          headers,
          body,
        })),
      );
    else
      // The bytes that would be sent (TRTC bodies are tab-indented), made of the samples and the user's own --set.
      for (const sample of samples)
        process.stdout.write(
          `POST ${flags.url}\n${Object.entries(sample.headers)
            .map(([n, v]) => `${n}: ${v}`)
            .join('\n')}\n\n${sample.body}\n\n`,
        );
    return;
  }

  const sender = createSender({
    url: flags.url,
    ...keys,
    retryScale: flags.retryScale,
    noRetry: !flags.retry,
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
  });
  const controller = new AbortController();
  // Every callback in flight listens to this one signal.
  setMaxListeners(0, controller.signal);
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const json = Boolean(flags.json);
  const progress = createProgress({
    total: flags.count,
    label: `trigger ${type}`,
    enabled: !json && flags.count > 1,
  });
  const lines = !json && (flags.count === 1 || !process.stderr.isTTY);
  const countdown = createCountdown({ enabled: lines });
  let hint: string | undefined;
  let failed = 0;
  try {
    const results = await runPaced(
      flags.count,
      {
        ...(flags.rate === undefined ? {} : { rate: flags.rate }),
        concurrency: MAX_IN_FLIGHT,
        signal: controller.signal,
      },
      async (index) => {
        const sample = make(index);
        const label = flags.count > 1 ? `#${index + 1} ` : '';
        if (lines) printLine(`${label}${style('bold', type)} ${summaryOf(sample, keys)}`);
        const result = await sender.send(sample, {
          signal: controller.signal,
          onAttempt: (attempt: Attempt) => {
            countdown.stop();
            const advice = hint === undefined ? refusalHint(sample, attempt, flags.url) : undefined;
            if (!lines) {
              hint ??= advice;
              return;
            }
            const mark = attempt.ok ? style('green', '✓') : style('red', '✗');
            printLine(
              `${label}  ${mark} attempt ${attempt.number} at ${formatTime(attempt.startedAt)}: ${describeAttempt(attempt)}`,
            );
            if (advice !== undefined) {
              hint = advice;
              // Said at the first refusal, not after the retry policy has run out.
              printNote(`${label}  ${advice}`);
            }
          },
          onRetryWait: ({ nextAttempt, delayMs }: RetryWait) => {
            if (!lines) return;
            const next = `${label}  attempt ${nextAttempt}`;
            if (process.stderr.isTTY) countdown.start(delayMs, next);
            else
              printLine(`${next} in ${formatWait(delayMs)} (Tencent's retry policy; --no-retry sends once)`);
          },
        });
        if (!result.delivered) failed++;
        progress.increment({ failed });
        if (lines) printLine(`${label}  ${describeOutcome(result)}`);
        return { index, sample, result };
      },
    );
    progress.stop();
    if (!lines && hint !== undefined) printNote(hint);
    const summary = summarise(
      results.map((r) => r.result),
      flags.count,
    );
    if (json) {
      printJson({
        type,
        url: flags.url,
        ...summary,
        callbacks: results.map(({ index, sample, result }) => ({
          index,
          sample: sample.sample,
          delivered: result.delivered,
          policy: result.policy.id,
          attempts: result.attempts,
          headers: sample.headers,
          body: sample.body,
        })),
      });
    } else if (flags.count > 1) {
      // Behind a progress bar the attempts were not printed: name what failed.
      if (!lines) {
        for (const { index, result } of results.filter((r) => !r.result.delivered)) {
          const last = result.attempts.at(-1);
          printLine(
            `#${index + 1} ${describeOutcome(result)}; last answer: ${last ? describeAttempt(last) : 'none'}`,
          );
        }
      }
      printLine(
        `${summary.delivered}/${summary.total} delivered to ${flags.url} in ${summary.attempts} attempts`,
      );
    }
    process.exitCode = summary.failed === 0 ? exitCodes.ok : exitCodes.undelivered;
  } finally {
    process.off('SIGINT', onSignal);
    countdown.stop();
    progress.stop();
    sender.close();
  }
}

/**
 * `livehooks trigger`: sends realistic, correctly signed callbacks of any catalog type, the way
 * Tencent's sender does (timeouts and retries included).
 *
 * @example
 * ```sh
 * livehooks trigger css.monitor.stream_broken --count 5 --rate 2
 * ```
 * @see https://cloud.tencent.com/document/product/267/32744
 */
export function createTriggerCommand(): Command {
  const command = new Command('trigger')
    .description(
      'Send fresh, correctly signed sample callbacks of an event type, with Tencent timeouts and retries',
    )
    .argument('[type]', 'event type from the catalog, e.g. css.screenshot (see --list)')
    .option('--list', 'list every event type of the catalog and whether it has a sample')
    .addOption(new Option('--url <url>', 'receiver URL').default(DEFAULT_CALLBACK_URL).argParser(httpUrl))
    .addOption(new Option('-n, --count <n>', 'how many callbacks').default(1).argParser(positiveInteger))
    .addOption(
      new Option(
        '--rate <perSecond>',
        'start at most this many callbacks per second (default: as fast as possible, at most 100 in flight)',
      ).argParser(positiveNumber),
    )
    .addOption(
      new Option(
        '--set <field=value>',
        'set a body field by dot path; the value is JSON if it parses, else a string (repeatable)',
      )
        .default([])
        .argParser(collect),
    )
    .option('--sample <name>', 'start from this sample of the type (default: rotate through them)')
    .option('--key <key>', 'CSS callback key (default: first of LIVEHOOKS_CSS_KEYS, else the test key)')
    .option('--trtc-key <key>', 'TRTC callback key (default: from LIVEHOOKS_TRTC_KEYS, else the test key)')
    .option(
      '--sdk-app-id <id>',
      'TRTC SdkAppId header (default: from LIVEHOOKS_TRTC_KEYS, else the test app)',
    )
    .addOption(
      new Option('--retry-scale <factor>', 'multiply retry intervals (0.001 turns minutes into tens of ms)')
        .default(1)
        .argParser(positiveNumber),
    )
    .addOption(
      new Option('--timeout <ms>', 'reply timeout (default: 20000 CSS, 5000 TRTC)').argParser(
        positiveInteger,
      ),
    )
    .option('--no-retry', 'send each callback once, without retries')
    .option('--dry-run', 'print the requests (method, URL, headers, body) instead of sending them')
    .option('--json', 'print a JSON report of every callback and attempt')
    .action(async (type: string | undefined, flags: TriggerFlags) => trigger(type, flags));
  return withHelp(command, {
    notes: [
      'Each callback starts from a fixture sample of the type, with fresh stream, task and message ids and its times moved to now, then is signed as Tencent signs it: CSS t = now + 10 min and sign = md5(key + t) in the body; TRTC Sign = base64(HMAC-SHA256(key, body)) over the tab-indented bytes, with the SdkAppId header.',
      "Retries follow Tencent's documented policies: TRTC 5 s timeout, retry at once then every 10 s until the callback is 1 min old; CSS 20 s timeout, screenshots 5 retries every 2 min, push, disconnect, recording and moderation 12 retries every 1 min, subtitles (338) and smart erasing (347) 3 attempts in total. Only HTTP 200 counts as delivered. Each wait before a retry is shown: a countdown on a terminal, a line otherwise.",
      'When a livehooks gateway refuses a callback for its signature, trigger says what to do at the first refusal: for the CSS types Tencent never signs (328, 314, 315, 321, 343, 344, 345, 348, 349), send to the ingest secret URL or start the gateway with serve --dev; for a key it does not know, pass its key with --key (CSS) or --trtc-key and --sdk-app-id (TRTC), or use serve --dev.',
    ],
    examples: [
      'livehooks trigger --list',
      'livehooks trigger css.screenshot',
      'livehooks trigger trtc.moderation.result --count 20 --rate 5 --url http://127.0.0.1:3000/webhooks/trtc',
      'livehooks trigger css.moderation.image --set streamId=room42 --set suggestion=Block --key "$CSS_KEY"',
      'livehooks trigger css.stream.push --retry-scale 0.001 --json',
      'livehooks trigger css.screenshot --set t=1700000000 --dry-run   # an expired t',
    ],
    exitCodes: [
      [exitCodes.ok, 'every callback acknowledged with 200'],
      [exitCodes.usage, 'unknown type, type without a sample, malformed --set'],
      [exitCodes.undelivered, 'some callback not acknowledged after its retries'],
    ],
  });
}

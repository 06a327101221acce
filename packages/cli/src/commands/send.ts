import { signTrtc } from '@livehooks/core';
import { describeCallback, sendCallback, type Attempt } from '@livehooks/fixtures';
import { Command, Option } from 'commander';
import { CliError } from '../_cli-error.js';
import { resignCssBody } from '../_css-resign.js';
import { readInput } from '../_input.js';
import { signingKeys } from '../_keys.js';
import { formatTime, printJson, printLine, style } from '../_output.js';
import { collectHeader, httpUrl, positiveInteger, positiveNumber } from '../_parse-option.js';
import { describeAttempt, describeOutcome } from '../_report.js';
import { withHelp } from '../_command-help.js';
import { exitCodes } from '../exit-codes.js';
import { DEFAULT_CALLBACK_URL } from './trigger.js';

interface SendFlags {
  url: string;
  header: Record<string, string>;
  family?: 'css' | 'trtc';
  sign?: boolean;
  force?: boolean;
  key?: string;
  trtcKey?: string;
  sdkAppId?: string;
  retryScale: number;
  timeout?: number;
  retry: boolean;
  json?: boolean;
}

/** Signs the body as Tencent would: TRTC over the exact bytes, CSS by editing only `t` and `sign`. */
function sign(
  family: 'css' | 'trtc',
  body: Buffer,
  headers: Record<string, string>,
  flags: SendFlags,
): { body: Buffer; headers: Record<string, string> } {
  const keys = signingKeys(flags);
  if (family === 'trtc') {
    return { body, headers: { ...headers, sdkappid: keys.sdkAppId, sign: signTrtc(keys.trtcKey, body) } };
  }
  const t = Math.floor(Date.now() / 1000) + 600;
  const resigned = resignCssBody(body.toString('utf8'), keys.cssKey, t);
  if (resigned === undefined) {
    throw new CliError(exitCodes.usage, '--sign: a CSS body must be a JSON object to carry t and sign');
  }
  return { body: Buffer.from(resigned, 'utf8'), headers };
}

/** The family a body's own fields name (`EventGroupId`: TRTC, `event_type`: CSS), if any. */
function familyOfBody(raw: Buffer): 'css' | 'trtc' | undefined {
  let payload: unknown;
  try {
    payload = JSON.parse(raw.toString('utf8'));
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== 'object') return undefined;
  if ('EventGroupId' in payload) return 'trtc';
  if ('event_type' in payload) return 'css';
  return undefined;
}

async function send(file: string, flags: SendFlags): Promise<void> {
  const raw = await readInput(file);
  let headers: Record<string, string> = { 'content-type': 'application/json', ...flags.header };
  const family = flags.family ?? describeCallback(raw, headers).family;
  const bodyFamily = familyOfBody(raw);
  if (flags.sign && !flags.force && bodyFamily !== undefined && bodyFamily !== family) {
    // Signing a CSS body the TRTC way (or the reverse) makes a receiver read it as the other family.
    const field = bodyFamily === 'trtc' ? 'EventGroupId' : 'event_type';
    throw new CliError(
      exitCodes.usage,
      `--family ${family} --sign, but the body is a ${bodyFamily.toUpperCase()} callback (it has ${field}): drop --family to sign it as ${bodyFamily.toUpperCase()}, or add --force to sign it as ${family.toUpperCase()} anyway`,
    );
  }
  let body = raw;
  if (flags.sign) ({ body, headers } = sign(family, raw, headers, flags));
  const json = Boolean(flags.json);
  const result = await sendCallback({
    url: flags.url,
    body,
    headers,
    retryScale: flags.retryScale,
    noRetry: !flags.retry,
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
    onAttempt: (attempt: Attempt) => {
      if (json) return;
      const mark = attempt.ok ? style('green', '✓') : style('red', '✗');
      printLine(
        `${mark} attempt ${attempt.number} at ${formatTime(attempt.startedAt)}: ${describeAttempt(attempt)}`,
      );
    },
  });
  if (json) {
    printJson({
      url: flags.url,
      family,
      bytes: body.byteLength,
      delivered: result.delivered,
      policy: result.policy.id,
      attempts: result.attempts,
      headers,
    });
  } else {
    printLine(`${body.byteLength} bytes to ${flags.url}: ${describeOutcome(result)}`);
  }
  process.exitCode = result.delivered ? exitCodes.ok : exitCodes.undelivered;
}

/**
 * `livehooks send`: POSTs a captured callback body byte for byte, optionally signing it, with
 * Tencent's timeout and retries.
 *
 * @example
 * ```sh
 * livehooks send captured.json --header "Sign: kkoF..." --header "SdkAppId: 1400000001"
 * ```
 */
export function createSendCommand(): Command {
  const command = new Command('send')
    .description('Send a raw callback body as is (signing it when asked), with Tencent timeouts and retries')
    .argument('<file>', 'the body to send; - reads standard input')
    .addOption(new Option('--url <url>', 'receiver URL').default(DEFAULT_CALLBACK_URL).argParser(httpUrl))
    .addOption(
      new Option('-H, --header <name:value>', 'add a request header, e.g. "Sign: ..." (repeatable)')
        .default({})
        .argParser(collectHeader),
    )
    .addOption(
      new Option('--family <family>', 'css or trtc (default: detected from the body)').choices([
        'css',
        'trtc',
      ]),
    )
    .option(
      '--sign',
      'sign it: TRTC Sign/SdkAppId headers over the exact bytes; CSS a fresh t and sign in the body',
    )
    .option(
      '--key <key>',
      'CSS callback key for --sign (default: first of LIVEHOOKS_CSS_KEYS, else the test key)',
    )
    .option(
      '--trtc-key <key>',
      'TRTC callback key for --sign (default: from LIVEHOOKS_TRTC_KEYS, else the test key)',
    )
    .option('--sdk-app-id <id>', 'TRTC SdkAppId for --sign')
    .option('--force', "--sign as --family says even when the body's fields name the other family")
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
    .option('--no-retry', 'send once, without retries')
    .option('--json', 'print a JSON report of the attempts')
    .action(async (file: string, flags: SendFlags) => send(file, flags));
  return withHelp(command, {
    notes: [
      'Without --sign the bytes go out exactly as read: no re-serialisation, no added newline. With --sign a TRTC body keeps its bytes and gets Sign and SdkAppId headers; a CSS body changes only in its t and sign values (CSS does not sign the body).',
    ],
    examples: [
      'livehooks send capture.json --header "Sign: kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=" --header "SdkAppId: 1400000001"',
      'livehooks send capture.json --sign --key "$CSS_KEY" --url https://example.com/callbacks',
      'livehooks events show 01a2... --raw | livehooks send - --sign --no-retry',
    ],
    exitCodes: [
      [exitCodes.ok, 'acknowledged with 200'],
      [exitCodes.usage, 'unreadable file, malformed header, --family --sign contradicting the body'],
      [exitCodes.undelivered, 'not acknowledged after all retries'],
    ],
  });
}

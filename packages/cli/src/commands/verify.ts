import { TEST_KEYS } from '@livehooks/fixtures';
import { Command, Option } from 'commander';
import { diagnoseSignature } from '../_diagnose-signature.js';
import { readInput } from '../_input.js';
import { cssKeysFromEnv, trtcKeysFromEnv } from '../_keys.js';
import { printJson, printLine, style } from '../_output.js';
import { collect, collectHeader, nonNegativeInteger, pointInTime } from '../_parse-option.js';
import { withHelp } from '../_command-help.js';
import { exitCodes } from '../exit-codes.js';

interface VerifyFlags {
  key: string[];
  sign?: string;
  sdkAppId?: string;
  header: Record<string, string>;
  family?: 'css' | 'trtc';
  skew: number;
  at?: number;
  json?: boolean;
}

function headersOf(flags: VerifyFlags): Record<string, string> {
  const headers = { ...flags.header };
  if (flags.sign !== undefined) headers.sign = flags.sign;
  if (flags.sdkAppId !== undefined) headers.sdkappid = flags.sdkAppId;
  return headers;
}

/**
 * A stored event as `livehooks events show --json` prints it carries the raw body and the headers
 * it arrived with; verify those rather than the envelope.
 */
function storedEvent(input: Buffer): { raw: string; headers: Record<string, string> } | undefined {
  try {
    const value = JSON.parse(input.toString('utf8')) as Record<string, unknown>;
    if (
      typeof value.id === 'string' &&
      typeof value.raw === 'string' &&
      value.headers !== null &&
      typeof value.headers === 'object' &&
      (value.family === 'css' || value.family === 'trtc')
    ) {
      return { raw: value.raw, headers: value.headers as Record<string, string> };
    }
  } catch {
    return undefined;
  }
  return undefined;
}

async function verify(file: string, flags: VerifyFlags): Promise<void> {
  const input = await readInput(file);
  const stored = storedEvent(input);
  const body = stored ? Buffer.from(stored.raw, 'utf8') : input;
  const headers = { ...stored?.headers, ...headersOf(flags) };
  const trtcKeys: Record<string, string> = flags.key.length > 0 ? {} : trtcKeysFromEnv();
  // A --key applies to the callback's own app: the one named by --sdk-app-id or its SdkAppId header.
  for (const key of flags.key) trtcKeys[headers.sdkappid ?? '*'] = key;
  const diagnosis = diagnoseSignature({
    body,
    headers,
    ...(flags.family ? { family: flags.family } : {}),
    cssKeys: flags.key.length > 0 ? flags.key : cssKeysFromEnv(),
    trtcKeys,
    now: flags.at ?? Date.now(),
    skewSeconds: flags.skew,
  });
  if (flags.json) {
    printJson({ ...diagnosis, bytes: body.byteLength });
  } else {
    const mark = diagnosis.verified ? style('green', '✓ verifies') : style('red', '✗ does not verify');
    printLine(`${mark} (${diagnosis.family.toUpperCase()}, ${diagnosis.verdict}): ${diagnosis.message}`);
    for (const hint of diagnosis.hints) printLine(`  ${style('dim', '→')} ${hint}`);
  }
  process.exitCode = diagnosis.verified
    ? exitCodes.ok
    : diagnosis.verdict === 'no-key'
      ? exitCodes.usage
      : exitCodes.unverified;
}

/**
 * `livehooks verify`: explains whether a captured callback verifies and why not, without ever
 * printing a key.
 *
 * @example
 * ```sh
 * livehooks verify body.json --key "$TRTC_KEY" --sign "kkoF..." --sdk-app-id 1400000001
 * ```
 * @see https://trtc.io/document/54912
 * @see https://cloud.tencent.com/document/product/267/32744
 */
export function createVerifyCommand(): Command {
  const command = new Command('verify')
    .description('Explain whether a callback verifies and, if not, why (never printing the key)')
    .argument(
      '<file>',
      'the body exactly as received, or an event from events show --json; - reads standard input',
    )
    .addOption(
      new Option(
        '--key <key>',
        'callback key: CSS CallbackKey or TRTC key (repeatable; default: LIVEHOOKS_CSS_KEYS / LIVEHOOKS_TRTC_KEYS)',
      )
        .default([])
        .argParser(collect),
    )
    .option('--sign <sign>', 'the TRTC Sign header as received')
    .option('--sdk-app-id <id>', 'the TRTC SdkAppId header as received')
    .addOption(
      new Option('-H, --header <name:value>', 'a received header, e.g. "Sign: ..." (repeatable)')
        .default({})
        .argParser(collectHeader),
    )
    .addOption(new Option('--family <family>', 'css or trtc (default: detected)').choices(['css', 'trtc']))
    .addOption(
      new Option('--skew <seconds>', 'CSS: seconds past t still counted as current')
        .default(0)
        .argParser(nonNegativeInteger),
    )
    .addOption(
      new Option(
        '--at <time>',
        'CSS: check t against this time instead of now (unix s/ms, ISO date)',
      ).argParser(pointInTime),
    )
    .option('--json', 'print the diagnosis as JSON')
    .action(async (file: string, flags: VerifyFlags) => verify(file, flags));
  return withHelp(command, {
    notes: [
      "Reasons it explains: missing signature (no Sign header, no t/sign fields); CSS events Tencent sends without a signature (328, 314, 315, 321, 343, 344, 345, 348, 349); wrong key; the key of another SdkAppId; body re-serialised (compact, indented, or from Tencent's tab form); whitespace changed (trailing newline, CRLF); Base64 written as hex or base64url; md5(t + key) instead of md5(key + t); t expired. Keys are used, never printed.",
    ],
    examples: [
      'livehooks verify trtc-body.json --key "$TRTC_KEY" --sign "kkoFeO3Oh2ZHnjtg8tEAQhtXK16/KI05W3BQff8IvGA=" --sdk-app-id 1400000001',
      'livehooks verify css-body.json --key "$OLD_KEY" --key "$NEW_KEY"',
      'livehooks events show 01a2... --json | livehooks verify - --key "$TRTC_KEY"',
      `livehooks events show 01a2... --json | livehooks verify - --key ${TEST_KEYS.css}   # a callback livehooks trigger sent, with the published test key`,
    ],
    exitCodes: [
      [exitCodes.ok, 'the signature verifies and, for CSS, t is current'],
      [exitCodes.usage, 'unreadable input, or no key to verify with'],
      [exitCodes.unverified, 'it does not verify; the reason is printed'],
    ],
  });
}

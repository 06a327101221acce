import { setMaxListeners } from 'node:events';
import { sendCallback, type SendResult } from '@livehooks/fixtures';
import { Command, Option } from 'commander';
import type { ApiEvent, ApiEventDetail } from '../_api-types.js';
import { replayRequest } from '../_replay-request.js';
import { addFilterOptions, filtersOf, listAllEvents, type FilterFlags } from '../_event-filters.js';
import { addGatewayOptions, gatewayClient, type GatewayFlags } from '../_gateway-options.js';
import { printJson, printLine, printNote, style } from '../_output.js';
import { httpUrl, positiveInteger, positiveNumber } from '../_parse-option.js';
import { createProgress } from '../_progress.js';
import { describeAttempt, describeOutcome } from '../_report.js';
import { runPaced } from '../_run-paced.js';
import { withHelp } from '../_command-help.js';
import { exitCodes } from '../exit-codes.js';
import { describeSubject } from './events.js';

interface ReplayFlags extends FilterFlags, GatewayFlags {
  to: string;
  key?: string;
  trtcKey?: string;
  sdkAppId?: string;
  concurrency: number;
  rate?: number;
  retry?: boolean;
  retryScale: number;
  timeout?: number;
  dryRun?: boolean;
  json?: boolean;
}

interface Replayed {
  id: string;
  type: string;
  resigned: boolean;
  result: SendResult;
}

async function replay(flags: ReplayFlags): Promise<void> {
  const client = await gatewayClient(flags);
  const selected: ApiEvent[] = [];
  for await (const page of listAllEvents(client, filtersOf(flags))) selected.push(...page);
  // The API lists newest first; replay in the order the callbacks arrived.
  selected.reverse();
  if (flags.dryRun || selected.length === 0) {
    if (flags.json)
      printJson({
        to: flags.to,
        total: selected.length,
        events: selected.map(({ id, type }) => ({ id, type })),
      });
    else for (const event of selected) printLine(`${event.id}  ${event.type}  ${describeSubject(event)}`);
    printNote(
      `${selected.length} event${selected.length === 1 ? '' : 's'} ${flags.dryRun ? 'would be replayed' : 'match'}`,
    );
    return;
  }

  const controller = new AbortController();
  // Every callback in flight listens to this one signal.
  setMaxListeners(0, controller.signal);
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const progress = createProgress({ total: selected.length, label: 'replay', enabled: !flags.json });
  const lines = !flags.json && !process.stderr.isTTY;
  let failed = 0;
  try {
    const replayed = await runPaced(
      selected.length,
      {
        concurrency: flags.concurrency,
        ...(flags.rate === undefined ? {} : { rate: flags.rate }),
        signal: controller.signal,
      },
      async (index): Promise<Replayed> => {
        const event = selected[index]!;
        const detail = await client.json<ApiEventDetail>(`/api/events/${event.id}`);
        const request = replayRequest(detail, flags);
        const result = await sendCallback({
          url: flags.to,
          body: request.body,
          headers: request.headers,
          noRetry: !flags.retry,
          retryScale: flags.retryScale,
          ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
          signal: controller.signal,
        });
        if (!result.delivered) failed++;
        progress.increment({ failed });
        if (lines) {
          const mark = result.delivered ? style('green', '✓') : style('red', '✗');
          const last = result.attempts.at(-1);
          printLine(
            `${mark} ${event.id} ${event.type}: ${last?.status ?? last?.error ?? ''} ${describeOutcome(result)}`,
          );
        }
        return { id: event.id, type: event.type, resigned: request.resigned, result };
      },
    );
    progress.stop();
    const delivered = replayed.filter((item) => item.result.delivered).length;
    const summary = {
      to: flags.to,
      total: selected.length,
      replayed: replayed.length,
      delivered,
      failed: selected.length - delivered,
    };
    if (flags.json) {
      printJson({
        ...summary,
        events: replayed.map(({ id, type, resigned, result }) => ({
          id,
          type,
          resigned,
          delivered: result.delivered,
          attempts: result.attempts,
        })),
      });
    } else {
      if (!lines) {
        for (const { id, type, result } of replayed.filter((item) => !item.result.delivered)) {
          const last = result.attempts.at(-1);
          printLine(`${style('red', '✗')} ${id} ${type}: ${last ? describeAttempt(last) : 'not sent'}`);
        }
      }
      printLine(
        `replayed ${summary.replayed}/${summary.total} to ${flags.to}: ${delivered} delivered, ${summary.failed} failed`,
      );
    }
    process.exitCode = summary.failed === 0 ? exitCodes.ok : exitCodes.undelivered;
  } finally {
    process.off('SIGINT', onSignal);
    progress.stop();
  }
}

/**
 * `livehooks replay`: re-sends stored callbacks, raw bytes and headers, to another receiver;
 * CSS callbacks get a fresh `t` and `sign` when a key is given.
 *
 * @example
 * ```sh
 * livehooks replay --since 1h --type css.moderation.image --to http://127.0.0.1:3000/callbacks --key "$CSS_KEY"
 * ```
 */
export function createReplayCommand(): Command {
  const command = addFilterOptions(
    new Command('replay').description('Re-send stored callbacks (raw bytes and headers) to another receiver'),
  );
  addGatewayOptions(command)
    .addOption(
      new Option('--to <url>', 'the receiver to send them to').makeOptionMandatory().argParser(httpUrl),
    )
    .option('--key <key>', 'CSS key: re-sign each CSS callback with a fresh t (stored t has usually expired)')
    .option('--trtc-key <key>', 'TRTC key: re-sign each TRTC callback (for a receiver with another key)')
    .option('--sdk-app-id <id>', 'TRTC SdkAppId header to send with --trtc-key')
    .addOption(
      new Option('--concurrency <n>', 'callbacks in flight at once').default(4).argParser(positiveInteger),
    )
    .addOption(
      new Option('--rate <perSecond>', 'start at most this many callbacks per second').argParser(
        positiveNumber,
      ),
    )
    .option('--retry', "retry failures with Tencent's policies (default: one attempt each)")
    .addOption(
      new Option('--retry-scale <factor>', 'multiply retry intervals with --retry')
        .default(1)
        .argParser(positiveNumber),
    )
    .addOption(
      new Option('--timeout <ms>', 'reply timeout (default: 20000 CSS, 5000 TRTC)').argParser(
        positiveInteger,
      ),
    )
    .option('--dry-run', 'list the events that would be replayed, without sending')
    .option('--json', 'print a JSON report of every replayed callback')
    .action(async (flags: ReplayFlags) => replay(flags));
  return withHelp(command, {
    notes: [
      'Callbacks go out oldest first, byte for byte as stored, with their Content-Type, Sign and SdkAppId headers. TRTC bytes keep their Sign (re-signed only with --trtc-key); CSS bodies change only in t and sign, and only with --key.',
    ],
    examples: [
      'livehooks replay --to http://127.0.0.1:3000/callbacks --since 2h',
      'livehooks replay --to https://staging.example.com/callbacks --type css.moderation.image --key "$STAGING_CSS_KEY"',
      'livehooks replay --to http://127.0.0.1:3000/trtc --room 12345 --since 2025-06-01T00:00:00Z --until 1d --dry-run',
    ],
    exitCodes: [
      [exitCodes.ok, 'every callback acknowledged'],
      [exitCodes.usage, 'missing --to, unknown event type, invalid option'],
      [exitCodes.undelivered, 'some callback not acknowledged'],
      [exitCodes.gateway, 'the source gateway could not be reached or failed'],
      [exitCodes.unauthorized, 'the API token was refused'],
    ],
  });
}

import { setMaxListeners } from 'node:events';
import { sendCallback } from '@livehooks/fixtures';
import { Command, Option } from 'commander';
import type { ApiEvent, ApiEventDetail, ApiEventPage } from '../_api-types.js';
import { CliError } from '../_cli-error.js';
import { withHelp } from '../_command-help.js';
import { followEvents } from '../_follow-events.js';
import { addGatewayOptions, gatewayClient, type GatewayFlags } from '../_gateway-options.js';
import type { GatewayClient } from '../_gateway-client.js';
import { formatTime, printJsonLine, printLine, printNote, style } from '../_output.js';
import { collect, httpUrl, positiveInteger } from '../_parse-option.js';
import { describeAttempt } from '../_report.js';
import { exitCodes } from '../exit-codes.js';
import { addResignOptions, replayRequest, resignKeysOf, type ResignFlags } from '../_replay-request.js';

interface ListenFlags extends GatewayFlags, ResignFlags {
  forwardTo: string;
  types: string[];
  timeout?: number;
  json?: boolean;
}

/** Sorts before every UUIDv7: a live tail resumed after it sends every stored event. */
const BEFORE_EVERY_EVENT = '00000000-0000-0000-0000-000000000000';

/** One forward as `--json` prints it. */
interface Forwarded {
  id: string;
  type: string;
  /** When the forward started, in ms since the epoch. */
  at: number;
  resigned: boolean;
  /** The local receiver's HTTP status; absent when no answer came. */
  status?: number;
  latencyMs: number;
  error?: string;
}

/** Reads one event with its raw body and headers; undefined when it is gone (pruned since). */
async function readDetail(
  client: GatewayClient,
  id: string,
  signal: AbortSignal,
): Promise<ApiEventDetail | undefined> {
  try {
    return (await (await client.request(`/api/events/${id}`, { signal })).json()) as ApiEventDetail;
  } catch (error) {
    if (error instanceof CliError && error.exitCode === exitCodes.notFound) return undefined;
    throw error;
  }
}

async function listen(flags: ListenFlags): Promise<void> {
  const client = await gatewayClient(flags);
  const types = flags.types
    .flatMap((type) => type.split(','))
    .map((type) => type.trim())
    .filter(Boolean);
  const query = types.length > 0 ? { type: types.join(',') } : {};
  const keys = resignKeysOf(flags);
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);

  const forward = async (event: ApiEvent): Promise<boolean> => {
    const detail = await readDetail(client, event.id, controller.signal);
    const at = Date.now();
    if (detail === undefined) {
      printNote(`${formatTime(at)}  ${event.type}  ${event.id}  skipped: no longer stored`);
      return true;
    }
    const request = replayRequest(detail, keys, at);
    const result = await sendCallback({
      url: flags.forwardTo,
      body: request.body,
      headers: request.headers,
      noRetry: true,
      ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
      signal: controller.signal,
    });
    const attempt = result.attempts[0];
    if (result.aborted || attempt === undefined) return false;
    const forwarded: Forwarded = {
      id: event.id,
      type: event.type,
      at,
      resigned: request.resigned,
      ...(attempt.status === undefined ? {} : { status: attempt.status }),
      latencyMs: attempt.latencyMs,
      ...(attempt.error === undefined ? {} : { error: attempt.error }),
    };
    if (flags.json) printJsonLine(forwarded);
    else {
      const mark = attempt.ok ? style('green', '→') : style('red', '✗');
      printLine(
        `${formatTime(at)}  ${event.type}  ${event.id}  ${mark} ${describeAttempt(attempt)}${request.resigned ? style('dim', '  (re-signed)') : ''}`,
      );
    }
    return true;
  };

  try {
    // Starting after the newest stored event (not "from now on") lets a gateway restart before the first
    // forward lose nothing: every reconnection resumes after the last event handled, with Last-Event-ID.
    const newest = await client.request('/api/events', { query: { limit: 1 }, signal: controller.signal });
    let after = ((await newest.json()) as ApiEventPage).items[0]?.id ?? BEFORE_EVERY_EVENT;
    await followEvents(client, {
      query,
      after,
      signal: controller.signal,
      onConnect: (reconnected, from) =>
        printNote(
          reconnected
            ? `reconnected; resuming after ${from}`
            : `forwarding new events of ${client.server} to ${flags.forwardTo} (Ctrl+C to stop)`,
        ),
      onEnd: (_from, retryMs) => printNote(`stream ended; resuming in ${retryMs} ms`),
      onEvent: async (event) => {
        // Ids are UUIDv7, ordered as stored: one at or before the last handled was forwarded already.
        if (event.id <= after) return true;
        if (!(await forward(event))) return false;
        after = event.id;
        return true;
      },
    });
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * `livehooks listen`: follows a running gateway's stored events and forwards each new one, Tencent's
 * original bytes and signature headers, to a local receiver, re-signed for local keys when given.
 *
 * @example
 * ```sh
 * livehooks listen --server https://gateway.example.com --forward-to http://127.0.0.1:3000/callbacks --css-key "$LOCAL_CSS_KEY"
 * ```
 */
export function createListenCommand(): Command {
  const command = addResignOptions(
    new Command('listen')
      .description("Forward a gateway's new events, as Tencent sent them, to a local receiver")
      .addOption(
        new Option('--forward-to <url>', 'the local receiver to POST each callback to')
          .makeOptionMandatory()
          .argParser(httpUrl),
      )
      .addOption(
        new Option(
          '--types <patterns>',
          'only these types or patterns, e.g. css.moderation.* (repeatable, or comma-separated)',
        )
          .default([])
          .argParser(collect),
      ),
  )
    .addOption(
      new Option('--timeout <ms>', 'reply timeout (default: 20000 CSS, 5000 TRTC)').argParser(
        positiveInteger,
      ),
    )
    .option('--json', 'print each forward as one JSON line (NDJSON)');
  addGatewayOptions(command).action(async (flags: ListenFlags) => listen(flags));
  return withHelp(command, {
    notes: [
      'Each event stored after listen starts is sent once, oldest first, with its exact bytes and its Content-Type, Sign and SdkAppId headers; one line per forward shows the local answer and its time. A receiver that fails or cannot be reached is reported and listen goes on with the next event (it does not retry).',
      'Without keys the original signatures go through, which verify only with the keys the gateway has. With --css-key a signed CSS body changes only in t and sign; with --trtc-key a TRTC body keeps its bytes and gets a new Sign.',
      'When the gateway restarts or the connection drops, listen reconnects and resumes after the last event it forwarded (Last-Event-ID): nothing stored in between is missed or sent twice.',
    ],
    examples: [
      'livehooks listen --forward-to http://127.0.0.1:3000/callbacks',
      'livehooks listen --server https://gateway.example.com --forward-to http://127.0.0.1:3000/callbacks --types css.moderation.*,trtc.* --css-key "$LOCAL_CSS_KEY"',
      'livehooks listen --forward-to http://127.0.0.1:3000/trtc --trtc-key "$LOCAL_TRTC_KEY" --sdk-app-id 1400000001 --json',
    ],
    exitCodes: [
      [exitCodes.ok, 'stopped with Ctrl+C or SIGTERM'],
      [exitCodes.usage, 'missing --forward-to, invalid option'],
      [exitCodes.gateway, 'the gateway could not be reached at start'],
      [exitCodes.unauthorized, 'the API token was refused'],
    ],
  });
}

import { Command, Option } from 'commander';
import { eventTypesOf, matchesTypes } from '../_event-filters.js';
import { followEvents } from '../_follow-events.js';
import { addGatewayOptions, gatewayClient, type GatewayFlags } from '../_gateway-options.js';
import { printJsonLine, printLine, printNote, style } from '../_output.js';
import { collect, positiveInteger } from '../_parse-option.js';
import { withHelp } from '../_command-help.js';
import { exitCodes } from '../exit-codes.js';
import { formatEventLine } from './events.js';

interface TailFlags extends GatewayFlags {
  type: string[];
  stream?: string;
  room?: string;
  task?: string;
  user?: string;
  limit?: number;
  json?: boolean;
}

/** One Server-Sent Event. */
async function tail(flags: TailFlags): Promise<void> {
  const types = eventTypesOf(flags.type);
  const client = await gatewayClient(flags);
  const query = {
    ...(types.length > 0 ? { type: types.join(',') } : {}),
    ...(flags.stream === undefined ? {} : { stream_id: flags.stream }),
  };
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let received = 0;
  try {
    await followEvents(client, {
      query,
      signal: controller.signal,
      onConnect: (reconnected) =>
        printNote(reconnected ? 'reconnected' : `following ${client.server} (Ctrl+C to stop)`),
      onEnd: (after, retryMs) =>
        printNote(`stream ended; resuming after ${after ?? 'the start'} in ${retryMs} ms`),
      onEvent: (event) => {
        // The gateway filters too; checking here keeps older gateways honest.
        if (!matchesTypes(event, types)) return true;
        if (flags.stream !== undefined && event.subject.streamId !== flags.stream) return true;
        // The live tail filters by type and stream only: room, task and user are checked here.
        if (flags.room !== undefined && event.subject.roomId !== flags.room) return true;
        if (flags.task !== undefined && event.subject.taskId !== flags.task) return true;
        if (flags.user !== undefined && event.subject.userId !== flags.user) return true;
        if (flags.json) printJsonLine(event);
        else printLine(`${style('dim', event.id)}  ${formatEventLine(event)}`);
        received++;
        if (flags.limit === undefined || received < flags.limit) return true;
        controller.abort();
        return false;
      },
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}

/**
 * `livehooks tail`: follows a gateway's live tail (Server-Sent Events), one readable line per
 * event, resuming with `Last-Event-ID` after a disconnection so nothing is missed.
 *
 * @example
 * ```sh
 * livehooks tail --type css.moderation.image --stream room42
 * ```
 */
export function createTailCommand(): Command {
  const command = new Command('tail')
    .description("Follow a gateway's live tail, one readable line per event; resumes after disconnections")
    .addOption(
      new Option(
        '--type <type>',
        'only this event type or pattern such as css.moderation.* (repeatable, or comma-separated)',
      )
        .default([])
        .argParser(collect),
    )
    .option('--stream <id>', 'only events of this stream (CSS stream_id)')
    .option('--room <id>', 'only events of this room (TRTC RoomId)')
    .option('--task <id>', 'only events of this task (TaskId, task_id)')
    .option('--user <id>', 'only events of this user (TRTC UserId)')
    .addOption(new Option('-n, --limit <n>', 'stop after this many events').argParser(positiveInteger))
    .option('--json', 'print each event as one JSON line (NDJSON)');
  addGatewayOptions(command).action(async (flags: TailFlags) => tail(flags));
  return withHelp(command, {
    notes: [
      'Each line shows the event id (events show takes it, or any unique start of it), the receive time, the type, the subject (stream, room, task, user), the summary, and [stale] for CSS callbacks whose t had expired. After a disconnection it reconnects and resumes after the last event it printed (Last-Event-ID), so nothing stored in between is missed.',
    ],
    examples: [
      'livehooks tail',
      'livehooks tail --type css.monitor.stream_broken,css.monitor.low_framerate',
      'livehooks tail --stream room42 --json | jq .summary',
      'livehooks tail --room 12345 --user user_a',
    ],
    exitCodes: [
      [exitCodes.ok, 'stopped with Ctrl+C, or --limit reached'],
      [exitCodes.usage, 'unknown event type, invalid option'],
      [exitCodes.gateway, 'the gateway could not be reached at start'],
      [exitCodes.unauthorized, 'the API token was refused'],
    ],
  });
}

import { setTimeout as sleep } from 'node:timers/promises';
import { Command, Option } from 'commander';
import type { ApiEvent } from '../_api-types.js';
import { CliError } from '../_cli-error.js';
import { eventTypesOf, matchesTypes } from '../_event-filters.js';
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
interface SseMessage {
  id?: string;
  event: string;
  data: string;
  retry?: number;
}

/** Splits a Server-Sent Events byte stream into messages (the WHATWG event-stream format). */
export async function* readSse(
  body: ReadableStream<Uint8Array>,
  signal: AbortSignal,
): AsyncGenerator<SseMessage> {
  const decoder = new TextDecoder();
  let buffer = '';
  const reader = body.getReader();
  const onAbort = () => void reader.cancel().catch(() => {});
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end: number;
      while ((end = buffer.search(/\r?\n\r?\n/)) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + (buffer[end] === '\r' ? 4 : 2));
        const message: SseMessage = { event: 'message', data: '' };
        const data: string[] = [];
        for (const line of block.split(/\r?\n/)) {
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const text = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'data') data.push(text);
          else if (field === 'event') message.event = text;
          else if (field === 'id') message.id = text;
          else if (field === 'retry' && /^\d+$/.test(text)) message.retry = Number(text);
        }
        message.data = data.join('\n');
        if (data.length > 0 || message.retry !== undefined) yield message;
      }
    }
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

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
  let lastEventId: string | undefined;
  let retryMs = 2000;
  let received = 0;
  let connectedOnce = false;
  try {
    while (!controller.signal.aborted) {
      let lost = false;
      try {
        const response = await client.request('/api/events/stream', {
          query,
          headers: { accept: 'text/event-stream', ...(lastEventId ? { 'last-event-id': lastEventId } : {}) },
          signal: controller.signal,
        });
        if (!connectedOnce) printNote(`following ${client.server} (Ctrl+C to stop)`);
        else printNote('reconnected');
        connectedOnce = true;
        for await (const message of readSse(response.body!, controller.signal)) {
          if (message.retry !== undefined) retryMs = message.retry;
          if (message.event !== 'event' || message.data === '') continue;
          if (message.id) lastEventId = message.id;
          const event = JSON.parse(message.data) as ApiEvent;
          // The gateway filters too; checking here keeps older gateways honest.
          if (!matchesTypes(event, types)) continue;
          if (flags.stream !== undefined && event.subject.streamId !== flags.stream) continue;
          // The live tail filters by type and stream only: room, task and user are checked here.
          if (flags.room !== undefined && event.subject.roomId !== flags.room) continue;
          if (flags.task !== undefined && event.subject.taskId !== flags.task) continue;
          if (flags.user !== undefined && event.subject.userId !== flags.user) continue;
          if (flags.json) printJsonLine(event);
          else printLine(`${style('dim', event.id)}  ${formatEventLine(event)}`);
          received++;
          if (flags.limit !== undefined && received >= flags.limit) {
            controller.abort();
            break;
          }
        }
      } catch (error) {
        if (controller.signal.aborted) break;
        // A refused token or a gateway never reached is final; a dropped stream is resumed.
        if (error instanceof CliError && (error.exitCode !== exitCodes.gateway || !connectedOnce))
          throw error;
        printNote(
          `connection lost (${error instanceof Error ? error.message : String(error)}); retrying in ${retryMs} ms`,
        );
        lost = true;
      }
      if (controller.signal.aborted) break;
      if (!lost) printNote(`stream ended; resuming after ${lastEventId ?? 'the start'} in ${retryMs} ms`);
      await sleep(retryMs, undefined, { signal: controller.signal }).catch(() => {});
    }
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

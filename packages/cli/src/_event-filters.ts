import { Option, type Command } from 'commander';
import type { ApiEvent, ApiEventPage, EventFilters } from './_api-types.js';
import type { GatewayClient } from './_gateway-client.js';
import { collect, pointInTime } from './_parse-option.js';

/** The filter flags of `events list`, `events export` and `replay`. */
export interface FilterFlags {
  type: string[];
  stream?: string;
  room?: string;
  task?: string;
  since?: number;
  until?: number;
}

/** Adds the event filter flags to a command. */
export function addFilterOptions(command: Command): Command {
  return command
    .addOption(
      new Option('--type <type>', 'only this event type (repeatable, or comma-separated)')
        .default([])
        .argParser(collect),
    )
    .option('--stream <id>', 'only events of this stream (CSS stream_id)')
    .option('--room <id>', 'only events of this room (TRTC RoomId)')
    .option('--task <id>', 'only events of this task (TaskId, task_id)')
    .addOption(
      new Option(
        '--since <time>',
        'events received at or after: unix s/ms, ISO date, or 15m, 2h, 7d ago',
      ).argParser(pointInTime),
    )
    .addOption(
      new Option('--until <time>', 'events received before: same forms as --since').argParser(pointInTime),
    );
}

/** The flags as `GET /api/events` query parameters. */
export function filtersOf(flags: FilterFlags): EventFilters {
  const types = flags.type
    .flatMap((type) => type.split(','))
    .map((type) => type.trim())
    .filter(Boolean);
  return {
    ...(types.length > 0 ? { type: types.join(',') } : {}),
    ...(flags.stream === undefined ? {} : { stream_id: flags.stream }),
    ...(flags.room === undefined ? {} : { room_id: flags.room }),
    ...(flags.task === undefined ? {} : { task_id: flags.task }),
    ...(flags.since === undefined ? {} : { since: flags.since }),
    ...(flags.until === undefined ? {} : { until: flags.until }),
  };
}

/** The largest page the API serves. */
const PAGE = 500;

/** Every stored event matching the filters, newest first, page by page. */
export async function* listAllEvents(
  client: GatewayClient,
  filters: EventFilters,
): AsyncGenerator<ApiEvent[]> {
  let cursor: string | undefined;
  do {
    const page = await client.json<ApiEventPage>('/api/events', { ...filters, limit: PAGE, cursor });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

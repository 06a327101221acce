import { catalog } from '@livehooks/core';
import { Option, type Command } from 'commander';
import type { ApiEvent, ApiEventPage, EventFilters } from './_api-types.js';
import { CliError } from './_cli-error.js';
import type { GatewayClient } from './_gateway-client.js';
import { collect, pointInTime } from './_parse-option.js';
import { exitCodes } from './exit-codes.js';

/** Every event type of the catalog, `*.unknown` included. */
const KNOWN_TYPES: readonly string[] = [...new Set(catalog.map((definition) => definition.type))];

/** A type pattern as the gateway reads it: `*` stands for any run of type characters. */
function typePattern(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('[a-z0-9_.]*')}$`);
}

/** Edit distance (insertions, deletions, substitutions) between two short strings. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The catalog types closest to a mistyped one: those within a few edits, else the three nearest of its family. */
export function nearestTypes(type: string): string[] {
  const wanted = type.replace(/\*/g, '');
  const family = KNOWN_TYPES.filter((known) => known.startsWith(`${wanted.split('.')[0]}.`));
  const ranked = (family.length > 0 ? family : KNOWN_TYPES)
    .map((known) => ({ known, edits: distance(wanted, known) }))
    .sort((a, b) => a.edits - b.edits);
  const close = ranked.filter(({ edits }) => edits <= Math.max(3, Math.floor(wanted.length / 4)));
  return (close.length > 0 ? close : ranked).slice(0, 3).map(({ known }) => known);
}

/** Whether an event is of one of the types or patterns (the type it was classified as counts too). */
export function matchesTypes(
  event: Pick<ApiEvent, 'type' | 'classifiedAs'>,
  types: readonly string[],
): boolean {
  if (types.length === 0) return true;
  const patterns = types.map(typePattern);
  return [event.type, event.classifiedAs].some(
    (type) => type !== undefined && patterns.some((pattern) => pattern.test(type)),
  );
}

/**
 * The `--type` values as a list of types and patterns (`css.moderation.*`), each checked against the
 * catalog: an unknown type fails with exit code 2 and the nearest known types, before any request.
 */
export function eventTypesOf(values: readonly string[]): string[] {
  const types = values
    .flatMap((value) => value.split(','))
    .map((type) => type.trim())
    .filter(Boolean);
  for (const type of types) {
    const known = type.includes('*')
      ? KNOWN_TYPES.some((candidate) => typePattern(type).test(candidate))
      : KNOWN_TYPES.includes(type);
    if (known) continue;
    const near = nearestTypes(type);
    throw new CliError(
      exitCodes.usage,
      `unknown event type ${JSON.stringify(type)}${near.length > 0 ? `; did you mean ${near.join(', ')}?` : ''} (livehooks trigger --list lists every type)`,
    );
  }
  return types;
}

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
  const types = eventTypesOf(flags.type);
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
export const MAX_PAGE = 500;

/** Every stored event matching the filters, newest first, page by page. */
export async function* listAllEvents(
  client: GatewayClient,
  filters: EventFilters,
): AsyncGenerator<ApiEvent[]> {
  let cursor: string | undefined;
  do {
    const page = await client.json<ApiEventPage>('/api/events', { ...filters, limit: MAX_PAGE, cursor });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
}

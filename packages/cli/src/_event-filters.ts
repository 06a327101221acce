import { catalog, compileSelector, isLivehooksError } from '@livehooks/core';
import { Option, type Command } from 'commander';
import type { ApiEvent, ApiEventPage, EventFilters } from './_api-types.js';
import { CliError } from './_cli-error.js';
import type { GatewayClient } from './_gateway-client.js';
import { collect, pointInTime } from './_parse-option.js';
import { exitCodes } from './exit-codes.js';

/** Every event type of the catalog, `*.unknown` included. */
const KNOWN_TYPES: readonly string[] = [...new Set(catalog.map((definition) => definition.type))];

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
  const matches = compileSelector(types);
  return [event.type, event.classifiedAs].some((type) => type !== undefined && matches(type));
}

/**
 * The `--type` values as a list of types and patterns in the receiver's grammar (`css.screenshot`,
 * `css.moderation.*`, `*`), each checked against the catalog: one that matches no type fails with exit code 2
 * and the nearest known types, before any request.
 */
export function eventTypesOf(values: readonly string[]): string[] {
  const types = values
    .flatMap((value) => value.split(','))
    .map((type) => type.trim())
    .filter(Boolean);
  for (const type of types) {
    try {
      compileSelector(type);
      continue;
    } catch (error) {
      if (!isLivehooksError(error)) throw error;
    }
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
  user?: string;
  family?: 'css' | 'trtc';
  search?: string;
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
    .option('--user <id>', 'only events of this user (TRTC UserId)')
    .addOption(new Option('--family <family>', 'only CSS or only TRTC events').choices(['css', 'trtc']))
    .option('--search <words>', "only events containing every one of these words (the API's q)")
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
    ...(flags.user === undefined ? {} : { user_id: flags.user }),
    ...(flags.family === undefined ? {} : { family: flags.family }),
    ...(flags.search === undefined ? {} : { q: flags.search }),
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

const FULL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Candidates listed when a prefix is ambiguous. */
const SHOWN_CANDIDATES = 10;

/** Ids of one kind (`event`, `delivery`) that `pages` lists, each with a word shown beside it. */
interface IdSearch<T extends { id: string }> {
  noun: 'event' | 'delivery';
  /** The pages to search, given the id's hex digits (lower case, no dashes). */
  pages: (hex: string) => AsyncIterable<T[]>;
  describe: (item: T) => string;
}

/**
 * The id a full UUID or a unique start of one (dashes optional) names. Fails with exit code 7 when nothing
 * matches, and 2, listing the candidates, when several do.
 */
export async function resolveIdPrefix<T extends { id: string }>(
  input: string,
  search: IdSearch<T>,
): Promise<string> {
  const wanted = input.trim().toLowerCase();
  if (FULL_ID.test(wanted)) return wanted;
  const hex = wanted.replace(/-/g, '');
  if (!/^[0-9a-f]{1,32}$/.test(hex)) {
    const article = search.noun === 'event' ? 'an' : 'a';
    throw new CliError(
      exitCodes.usage,
      `${JSON.stringify(input)} is not ${article} ${search.noun} id nor the start of one`,
    );
  }
  const candidates: T[] = [];
  for await (const page of search.pages(hex)) {
    candidates.push(...page.filter((item) => item.id.replace(/-/g, '').startsWith(hex)));
    if (candidates.length > SHOWN_CANDIDATES) break;
  }
  if (candidates.length === 1) return candidates[0]!.id;
  if (candidates.length === 0) {
    throw new CliError(
      exitCodes.notFound,
      `no stored ${search.noun} has an id starting with ${JSON.stringify(input)}`,
    );
  }
  const shown = candidates.slice(0, SHOWN_CANDIDATES).map((item) => `${item.id} (${search.describe(item)})`);
  throw new CliError(
    exitCodes.usage,
    `${JSON.stringify(input)} is the start of several ${search.noun} ids; give more of it: ${shown.join(', ')}${candidates.length > SHOWN_CANDIDATES ? ', ...' : ''}`,
  );
}

/**
 * The event id a full id or a unique prefix of one (`01a2009`, dashes optional) names. Ids are UUIDv7,
 * whose first 48 bits are the receipt time, so a prefix is a time range the API lists directly. Fails
 * with exit code 7 when nothing matches, and 2, listing the candidates, when several do.
 */
export function resolveEventId(client: GatewayClient, input: string): Promise<string> {
  return resolveIdPrefix(input, {
    noun: 'event',
    pages: (hex) => {
      const time = hex.slice(0, 12);
      const since = Number.parseInt(time.padEnd(12, '0'), 16);
      const until = Number.parseInt(time.padEnd(12, 'f'), 16) + 1;
      return listAllEvents(client, { since, until });
    },
    describe: (event) => event.type,
  });
}

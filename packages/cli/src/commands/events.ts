import { open, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { once } from 'node:events';
import { sendCallback } from '@livehooks/fixtures';
import { Command, InvalidArgumentError, Option } from 'commander';
import type { ApiEvent, ApiEventDetail, ApiEventPage } from '../_api-types.js';
import { CliError } from '../_cli-error.js';
import {
  addFilterOptions,
  filtersOf,
  listAllEvents,
  MAX_PAGE,
  resolveEventId,
  type FilterFlags,
} from '../_event-filters.js';
import { addGatewayOptions, gatewayClient, type GatewayFlags } from '../_gateway-options.js';
import { formatJson, formatTime, printJson, printLine, printNote, style } from '../_output.js';
import { httpUrl, positiveInteger } from '../_parse-option.js';
import { createProgress } from '../_progress.js';
import { describeAttempt } from '../_report.js';
import { withHelp } from '../_command-help.js';
import { exitCodes } from '../exit-codes.js';
import { addResignOptions, replayRequest, resignKeysOf, type ResignFlags } from '../_replay-request.js';

/** `stream=abc room=12 task=… user=…`: the subject in one short run of words. */
export function describeSubject(event: Pick<ApiEvent, 'subject'>): string {
  const { streamId, roomId, taskId, userId, sdkAppId } = event.subject;
  return [
    streamId === undefined ? undefined : `stream=${streamId}`,
    roomId === undefined ? undefined : `room=${roomId}`,
    taskId === undefined ? undefined : `task=${taskId.length > 24 ? `${taskId.slice(0, 23)}…` : taskId}`,
    userId === undefined ? undefined : `user=${userId}`,
    sdkAppId === undefined || roomId !== undefined ? undefined : `app=${sdkAppId}`,
  ]
    .filter(Boolean)
    .join(' ');
}

/** One readable line per event: time, type, subject, summary and flags. */
export function formatEventLine(event: ApiEvent): string {
  const flags = [
    event.auth.stale ? style('yellow', 'stale') : undefined,
    event.issues
      ? style('yellow', event.classifiedAs ? `not a valid ${event.classifiedAs}` : 'schema issues')
      : undefined,
    event.duplicates > 0
      ? style('dim', `${event.duplicates} duplicate${event.duplicates === 1 ? '' : 's'}`)
      : undefined,
  ].filter(Boolean);
  return [
    style('dim', formatTime(event.receivedAt)),
    style('bold', event.type),
    describeSubject(event),
    event.summary,
    flags.length > 0 ? `[${flags.join(', ')}]` : '',
  ]
    .filter(Boolean)
    .join('  ');
}

interface ListFlags extends FilterFlags, GatewayFlags {
  limit: number;
  cursor?: string;
  json?: boolean;
}

/** Commander parser for `--limit`: a page the API serves, 1 to {@link MAX_PAGE}. */
export function pageSize(value: string): number {
  const size = positiveInteger(value);
  if (size > MAX_PAGE)
    throw new InvalidArgumentError(`expected at most ${MAX_PAGE}, the largest page the gateway serves`);
  return size;
}

async function list(flags: ListFlags): Promise<void> {
  const filters = filtersOf(flags);
  const client = await gatewayClient(flags);
  const page = await client.json<ApiEventPage>('/api/events', {
    ...filters,
    limit: flags.limit,
    cursor: flags.cursor,
  });
  if (flags.json) {
    printJson(page);
    return;
  }
  for (const event of page.items) printLine(`${style('dim', event.id)}  ${formatEventLine(event)}`);
  if (page.items.length === 0) printNote('no events match');
  if (page.nextCursor) printNote(`more: add --cursor ${page.nextCursor}`);
}

interface ShowFlags extends GatewayFlags {
  json?: boolean;
  raw?: boolean;
}

async function show(id: string, flags: ShowFlags): Promise<void> {
  const client = await gatewayClient(flags);
  const event = await client.json<ApiEventDetail>(`/api/events/${await resolveEventId(client, id)}`);
  if (flags.raw) {
    // Exactly the body as received: pipe it into `livehooks send -` or `livehooks verify -`.
    process.stdout.write(event.raw);
    return;
  }
  if (flags.json) {
    printJson(event);
    return;
  }
  printLine(formatEventLine(event));
  printLine(`${style('dim', 'id')}          ${event.id}`);
  printLine(`${style('dim', 'source')}      ${event.source} (${event.family})`);
  if (event.classifiedAs) printLine(`${style('dim', 'classified')}  ${event.classifiedAs}`);
  printLine(`${style('dim', 'occurred')}    ${new Date(event.occurredAt).toISOString()}`);
  printLine(`${style('dim', 'received')}    ${new Date(event.receivedAt).toISOString()}`);
  printLine(
    `${style('dim', 'auth')}        ${event.auth.method}${event.auth.keyId ? ` (${event.auth.keyId})` : ''}${event.auth.stale ? ', stale' : ''}`,
  );
  printLine(`${style('dim', 'dedupe key')}  ${event.dedupeKey}`);
  printLine(`${style('dim', 'duplicates')}  ${event.duplicates}`);
  for (const issue of event.issues ?? [])
    printLine(`${style('yellow', 'issue')}       ${issue.path}: ${issue.message}`);
  printLine();
  printLine(style('dim', 'data'));
  printJson(event.data);
  printLine();
  printLine(style('dim', 'headers'));
  for (const [name, value] of Object.entries(event.headers)) printLine(`${name}: ${value}`);
  printLine();
  printLine(style('dim', `raw body (${Buffer.byteLength(event.raw)} bytes; --raw prints it unescaped)`));
  printLine(event.raw);
}

interface ResendFlags extends GatewayFlags, ResignFlags {
  to: string;
  timeout?: number;
  json?: boolean;
}

async function resend(id: string, flags: ResendFlags): Promise<void> {
  const client = await gatewayClient(flags);
  const event = await client.json<ApiEventDetail>(`/api/events/${await resolveEventId(client, id)}`);
  const request = replayRequest(event, resignKeysOf(flags));
  const result = await sendCallback({
    url: flags.to,
    body: request.body,
    headers: request.headers,
    noRetry: true,
    ...(flags.timeout === undefined ? {} : { timeoutMs: flags.timeout }),
  });
  const attempt = result.attempts[0]!;
  const accepted = attempt.status !== undefined && attempt.status >= 200 && attempt.status < 300;
  if (flags.json) {
    printJson({
      id: event.id,
      type: event.type,
      to: flags.to,
      resigned: request.resigned,
      ...(attempt.status === undefined ? {} : { status: attempt.status }),
      latencyMs: attempt.latencyMs,
      ...(attempt.responseBody === undefined ? {} : { body: attempt.responseBody }),
      ...(attempt.error === undefined ? {} : { error: attempt.error }),
    });
  } else {
    const mark = accepted ? style('green', '→') : style('red', '✗');
    printLine(
      `${event.type}  ${event.id}  ${mark} ${describeAttempt(attempt)}${request.resigned ? style('dim', '  (re-signed)') : ''}`,
    );
  }
  process.exitCode = accepted ? exitCodes.ok : exitCodes.undelivered;
}

interface ExportFlags extends FilterFlags, GatewayFlags {
  out?: string;
  withRaw?: boolean;
  format: 'ndjson' | 'csv' | 'json';
}

/** The value of one CSV cell. */
type Cell = string | number | boolean | undefined;

/** The columns of `events export --format csv`; `raw` is added with --with-raw. */
const CSV_COLUMNS: readonly [string, (event: ApiEventDetail | ApiEvent) => Cell][] = [
  ['id', (event) => event.id],
  ['received_at', (event) => new Date(event.receivedAt).toISOString()],
  ['occurred_at', (event) => new Date(event.occurredAt).toISOString()],
  ['type', (event) => event.type],
  ['family', (event) => event.family],
  ['source', (event) => event.source],
  ['app_id', (event) => event.subject.appId],
  ['sdk_app_id', (event) => event.subject.sdkAppId],
  ['stream_id', (event) => event.subject.streamId],
  ['room_id', (event) => event.subject.roomId],
  ['task_id', (event) => event.subject.taskId],
  ['user_id', (event) => event.subject.userId],
  ['summary', (event) => event.summary],
  ['auth', (event) => event.auth.method],
  ['stale', (event) => event.auth.stale],
  ['duplicates', (event) => event.duplicates],
];

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, quote or line break. Text a spreadsheet would
 * run as a formula (starting with = + - @, a tab or a carriage return) gets a leading `'`, so callback
 * text such as `=HYPERLINK(...)` stays text.
 */
export function csvCell(value: Cell): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(cells: readonly Cell[]): string {
  return cells.map(csvCell).join(',');
}

/** Why a file cannot be written, in words: `its folder /x does not exist`, `permission denied`. */
function describeWriteError(path: string, error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return `its folder ${dirname(resolve(path))} does not exist`;
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return error.code ?? error.message;
  }
}

/** Opens the output file, or fails in one line saying why it cannot be written. */
async function openOutput(path: string): Promise<FileHandle> {
  try {
    return await open(path, 'w');
  } catch (error) {
    throw new CliError(
      exitCodes.failure,
      `cannot write ${path}: ${describeWriteError(path, error as NodeJS.ErrnoException)}`,
      { cause: error },
    );
  }
}

async function exportEvents(flags: ExportFlags): Promise<void> {
  const filters = filtersOf(flags);
  const client = await gatewayClient(flags);
  const pages = listAllEvents(client, filters);
  // The first page proves the gateway answers before an existing file is truncated.
  const first = await pages.next();
  const file = flags.out === undefined ? undefined : await openOutput(flags.out);
  const output = file === undefined ? process.stdout : file.createWriteStream();
  // A reader of standard output going away ends the process quietly (exitWhenOutputCloses); a file that
  // cannot be written fails the export.
  const failed = new Promise<never>((_, reject) => {
    if (file !== undefined)
      output.once('error', (error: NodeJS.ErrnoException) =>
        reject(
          new CliError(
            exitCodes.failure,
            `cannot write ${flags.out}: ${describeWriteError(flags.out!, error)}`,
          ),
        ),
      );
  });
  // Awaited only while writing; a failure at any other time is reported by the race that follows it.
  failed.catch(() => {});
  const progress = createProgress({ total: 0, label: 'export', enabled: file !== undefined });
  let count = 0;
  const write = async (line: string) => {
    if (!output.write(`${line}\n`)) await Promise.race([once(output, 'drain'), failed]);
  };
  const columns = flags.withRaw
    ? [
        ...CSV_COLUMNS,
        ['raw', (event: ApiEventDetail | ApiEvent) => ('raw' in event ? event.raw : '')] as const,
      ]
    : CSV_COLUMNS;
  const format = (record: ApiEventDetail | ApiEvent): string => {
    if (flags.format === 'csv') return csvRow(columns.map(([, cell]) => cell(record)));
    if (flags.format === 'json') return `${count === 0 ? '' : ','}${formatJson(record)}`;
    return formatJson(record);
  };
  if (flags.format === 'csv') await write(csvRow(columns.map(([name]) => name)));
  if (flags.format === 'json') await write('[');
  try {
    for (let page = first; page.done !== true; page = await pages.next()) {
      progress.setTotal(count + page.value.length);
      for (const event of page.value) {
        const record = flags.withRaw ? await client.json<ApiEventDetail>(`/api/events/${event.id}`) : event;
        await write(format(record));
        count++;
        progress.increment({ failed: 0 });
      }
    }
    if (flags.format === 'json') await write(']');
  } finally {
    progress.stop();
    if (file !== undefined) {
      output.end();
      await Promise.race([once(output, 'finish'), failed]);
    }
  }
  printNote(`exported ${count} event${count === 1 ? '' : 's'}${flags.out ? ` to ${flags.out}` : ''}`);
}

/**
 * `livehooks events list|show|resend|export`: reads what a gateway stored through its query API, and
 * re-sends one stored callback to a receiver.
 *
 * @example
 * ```sh
 * livehooks events list --type css.moderation.image --since 1h
 * livehooks events export --since 7d --out week.ndjson
 * ```
 */
export function createEventsCommand(): Command {
  const events = new Command('events').description(
    "Query a gateway's stored events: list, show, resend one, export as NDJSON, CSV or JSON",
  );

  const listCommand = addFilterOptions(new Command('list').description('List stored events, newest first'));
  addGatewayOptions(listCommand)
    .addOption(new Option('--limit <n>', 'events per page (1-500)').default(20).argParser(pageSize))
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--json', 'print the page as JSON: { items, nextCursor }')
    .action(async (flags: ListFlags) => list(flags));
  withHelp(listCommand, {
    notes: ['Prints one page (newest first) and, when more follow, the --cursor of the next one.'],
    examples: [
      'livehooks events list',
      'livehooks events list --type css.moderation.image,trtc.moderation.result --since 1h',
      'livehooks events list --stream room42 --limit 100 --json',
    ],
    exitCodes: [
      [exitCodes.ok, 'listed'],
      [exitCodes.usage, 'unknown event type, --limit above 500, invalid option'],
      [exitCodes.gateway, 'the gateway could not be reached or failed'],
      [exitCodes.unauthorized, 'the API token was refused'],
    ],
  });

  const showCommand = new Command('show')
    .description('Show one stored event with its raw body and headers')
    .argument('<id>', 'event id, or a unique start of one (as short as it stays unique)');
  addGatewayOptions(showCommand)
    .option('--json', 'print the event as JSON (envelope, payload, raw, headers)')
    .option('--raw', 'print only the body exactly as received')
    .action(async (id: string, flags: ShowFlags) => show(id, flags));
  withHelp(showCommand, {
    examples: [
      'livehooks events show 01a20096-7fe6-7314-b429-afb104ca511d',
      'livehooks events show 01a20096-7fe6-7314-b429-afb104ca511d --json | livehooks verify - --key "$TRTC_KEY"',
      'livehooks events show 01a20096-7fe6-7314-b429-afb104ca511d --raw > body.json',
    ],
    exitCodes: [
      [exitCodes.ok, 'shown'],
      [exitCodes.usage, 'the id prefix matches several events (they are listed)'],
      [exitCodes.gateway, 'the gateway could not be reached or failed'],
      [exitCodes.unauthorized, 'the API token was refused'],
      [exitCodes.notFound, 'no event has this id or an id starting with it'],
    ],
  });

  const resendCommand = addResignOptions(
    new Command('resend')
      .description('Send one stored event, as Tencent sent it, to a receiver')
      .argument('<id>', 'event id, or a unique start of one (as `events show` takes)')
      .addOption(
        new Option('--to <url>', 'the receiver to POST the callback to')
          .makeOptionMandatory()
          .argParser(httpUrl),
      ),
  )
    .addOption(
      new Option('--timeout <ms>', 'reply timeout (default: 20000 CSS, 5000 TRTC)').argParser(
        positiveInteger,
      ),
    )
    .option('--json', 'print the answer as JSON: { id, type, to, resigned, status, latencyMs, body, error }');
  addGatewayOptions(resendCommand).action(async (id: string, flags: ResendFlags) => resend(id, flags));
  withHelp(resendCommand, {
    notes: [
      'Sends the stored bytes once (no retries) with their Content-Type, Sign and SdkAppId headers, and prints the status, time and body of the answer. Without keys the original signatures go through, which verify only with the keys the gateway has; with --css-key a signed CSS body changes only in t and sign, with --trtc-key a TRTC body keeps its bytes and gets a new Sign.',
    ],
    examples: [
      'livehooks events resend 01a20096 --to http://127.0.0.1:3000/callbacks',
      'livehooks events resend 01a20096-7fe6-7314-b429-afb104ca511d --to http://127.0.0.1:3000/callbacks --css-key "$LOCAL_CSS_KEY"',
      'livehooks events resend 01a20096 --to http://127.0.0.1:3000/trtc --trtc-key "$LOCAL_TRTC_KEY" --sdk-app-id 1400000001 --json',
    ],
    exitCodes: [
      [exitCodes.ok, 'the receiver answered 2xx'],
      [exitCodes.usage, 'missing --to, the id prefix matches several events, invalid option'],
      [exitCodes.undelivered, 'the receiver refused it (not 2xx), timed out or could not be reached'],
      [exitCodes.gateway, 'the gateway could not be reached or failed'],
      [exitCodes.unauthorized, 'the API token was refused'],
      [exitCodes.notFound, 'no event has this id or an id starting with it'],
    ],
  });

  const exportCommand = addFilterOptions(
    new Command('export').description('Export stored events as NDJSON, CSV or a JSON array'),
  );
  addGatewayOptions(exportCommand)
    .addOption(
      new Option('--format <format>', 'ndjson (one envelope per line), csv (a header row) or json (an array)')
        .choices(['ndjson', 'csv', 'json'])
        .default('ndjson'),
    )
    .option('--out <file>', 'write to a file (with a progress bar) instead of standard output')
    .option('--with-raw', 'include each raw body, payload and headers (one more request per event)')
    .action(async (flags: ExportFlags) => exportEvents(flags));
  withHelp(exportCommand, {
    notes: [
      'Events are written newest first: one JSON envelope per line (ndjson), a JSON array (json), or CSV with a header row and one row per event (id, times, type, subject, summary, auth, duplicates). --with-raw adds the raw body, payload and headers of each (CSV: a raw column). CSV cells that a spreadsheet would run as a formula (starting with = + - @) are prefixed with a quote.',
    ],
    examples: [
      'livehooks events export > all.ndjson',
      'livehooks events export --since 7d --type css.monitor.stream_broken --out broken.ndjson',
      'livehooks events export --with-raw --out audit.ndjson',
      'livehooks events export --format csv --since 1d --out today.csv',
    ],
    exitCodes: [
      [exitCodes.ok, 'exported'],
      [exitCodes.failure, 'the output file cannot be written'],
      [exitCodes.usage, 'unknown event type, invalid option'],
      [exitCodes.gateway, 'the gateway could not be reached or failed'],
      [exitCodes.unauthorized, 'the API token was refused'],
    ],
  });

  return events
    .addCommand(listCommand)
    .addCommand(showCommand)
    .addCommand(resendCommand)
    .addCommand(exportCommand);
}

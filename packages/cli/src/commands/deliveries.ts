import type { Delivery } from '@livehooks/server';
import { Command, Option } from 'commander';
import { CliError } from '../_cli-error.js';
import { withHelp } from '../_command-help.js';
import { resolveIdPrefix } from '../_event-filters.js';
import { addGatewayOptions, gatewayClient, type GatewayFlags } from '../_gateway-options.js';
import type { GatewayClient } from '../_gateway-client.js';
import { formatTime, printJson, printLine, printNote, style } from '../_output.js';
import { exitCodes } from '../exit-codes.js';
import { pageSize } from './events.js';

/** A page of `GET /api/deliveries`. */
interface DeliveryPage {
  items: Delivery[];
  nextCursor: string | null;
}

const STATUSES = ['pending', 'held', 'delivered', 'dead', 'disabled'] as const;

const STATUS_STYLE = {
  pending: 'yellow',
  held: 'yellow',
  delivered: 'green',
  dead: 'red',
  disabled: 'red',
} as const;

/** One readable line per delivery: id, last change, status, sink, event, attempts and last error. */
export function formatDeliveryLine(delivery: Delivery): string {
  return [
    style('dim', delivery.id),
    style('dim', formatTime(delivery.updatedAt)),
    style(STATUS_STYLE[delivery.status], delivery.status),
    delivery.sink,
    style('bold', delivery.eventType),
    delivery.eventId,
    `${delivery.attempts} attempt${delivery.attempts === 1 ? '' : 's'}`,
    delivery.status === 'pending' && delivery.nextAttemptAt !== null
      ? `next ${formatTime(delivery.nextAttemptAt)}`
      : '',
    delivery.lastError ?? '',
  ]
    .filter(Boolean)
    .join('  ');
}

interface ListFlags extends GatewayFlags {
  status?: string;
  sink?: string;
  limit: number;
  cursor?: string;
  json?: boolean;
}

async function list(flags: ListFlags): Promise<void> {
  const client = await gatewayClient(flags);
  const page = await client.json<DeliveryPage>('/api/deliveries', {
    status: flags.status,
    sink: flags.sink,
    limit: flags.limit,
    cursor: flags.cursor,
  });
  if (flags.json) {
    printJson(page);
    return;
  }
  for (const delivery of page.items) printLine(formatDeliveryLine(delivery));
  if (page.items.length === 0) printNote('no deliveries match');
  if (page.nextCursor) printNote(`more: add --cursor ${page.nextCursor}`);
}

/** Deliveries searched for an id prefix: the newest ten thousand. */
const PREFIX_SEARCH_PAGES = 20;

/** The newest deliveries, page by page. */
async function* newestDeliveries(client: GatewayClient): AsyncGenerator<Delivery[]> {
  let cursor: string | undefined;
  for (let pages = 0; pages < PREFIX_SEARCH_PAGES; pages++) {
    const page = await client.json<DeliveryPage>('/api/deliveries', { limit: 500, cursor });
    yield page.items;
    cursor = page.nextCursor ?? undefined;
    if (cursor === undefined) return;
  }
}

/** The delivery id a full id or a unique start of one names, among the newest ten thousand deliveries. */
function resolveDeliveryId(client: GatewayClient, input: string): Promise<string> {
  return resolveIdPrefix(input, {
    noun: 'delivery',
    pages: () => newestDeliveries(client),
    describe: (delivery) => `${delivery.sink} ${delivery.status}`,
  });
}

interface RetryFlags extends GatewayFlags {
  dead?: boolean;
  sink?: string;
  json?: boolean;
}

async function retry(id: string | undefined, flags: RetryFlags): Promise<void> {
  if ((id === undefined) === !flags.dead)
    throw new CliError(exitCodes.usage, 'give either a delivery id or --dead (every dead delivery)');
  if (flags.sink !== undefined && !flags.dead)
    throw new CliError(exitCodes.usage, '--sink goes with --dead: a delivery id names its sink');
  const client = await gatewayClient(flags);
  if (flags.dead) {
    const response = await client.request('/api/deliveries/retry-dead', {
      method: 'POST',
      query: { sink: flags.sink },
    });
    const { retried } = (await response.json()) as { retried: number };
    if (flags.json) printJson({ retried });
    else printLine(`retrying ${retried} dead deliver${retried === 1 ? 'y' : 'ies'}`);
    return;
  }
  const deliveryId = await resolveDeliveryId(client, id!);
  const response = await client.request(`/api/deliveries/${encodeURIComponent(deliveryId)}/retry`, {
    method: 'POST',
  });
  const delivery = (await response.json()) as Delivery;
  if (flags.json) printJson(delivery);
  else printLine(formatDeliveryLine(delivery));
}

/**
 * `livehooks deliveries list|retry`: a gateway's forwardings of events to its sinks, and retrying the
 * failed ones.
 *
 * @example
 * ```sh
 * livehooks deliveries list --status dead --sink ops
 * livehooks deliveries retry --dead
 * ```
 */
export function createDeliveriesCommand(): Command {
  const deliveries = new Command('deliveries').description(
    "A gateway's deliveries of events to its sinks: list them, retry failed ones",
  );

  const listCommand = new Command('list')
    .description('List deliveries, newest first')
    .addOption(new Option('--status <status>', 'only deliveries in this state').choices(STATUSES))
    .option('--sink <name>', 'only deliveries to this sink')
    .addOption(new Option('--limit <n>', 'deliveries per page (1-500)').default(50).argParser(pageSize))
    .option('--cursor <cursor>', 'the next page, as printed after the previous one')
    .option('--json', 'print the page as JSON: { items, nextCursor }');
  addGatewayOptions(listCommand).action(async (flags: ListFlags) => list(flags));
  withHelp(listCommand, {
    notes: [
      'One line per delivery: id, last change, status, sink, event type and id, attempts, the next attempt of a pending one and the last error. A delivery is pending (due or waiting for a retry), held (a stale CSS event, until released), delivered, dead (every attempt failed) or disabled (its sink answered 410).',
    ],
    examples: [
      'livehooks deliveries list',
      'livehooks deliveries list --status dead --sink ops',
      'livehooks deliveries list --status pending --limit 500 --json',
    ],
    exitCodes: [
      [exitCodes.ok, 'listed'],
      [exitCodes.usage, 'unknown --status, --limit above 500, invalid option'],
      [exitCodes.gateway, 'the gateway could not be reached or failed (a sink it does not have)'],
      [exitCodes.unauthorized, 'the API token was refused'],
    ],
  });

  const retryCommand = new Command('retry')
    .description('Retry a delivery now, or every dead one with --dead')
    .argument('[id]', 'the delivery id as deliveries list prints it, or a unique start of it')
    .option('--dead', 'retry every dead delivery')
    .option('--sink <name>', 'with --dead: only the dead deliveries to this sink')
    .option('--json', 'print the retried delivery (or { retried } with --dead) as JSON');
  addGatewayOptions(retryCommand).action(async (id: string | undefined, flags: RetryFlags) =>
    retry(id, flags),
  );
  withHelp(retryCommand, {
    notes: [
      'A retried delivery is pending and due at once, with its attempts counted from zero; retrying a disabled one re-enables its sink. The gateway makes the attempts: list the deliveries again to see how they went.',
    ],
    examples: [
      'livehooks deliveries retry 019aa1f3-5c2e-7b1d-9e4a-3f0c2d1e8b77',
      'livehooks deliveries retry 019aa1f35c2e',
      'livehooks deliveries retry --dead',
      'livehooks deliveries retry --dead --sink ops --json',
    ],
    exitCodes: [
      [exitCodes.ok, 'retrying'],
      [
        exitCodes.usage,
        'neither an id nor --dead, or both; an id prefix several deliveries share; invalid option',
      ],
      [exitCodes.gateway, 'the gateway could not be reached or failed (a sink it does not have)'],
      [exitCodes.unauthorized, 'the API token was refused'],
      [exitCodes.notFound, 'no delivery has this id'],
    ],
  });

  return deliveries.addCommand(listCommand).addCommand(retryCommand);
}

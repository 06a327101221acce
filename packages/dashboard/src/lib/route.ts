/** The dashboard's pages. */
export type PageName =
  | 'overview'
  | 'tail'
  | 'events'
  | 'event'
  | 'streams'
  | 'stream'
  | 'moderation'
  | 'tasks'
  | 'task'
  | 'search'
  | 'deliveries'
  | 'sink'
  | 'rejections'
  | 'rejection'
  | 'not-found';

/** Where the dashboard is: a page, the id it shows (event, stream, task or refusal), and its query parameters. */
export interface Route {
  page: PageName;
  id?: string;
  query: Record<string, string>;
}

/** Pages listing many things, at `#/<name>`; the ones with a detail page take `#/<name>/<id>`. */
const LISTS: Record<string, { list: PageName; detail?: PageName }> = {
  tail: { list: 'tail' },
  events: { list: 'events', detail: 'event' },
  streams: { list: 'streams', detail: 'stream' },
  moderation: { list: 'moderation' },
  tasks: { list: 'tasks', detail: 'task' },
  search: { list: 'search' },
  deliveries: { list: 'deliveries', detail: 'sink' },
  rejections: { list: 'rejections', detail: 'rejection' },
};

const SEGMENT_OF: Partial<Record<PageName, string>> = {
  tail: 'tail',
  events: 'events',
  event: 'events',
  streams: 'streams',
  stream: 'streams',
  moderation: 'moderation',
  tasks: 'tasks',
  task: 'tasks',
  search: 'search',
  deliveries: 'deliveries',
  sink: 'deliveries',
  rejections: 'rejections',
  rejection: 'rejections',
};

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/**
 * Reads a route from a location hash (`#/streams/live-1?app_id=live`). The dashboard routes on the hash
 * so the gateway only ever serves `/`.
 *
 * @example
 * ```ts
 * parseRoute('#/events/0190...'); // { page: 'event', id: '0190...', query: {} }
 * ```
 */
export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const mark = text.indexOf('?');
  const path = mark === -1 ? text : text.slice(0, mark);
  const query: Record<string, string> =
    mark === -1 ? {} : Object.fromEntries(new URLSearchParams(text.slice(mark + 1)));
  const segments = path.split('/').filter((segment) => segment !== '');
  if (segments.length === 0) return { page: 'overview', query };
  const entry = Object.hasOwn(LISTS, segments[0]!) ? LISTS[segments[0]!] : undefined;
  if (entry === undefined || segments.length > 2) return { page: 'not-found', query };
  if (segments.length === 1) return { page: entry.list, query };
  if (entry.detail === undefined) return { page: 'not-found', query };
  return { page: entry.detail, id: safeDecode(segments[1]!), query };
}

/**
 * The hash link of a route, leaving out empty query parameters.
 *
 * @example
 * ```ts
 * routeHref({ page: 'stream', id: 'live 1', query: { app_id: 'live' } }); // '#/streams/live%201?app_id=live'
 * ```
 */
export function routeHref(route: {
  page: PageName;
  id?: string | undefined;
  query?: Record<string, string | undefined>;
}): string {
  const segment = SEGMENT_OF[route.page];
  let path = segment === undefined ? '/' : `/${segment}`;
  if (route.id !== undefined) path += `/${encodeURIComponent(route.id)}`;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(route.query ?? {})) {
    if (value !== undefined && value !== '') search.append(key, value);
  }
  const text = search.toString();
  return `#${path}${text === '' ? '' : `?${text}`}`;
}

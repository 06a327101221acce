import { ApiError, type ApiClient, type QueryParams } from './api-client';
import type { Envelope } from './api-types';
import { SseParser } from './sse-parser';

/** Where a live tail is: connecting, receiving, waiting to reconnect, or stopped for good. */
export type LiveTailStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

/** Options for {@link runLiveTail}. */
export interface LiveTailOptions {
  client: ApiClient;
  /** `type` and `stream_id`, as `GET /api/events/stream` takes them. */
  params?: QueryParams;
  /** Receives the events of each chunk the server sent, oldest first. */
  onEvents(events: Envelope[]): void;
  /** Told each status change; `error` explains a reconnect or a stop. */
  onStatus?(status: LiveTailStatus, error?: ApiError): void;
  /** Ends the tail. */
  signal: AbortSignal;
  /** Resume after this event id (sent as `Last-Event-ID`). */
  lastEventId?: string;
  /** Delay before reconnecting when the server did not say (`retry:`), in ms. Default 2000. */
  retryMs?: number;
  /** Default: the global `fetch`. */
  fetch?: typeof fetch;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

async function errorOf(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text) as { code?: unknown; error?: unknown };
    if (typeof body.code === 'string' && typeof body.error === 'string') {
      return new ApiError(body.code, body.error, response.status);
    }
  } catch {
    // Not a gateway error body: fall through to the status.
  }
  return new ApiError(
    `HTTP_${response.status}`,
    `the live tail answered ${response.status}`,
    response.status,
  );
}

/**
 * Follows `GET /api/events/stream` until `signal` aborts: reads the Server-Sent Events with `fetch` (so the
 * bearer token travels in a header, which `EventSource` cannot send), and on a dropped connection
 * reconnects after the server's `retry:` delay with `Last-Event-ID`, so no event is lost or repeated. A
 * refused token or a bad filter (4xx) stops it for good.
 *
 * @example
 * ```ts
 * const controller = new AbortController();
 * void runLiveTail({ client, params: { type: 'css.monitor.stream_broken' }, signal: controller.signal,
 *   onEvents: (events) => rows.unshift(...events.reverse()) });
 * ```
 */
export async function runLiveTail(options: LiveTailOptions): Promise<void> {
  const { client, signal } = options;
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  let lastEventId = options.lastEventId ?? '';
  let retryMs = options.retryMs ?? 2000;

  while (!signal.aborted) {
    options.onStatus?.('connecting');
    let failure: ApiError | undefined;
    try {
      const response = await doFetch(client.url('/events/stream', options.params), {
        headers: {
          ...client.headers(),
          accept: 'text/event-stream',
          ...(lastEventId === '' ? {} : { 'last-event-id': lastEventId }),
        },
        cache: 'no-store',
        signal,
      });
      if (!response.ok || response.body === null) {
        const error = await errorOf(response);
        if (response.status >= 400 && response.status < 500) {
          options.onStatus?.('stopped', error);
          return;
        }
        throw error;
      }
      options.onStatus?.('live');
      const parser = new SseParser();
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const events: Envelope[] = [];
        for (const message of parser.push(value)) {
          if (message.event !== 'event') continue;
          events.push(JSON.parse(message.data) as Envelope);
        }
        if (parser.lastEventId !== '') lastEventId = parser.lastEventId;
        if (parser.retry !== undefined) retryMs = parser.retry;
        if (events.length > 0) options.onEvents(events);
      }
    } catch (error) {
      if (signal.aborted) break;
      failure =
        error instanceof ApiError
          ? error
          : new ApiError('LH_ERR_NETWORK', 'the live tail connection dropped', 0);
    }
    if (signal.aborted) break;
    options.onStatus?.('reconnecting', failure);
    await sleep(retryMs, signal);
  }
  options.onStatus?.('stopped');
}

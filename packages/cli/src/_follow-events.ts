import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiEvent } from './_api-types.js';
import { CliError } from './_cli-error.js';
import type { GatewayClient } from './_gateway-client.js';
import { printNote } from './_output.js';
import { exitCodes } from './exit-codes.js';

interface SseMessage {
  id?: string;
  event: string;
  data: string;
  retry?: number;
}

/** Splits a Server-Sent Events byte stream into messages (the WHATWG event-stream format). */
async function* readSse(body: ReadableStream<Uint8Array>, signal: AbortSignal): AsyncGenerator<SseMessage> {
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

/** What {@link followEvents} follows and how it reports its connections. */
export interface FollowOptions {
  /** The live tail's filters (`type`, `stream_id`). */
  query: Record<string, string>;
  /** Resume after this event id (`Last-Event-ID`); without it, from the moment of connecting. */
  after?: string;
  signal: AbortSignal;
  /** Each (re)connection; `after` is the id it resumes after. */
  onConnect: (reconnected: boolean, after: string | undefined) => void;
  /** The stream ended without an error; it resumes after `after` in `retryMs`. */
  onEnd: (after: string | undefined, retryMs: number) => void;
  /**
   * Each event, in the order stored. Answers false to stop following. An event whose handler throws is not
   * taken: the error is handled as a lost connection, and the tail resumes before that event.
   */
  onEvent: (event: ApiEvent) => boolean | Promise<boolean>;
}

/**
 * Follows a gateway's live tail, handing each event to `onEvent`: after a dropped connection it waits the
 * gateway's `retry` and resumes with `Last-Event-ID` after the last event handled, so nothing is missed. A
 * refused token, or a gateway never reached, is thrown; it ends when `signal` aborts or `onEvent` says stop.
 */
export async function followEvents(client: GatewayClient, options: FollowOptions): Promise<void> {
  const { signal } = options;
  let after = options.after;
  let retryMs = 2000;
  let connectedOnce = false;
  while (!signal.aborted) {
    let lost = false;
    try {
      const response = await client.request('/api/events/stream', {
        query: options.query,
        headers: { accept: 'text/event-stream', ...(after ? { 'last-event-id': after } : {}) },
        signal,
      });
      options.onConnect(connectedOnce, after);
      connectedOnce = true;
      for await (const message of readSse(response.body!, signal)) {
        if (message.retry !== undefined) retryMs = message.retry;
        if (message.event !== 'event' || message.data === '') continue;
        const event = JSON.parse(message.data) as ApiEvent;
        if (!(await options.onEvent(event))) return;
        after = event.id;
      }
    } catch (error) {
      if (signal.aborted) break;
      // A refused token or a gateway never reached is final; a dropped stream is resumed.
      if (error instanceof CliError && (error.exitCode !== exitCodes.gateway || !connectedOnce)) throw error;
      printNote(
        `connection lost (${error instanceof Error ? error.message : String(error)}); retrying in ${retryMs} ms`,
      );
      lost = true;
    }
    if (signal.aborted) break;
    if (!lost) options.onEnd(after, retryMs);
    await sleep(retryMs, undefined, { signal }).catch(() => {});
  }
}

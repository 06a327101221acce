/** One dispatched Server-Sent Events message. */
export interface SseMessage {
  /** The `event:` field; `message` when absent. */
  event: string;
  /** The `data:` lines joined by newlines. */
  data: string;
  /** The last event id seen on the stream so far (it persists across messages, as in the spec). */
  id: string;
}

/**
 * An incremental parser of a `text/event-stream` body, following the WHATWG event-stream interpretation
 * rules: lines end in CR, LF or CRLF (possibly split across chunks), `:` starts a comment, one space after
 * the colon is dropped, `data:` lines accumulate, a blank line dispatches, `retry:` takes digits only and
 * an `id:` containing NUL is ignored. Needed because `EventSource` cannot send the Authorization header,
 * so the live tail reads the stream with `fetch`.
 *
 * @example
 * ```ts
 * const parser = new SseParser();
 * for (const message of parser.push('id: 1\nevent: event\ndata: {"a":1}\n\n')) console.log(message.data);
 * ```
 * @see https://html.spec.whatwg.org/multipage/server-sent-events.html#event-stream-interpretation
 */
export class SseParser {
  #buffer = '';
  #sawCarriageReturn = false;
  #started = false;
  #data: string[] = [];
  #event = '';
  #lastEventId = '';
  #retry: number | undefined;

  /** The last event id seen; send it as `Last-Event-ID` when reconnecting. */
  get lastEventId(): string {
    return this.#lastEventId;
  }

  /** The reconnection delay the server asked for with `retry:`, in ms. */
  get retry(): number | undefined {
    return this.#retry;
  }

  /** Feeds decoded text; returns the messages completed by it. */
  push(chunk: string): SseMessage[] {
    let text = chunk;
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.startsWith('\uFEFF')) text = text.slice(1);
    }
    // A CR ending the previous chunk already ended a line; its LF arriving now is part of that CRLF.
    if (this.#sawCarriageReturn && text.startsWith('\n')) text = text.slice(1);
    this.#sawCarriageReturn = false;

    const messages: SseMessage[] = [];
    let buffer = this.#buffer + text;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const char = buffer[i];
      if (char !== '\n' && char !== '\r') continue;
      const message = this.#line(buffer.slice(start, i));
      if (message) messages.push(message);
      if (char === '\r') {
        if (i + 1 === buffer.length) this.#sawCarriageReturn = true;
        else if (buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    buffer = buffer.slice(start);
    this.#buffer = buffer;
    return messages;
  }

  #line(line: string): SseMessage | undefined {
    if (line === '') return this.#dispatch();
    if (line.startsWith(':')) return undefined;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'data':
        this.#data.push(value);
        break;
      case 'event':
        this.#event = value;
        break;
      case 'id':
        if (!value.includes('\0')) this.#lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.#retry = Number(value);
        break;
      default:
        break;
    }
    return undefined;
  }

  #dispatch(): SseMessage | undefined {
    const data = this.#data;
    const event = this.#event;
    this.#data = [];
    this.#event = '';
    if (data.length === 0) return undefined;
    return { event: event === '' ? 'message' : event, data: data.join('\n'), id: this.#lastEventId };
  }
}

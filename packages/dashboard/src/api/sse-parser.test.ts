import { describe, expect, it } from 'vitest';
import { SseParser } from './sse-parser';

describe('SseParser', () => {
  it('parses a gateway event with its id, event name and JSON data', () => {
    const parser = new SseParser();
    const messages = parser.push(
      'retry: 2000\n\nid: 0190-a\nevent: event\ndata: {"type":"css.screenshot"}\n\n',
    );
    expect(messages).toEqual([{ id: '0190-a', event: 'event', data: '{"type":"css.screenshot"}' }]);
    expect(parser.retry).toBe(2000);
    expect(parser.lastEventId).toBe('0190-a');
  });

  it('assembles a message split across chunks at any point', () => {
    const text = 'id: 7\nevent: event\ndata: {"summary":"主播 上线"}\n\n';
    for (let cut = 1; cut < text.length; cut++) {
      const parser = new SseParser();
      const messages = [...parser.push(text.slice(0, cut)), ...parser.push(text.slice(cut))];
      expect(messages, `cut at ${cut}`).toEqual([
        { id: '7', event: 'event', data: '{"summary":"主播 上线"}' },
      ]);
    }
  });

  it('treats CR, LF and CRLF as line ends, including a CRLF split between chunks', () => {
    const parser = new SseParser();
    const messages = [...parser.push('data: a\r'), ...parser.push('\ndata: b\rdata: c\n\r\n')];
    expect(messages).toEqual([{ id: '', event: 'message', data: 'a\nb\nc' }]);
  });

  it('ignores comments such as heartbeats and does not dispatch an event without data', () => {
    const parser = new SseParser();
    expect(parser.push(': keep-alive\n\nevent: event\n\n')).toEqual([]);
    expect(parser.push('data: x\n\n')).toEqual([{ id: '', event: 'message', data: 'x' }]);
  });

  it('removes one space after the colon only, and takes a field without colon as empty', () => {
    const parser = new SseParser();
    expect(parser.push('data:  two spaces\ndata\n\n')).toEqual([
      { id: '', event: 'message', data: ' two spaces\n' },
    ]);
  });

  it('keeps the last event id across messages, ignores ids containing NUL and non-numeric retry', () => {
    const parser = new SseParser();
    parser.push('id: 1\ndata: a\n\n');
    const [message] = parser.push('id: bad\0id\nretry: soon\ndata: b\n\n');
    expect(message?.id).toBe('1');
    expect(parser.retry).toBeUndefined();
  });

  it('drops a byte order mark at the start of the stream', () => {
    const parser = new SseParser();
    expect(parser.push('\uFEFFdata: x\n\n')).toEqual([{ id: '', event: 'message', data: 'x' }]);
  });
});

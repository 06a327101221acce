/**
 * What {@link parseMonitorMessage} reads from the free-text `event_msg` of a CSS 328 callback.
 * `AreaCoordSet`, `StartPtsTime`, `EndPtsTime` and `Text` keep the names Tencent writes inside
 * the message; the others are ours.
 */
export interface MonitorMessage {
  /** The message exactly as sent. */
  message: string;
  /** The stream named in `stream [ name ]`. */
  streamName?: string;
  /** The threshold of a low frame rate alert: `frame rate is less than 10 fps` gives 10. */
  fpsThreshold?: number;
  /** OCR: the text box, four numbers as Tencent sends them (`[42,325,101,336]`). */
  AreaCoordSet?: [number, number, number, number];
  /** ASR: start of the recognised sentence, in seconds of stream time. */
  StartPtsTime?: number;
  /** ASR: end of the recognised sentence, in seconds of stream time. */
  EndPtsTime?: number;
  /** OCR or ASR: the recognised text, trimmed. */
  Text?: string;
}

const STREAM = /stream\s*\[\s*([^\]]*?)\s*\]/;
const FPS = /frame rate is less than\s*(\d+(?:\.\d+)?)\s*fps/i;
const CALLBACK_BODY = /callback message\s*:\s*\{/;
const KEY = /^\s*([A-Za-z]\w*)\s*:\s*/;
const NUMBER = /^-?\d+(?:\.\d+)?$/;
const FOLDABLE = /[^\S ]| {2}/;

type BodyValue = number | number[];

function parseNumber(text: string): number | undefined {
  const trimmed = text.trim();
  return NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * Reads `{Key:value, ..., Text:free text}`: the keys before `Text` hold a number or a list of
 * numbers; `Text` is the last key and runs to the final closing brace, so it may itself contain
 * commas, colons, braces and brackets (`event_msg` is free text, not JSON:
 * https://cloud.tencent.com/document/product/267/88050).
 */
function parseCallbackBody(message: string): { fields: Map<string, BodyValue>; text?: string } | undefined {
  const opening = CALLBACK_BODY.exec(message);
  const closing = message.lastIndexOf('}');
  if (!opening || closing < opening.index + opening[0].length) return undefined;
  let rest = message.slice(opening.index + opening[0].length, closing);
  const fields = new Map<string, BodyValue>();
  for (;;) {
    const key = KEY.exec(rest);
    if (!key?.[1]) return undefined;
    rest = rest.slice(key[0].length);
    if (key[1] === 'Text') return { fields, text: rest.trim() };
    let value: BodyValue | undefined;
    if (rest.startsWith('[')) {
      const end = rest.indexOf(']');
      if (end < 0) return undefined;
      const items = rest.slice(1, end).split(',').map(parseNumber);
      if (items.some((item) => item === undefined)) return undefined;
      value = items as number[];
      rest = rest.slice(end + 1);
    } else {
      const end = rest.indexOf(',');
      value = parseNumber(end < 0 ? rest : rest.slice(0, end));
      rest = end < 0 ? '' : rest.slice(end);
    }
    if (value === undefined) return undefined;
    fields.set(key[1], value);
    const separator = /^\s*,/.exec(rest);
    if (!separator) return rest.trim() === '' ? { fields } : undefined;
    rest = rest.slice(separator[0].length);
  }
}

function isQuad(value: BodyValue | undefined): value is [number, number, number, number] {
  return Array.isArray(value) && value.length === 4;
}

/**
 * Extracts the structured fields of a CSS 328 monitoring message: the stream name, the frame rate
 * threshold (`StreamLowFramerate`), the text box and text (`OcrFullText`), the time span and text
 * (`AsrFullText`). A message that does not have the documented form yields only `message` (and
 * the stream name when present); it never throws.
 *
 * @example
 * ```ts
 * parseMonitorMessage('AsrFullText', 'stream [ test1 ] callback message: {StartPtsTime:4.783, EndPtsTime:24.063, Text:中方共同努力}');
 * // { message: '...', streamName: 'test1', StartPtsTime: 4.783, EndPtsTime: 24.063, Text: '中方共同努力' }
 * ```
 * @see https://cloud.tencent.com/document/product/267/88050
 */
export function parseMonitorMessage(eventName: string, msg: string): MonitorMessage {
  const result: MonitorMessage = { message: msg };
  const stream = STREAM.exec(msg)?.[1];
  if (stream) result.streamName = stream;
  if (eventName === 'StreamLowFramerate') {
    const fps = FPS.exec(msg)?.[1];
    if (fps !== undefined) result.fpsThreshold = Number(fps);
  } else if (eventName === 'OcrFullText') {
    const body = parseCallbackBody(msg);
    const area = body?.fields.get('AreaCoordSet');
    if (body?.text !== undefined && isQuad(area)) {
      result.AreaCoordSet = area;
      result.Text = body.text;
    }
  } else if (eventName === 'AsrFullText') {
    const body = parseCallbackBody(msg);
    const start = body?.fields.get('StartPtsTime');
    const end = body?.fields.get('EndPtsTime');
    if (body?.text !== undefined && typeof start === 'number' && typeof end === 'number') {
      result.StartPtsTime = start;
      result.EndPtsTime = end;
      result.Text = body.text;
    }
  }
  return result;
}

/** Shortens free text to one summary line: newlines folded, at most `max` characters. */
export function clipText(text: string, max = 80): string {
  // Only whitespace other than a single space needs folding.
  const line = (FOLDABLE.test(text) ? text.replace(/\s+/g, ' ') : text).trim();
  // A line of at most `max` UTF-16 units has at most `max` code points.
  if (line.length <= max) return line;
  // Count code points, not UTF-16 units, so a clip never splits an emoji in half.
  const chars = Array.from(line);
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : line;
}

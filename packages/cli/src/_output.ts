import { randomUUID } from 'node:crypto';
import { styleText } from 'node:util';
import { exitCodes } from './exit-codes.js';

type Style = Parameters<typeof styleText>[0];

/**
 * Invisible characters that reorder or break the text around them: the bidirectional marks, embeddings,
 * overrides and isolates (U+202E shows `evil.exe` as `exe.live`), and the Unicode line and paragraph separators.
 */
const INVISIBLE = '\\u061c\\u200e\\u200f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069';
/** C0 and C1 control characters (ESC, CR, BS, BEL, DEL, U+009B CSI, ...) and {@link INVISIBLE}. */
const UNSAFE_TEXT = new RegExp(`[\\p{Cc}${INVISIBLE}]`, 'gu');
/** What `JSON.stringify` leaves unescaped of {@link UNSAFE_TEXT}: DEL, the C1 controls and {@link INVISIBLE}. */
const UNSAFE_JSON = new RegExp(`[\\u007f-\\u009f${INVISIBLE}]`, 'gu');
const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function codeOf(char: string, width: number): string {
  return char.charCodeAt(0).toString(16).padStart(width, '0');
}

/**
 * Shows the control characters of a text as escapes (`\x1b`, `\r`, `\n`, `\x9b`, `\u202e`), so text from a
 * callback, a gateway or a receiver cannot move the cursor, clear the screen, retitle the terminal, paint fake
 * lines or reorder what follows it. Printable text, CJK and emoji are kept as they are.
 *
 * @example
 * ```ts
 * escapeControl('room\x1b]0;pwned\x07\r\u202e'); // 'room\\x1b]0;pwned\\x07\\r\\u202e'
 * ```
 */
export function escapeControl(text: string): string {
  return text.replace(
    UNSAFE_TEXT,
    (char) => NAMED[char] ?? (char < '\u0100' ? `\\x${codeOf(char, 2)}` : `\\u${codeOf(char, 4)}`),
  );
}

/**
 * JSON text of a value with every control character escaped (`\u001b`, `\u009b`, `\u202e`): the same value
 * for a parser, nothing a terminal acts on.
 *
 * @example
 * ```ts
 * formatJson({ streamId: 'a\u009b2J' }); // '{"streamId":"a\\u009b2J"}'
 * ```
 */
export function formatJson(value: unknown, indent?: number): string {
  // Outside its strings JSON.stringify writes only ASCII punctuation, literals and indentation.
  return JSON.stringify(value, null, indent).replace(UNSAFE_JSON, (char) => `\\u${codeOf(char, 4)}`);
}

function colours(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

/** Brackets each run {@link style} returns; random per process, so no printed text can forge one. */
const STYLED = `\u{e000}${randomUUID()}\u{e000}`;

/** Text as the terminal gets it: the styled runs as they are, control characters elsewhere escaped. */
function render(text: string): string {
  return text
    .split(STYLED)
    .map((part, index) => (index % 2 === 1 ? part : escapeControl(part)))
    .join('');
}

/**
 * Styles text for standard output when it is a colour terminal; plain text otherwise. Only
 * {@link printLine} and {@link printNote} turn the result into the terminal's escape sequences.
 */
export function style(format: Style, text: string, stream: NodeJS.WriteStream = process.stdout): string {
  return colours(stream) ? `${STYLED}${styleText(format, render(text))}${STYLED}` : text;
}

/**
 * Writes one line of results to standard output, its control characters (newlines included) escaped:
 * every human-readable line of every command goes through here or {@link printNote}.
 */
export function printLine(line = ''): void {
  process.stdout.write(`${render(line)}\n`);
}

/** Writes one line of diagnostics to standard error (kept out of piped results), escaped as {@link printLine}. */
export function printNote(line: string): void {
  process.stderr.write(`${render(line)}\n`);
}

/** Writes a value as indented JSON to standard output ({@link formatJson}). */
export function printJson(value: unknown): void {
  process.stdout.write(`${formatJson(value, 2)}\n`);
}

/** Writes a value as one line of JSON (NDJSON) to standard output ({@link formatJson}). */
export function printJsonLine(value: unknown): void {
  process.stdout.write(`${formatJson(value)}\n`);
}

let closingWatched = false;

/**
 * Ends the process quietly with exit code 0 once the reader of standard output or standard error goes away
 * (EPIPE: `livehooks events list | head -1`), as a Unix filter does: nobody is left to read the rest. Installed
 * once, for every command.
 */
export function exitWhenOutputCloses(): void {
  if (closingWatched) return;
  closingWatched = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(exitCodes.ok);
      throw error;
    });
  }
}

/** A time as local `HH:MM:SS.mmm`, or a full ISO date when it is not today. */
export function formatTime(ms: number): string {
  const date = new Date(ms);
  const today = new Date();
  if (date.toDateString() !== today.toDateString()) return date.toISOString();
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

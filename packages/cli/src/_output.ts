import { styleText } from 'node:util';

type Style = Parameters<typeof styleText>[0];

function colours(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && process.env.NO_COLOR === undefined && process.env.TERM !== 'dumb';
}

/** Styles text for standard output when it is a colour terminal; plain text otherwise. */
export function style(format: Style, text: string, stream: NodeJS.WriteStream = process.stdout): string {
  return colours(stream) ? styleText(format, text) : text;
}

/** Writes one line of results to standard output. */
export function printLine(line = ''): void {
  process.stdout.write(`${line}\n`);
}

/** Writes one line of diagnostics to standard error (kept out of piped results). */
export function printNote(line: string): void {
  process.stderr.write(`${line}\n`);
}

/** Writes a value as indented JSON to standard output. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A time as local `HH:MM:SS.mmm`, or a full ISO date when it is not today. */
export function formatTime(ms: number): string {
  const date = new Date(ms);
  const today = new Date();
  if (date.toDateString() !== today.toDateString()) return date.toISOString();
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

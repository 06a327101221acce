import { z } from 'zod';
import type { Subject } from '../../envelope.js';

/**
 * A field Tencent sends as a JSON text: `callback_ext` of recording files
 * (https://www.tencentcloud.com/document/product/267/38082), `record_detail` of recording status
 * (https://www.tencentcloud.com/document/product/267/58590), `msg` and `source_urls` of relay tasks
 * (https://cloud.tencent.com/document/product/267/56208). Accepted as already-parsed JSON too, in case
 * Tencent stops double-encoding.
 */
export const jsonText = z.union([z.string(), z.array(z.unknown()), z.record(z.string(), z.unknown())]);

/** A boolean sent as `true`, `"true"` or `1`. */
export const booleanish = z.union([
  z.boolean(),
  z.enum(['true', 'false']).transform((value) => value === 'true'),
  z.union([z.literal(0), z.literal(1)]).transform((value) => value === 1),
]);

/**
 * Decodes a JSON-text field and validates it with `schema`; undefined when the field is absent,
 * not JSON, or not of the expected shape. Tencent asks not to depend on these extras
 * (267/38082), so a bad one never fails the whole event.
 */
export function parseJsonText<T>(value: unknown, schema: z.ZodType<T>): T | undefined {
  let decoded = value;
  if (typeof value === 'string') {
    try {
      decoded = JSON.parse(value);
    } catch {
      return undefined;
    }
  }
  if (decoded === undefined) return undefined;
  const result = schema.safeParse(decoded);
  return result.success ? result.data : undefined;
}

/** A JSON text kept as the original string, whatever form it came in. */
export function originalText(
  value: string | unknown[] | Record<string, unknown> | undefined,
): string | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The CSS subject (APPID, stream) plus the task the callback names. */
export function subjectWithTask(subject: Subject, taskId: string | undefined): Subject {
  if (taskId !== undefined && taskId !== '') subject.taskId = taskId;
  return subject;
}

/**
 * A UNIX time whose unit a page leaves unstated, in ms: values below 10^12 are read as seconds
 * (10^12 ms is September 2001, 10^12 s is 33 658 AD).
 */
export function unixToMs(value: number | undefined): number | undefined {
  if (value === undefined || !Number.isFinite(value) || value <= 0) return undefined;
  return value < 1e12 ? value * 1000 : value;
}

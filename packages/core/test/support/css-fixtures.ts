import { expect } from 'vitest';
import { loadInvalidSamples, samplesOf, signRequest, TEST_KEYS } from '@livehooks/fixtures';
import { LivehooksError } from '../../src/errors/livehooks-error.js';
import type { EventOf, EventType } from '../../src/events/index.js';
import { parseCallback, type ParseOptions } from '../../src/parse/parse-callback.js';

/** Parse options for CSS fixture tests: the test key, unsigned events (314, 321, 328) allowed. */
export const options: ParseOptions = { css: { keys: [TEST_KEYS.css], allowUnsigned: true } };

/** Signs the CSS fixture `<type>/<name>` as Tencent would and parses it, asserting it keeps its type. */
export function parseAs<T extends EventType>(type: T, name: string): EventOf<T> {
  const sample = samplesOf(type).find((candidate) => candidate.name === name);
  if (!sample) throw new Error(`no fixture ${type}/${name}`);
  const request = signRequest('css', sample.body);
  const event = parseCallback(request.body, request.headers, options);
  expect(event.issues).toBeUndefined();
  expect(event.type).toBe(type);
  return event as EventOf<T>;
}

/** The error code parsing the invalid fixture `name` throws, or undefined when it parses. */
export function codeOfInvalid(name: string): string | undefined {
  const sample = loadInvalidSamples().find((candidate) => candidate.name === name);
  if (!sample) throw new Error(`no invalid fixture ${name}`);
  try {
    parseCallback(sample.body, {}, options);
  } catch (error) {
    if (error instanceof LivehooksError) return error.code;
    throw error;
  }
  return undefined;
}

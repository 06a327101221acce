import { expect } from 'vitest';
import { samplesOf, signRequest, TEST_KEYS } from '@livehooks/fixtures';
import type { EventOf, EventType } from '../../src/events/index.js';
import { parseCallback } from '../../src/parse/parse-callback.js';

/** The receipt time TRTC fixture tests parse at. */
export const RECEIVED_AT = Date.UTC(2025, 0, 6, 15, 0, 0);
/** The SdkAppId the fixtures are signed for. */
export const SDK_APP_ID = TEST_KEYS.trtc.sdkAppId;

/** A fixture body byte for byte. */
export function body(type: EventType, name: string): string {
  const found = samplesOf(type).find((sample) => sample.name === name);
  if (!found) throw new Error(`no sample ${type}/${name}`);
  return found.body;
}

/** Receives a body as TRTC sends it, signed with the test key, and checks it parses cleanly to `type`. */
export function receive<T extends EventType>(type: T, raw: string): EventOf<T> {
  const request = signRequest('trtc', raw);
  const event = parseCallback(request.body, request.headers, {
    trtc: { keys: { [SDK_APP_ID]: TEST_KEYS.trtc.key } },
    now: () => RECEIVED_AT,
  });
  expect(event.issues).toBeUndefined();
  expect(event.type).toBe(type);
  return event as EventOf<T>;
}

import { samplesOf, signRequest, TEST_KEYS } from '@livehooks/fixtures';
import { describe, expect, it } from 'vitest';
import { parseCallback } from '../../parse/parse-callback.js';
import type { EventOf, EventType } from '../index.js';
import { describeIngestStartStatus } from './ingest.js';

const RECEIVED_AT = Date.UTC(2025, 0, 6, 15, 0, 0);
const SDK_APP_ID = TEST_KEYS.trtc.sdkAppId;

/** A fixture body byte for byte. */
function body(type: EventType, name: string): string {
  const found = samplesOf(type).find((sample) => sample.name === name);
  if (!found) throw new Error(`no sample ${type}/${name}`);
  return found.body;
}

/** Receives a body as TRTC sends it, signed with the test key, and checks it parses cleanly to `type`. */
function receive<T extends EventType>(type: T, raw: string): EventOf<T> {
  const request = signRequest('trtc', raw);
  const event = parseCallback(request.body, request.headers, {
    trtc: { keys: { [SDK_APP_ID]: TEST_KEYS.trtc.key } },
    now: () => RECEIVED_AT,
  });
  expect(event.issues).toBeUndefined();
  expect(event.type).toBe(type);
  return event as EventOf<T>;
}

const TASK = '-nHwXIdU7jx6C00Nt8Vr+3h4GwYdP7zbeHi9L4K-4pycoZWQndibqFeEaV4LvjFqSuQvaAkrNQE.';

describe('trtc.ingest.started (701)', () => {
  it('reads the doc sample, which has CallbackMsTs and Status outside any Payload', () => {
    const event = receive('trtc.ingest.started', body('trtc.ingest.started', 'doc-sample'));
    expect(event.data).toEqual({ TaskId: 'xx', EventMsTs: 1701937900013, Status: 0, status: 'started' });
    expect(event.subject).toEqual({ taskId: 'xx', sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1701937900013);
    expect(event.dedupeKey).toBe('trtc.ingest.started:7|701|xx|||1701937900013|');
    expect(event.summary).toBe('stream ingest task xx started');
  });

  it('reads EventMsTs sent as a string, as the doc types it', () => {
    const event = receive(
      'trtc.ingest.started',
      body('trtc.ingest.started', 'event-ms-ts-string-restarting'),
    );
    expect(event.data).toMatchObject({ EventMsTs: 1701937905010, Status: 2, status: 'restarting' });
    expect(event.occurredAt).toBe(1701937905010);
    expect(event.dedupeKey).toBe(`trtc.ingest.started:7|701|${TASK}|||1701937905010|`);
    expect(event.summary).toBe(`stream ingest task ${TASK} restarting`);
  });

  it('dates a callback without EventMsTs from CallbackMsTs', () => {
    const raw =
      '{"EventGroupId":7,"EventType":701,"CallbackMsTs":1701937900012,"EventInfo":{"TaskId":"t1","Status":1}}';
    const event = receive('trtc.ingest.started', raw);
    expect(event.occurredAt).toBe(1701937900012);
    expect(event.summary).toBe('stream ingest task t1 failed to start');
  });

  it('names every documented start status and says which it does not know', () => {
    expect([0, 1, 2, 3].map(describeIngestStartStatus)).toEqual([
      'started',
      'failed to start',
      'restarting',
      'unknown status 3',
    ]);
  });
});

describe('trtc.ingest.stopped (702)', () => {
  it('reads a stop', () => {
    const event = receive('trtc.ingest.stopped', body('trtc.ingest.stopped', 'built-from-table'));
    expect(event.data).toEqual({ TaskId: TASK, EventMsTs: 1701941500010, Status: 0 });
    expect(event.subject).toEqual({ taskId: TASK, sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1701941500010);
    expect(event.summary).toBe(`stream ingest task ${TASK} stopped`);
  });
});

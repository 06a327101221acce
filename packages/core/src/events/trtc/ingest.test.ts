import { describe, expect, it } from 'vitest';
import { describeIngestStartStatus } from './ingest.js';
import { body, receive, SDK_APP_ID } from '../../../test/support/trtc-fixtures.js';

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

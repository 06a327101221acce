import { describe, expect, it } from 'vitest';
import { trtcWebRecordingEvents } from './web-recording.js';
import { body, receive, SDK_APP_ID } from '../../../test/support/trtc-fixtures.js';

const TASK = '-m9-bVVU7id***K-m928oZWQndiborbEWH3zY-lIXlprc-gQvQE';

describe('TRTC web-page recording events (group 8)', () => {
  it('lists 801 to 804', () => {
    expect(trtcWebRecordingEvents.map((event) => [event.match.eventType, event.type])).toEqual([
      [801, 'trtc.web_recording.started'],
      [802, 'trtc.web_recording.stopped'],
      [803, 'trtc.web_recording.status'],
      [804, 'trtc.web_recording.limit'],
    ]);
  });

  it('reads the 801 doc sample: a task with no room or user, only a TaskId', () => {
    const event = receive('trtc.web_recording.started', body('trtc.web_recording.started', 'doc-sample'));
    expect(event.data).toEqual({
      TaskId: TASK,
      EventMsTs: 1622186275757,
      Status: 1,
      status: 'started',
      EventMessage: 'Success',
    });
    expect(event.subject).toEqual({ taskId: TASK, sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1622186275757);
    expect(event.dedupeKey).toBe(`trtc.web_recording.started:8|801|${TASK}|||1622186275757|`);
    expect(event.summary).toBe(`web recording task ${TASK} started`);
  });

  it('gives the message of a failed start', () => {
    const event = receive('trtc.web_recording.started', body('trtc.web_recording.started', 'start-failed'));
    expect(event.summary).toBe(`web recording task ${TASK} failed to start: page load timeout`);
  });

  it('reads a stop, a pause and a duration limit', () => {
    expect(
      receive('trtc.web_recording.stopped', body('trtc.web_recording.stopped', 'built-from-table')).summary,
    ).toBe(`web recording task ${TASK} stopped`);
    const paused = receive('trtc.web_recording.status', body('trtc.web_recording.status', 'paused'));
    expect(paused.data).toMatchObject({ Status: 2, status: 'paused' });
    expect(paused.summary).toBe(`web recording task ${TASK} paused`);
    const limit = receive('trtc.web_recording.limit', body('trtc.web_recording.limit', 'max-duration'));
    expect(limit.data).toMatchObject({ Status: 1, EventMessage: 'max duration reached' });
    expect(limit.summary).toBe(`web recording task ${TASK} reached its maximum duration`);
    expect(limit.occurredAt).toBe(1622229475757);
  });

  it('says so for a status the page does not list', () => {
    const raw = body('trtc.web_recording.status', 'paused').replace('"Status":\t2', '"Status":\t9');
    expect(receive('trtc.web_recording.status', raw).summary).toBe(
      `web recording task ${TASK} reported unknown status 9`,
    );
  });
});

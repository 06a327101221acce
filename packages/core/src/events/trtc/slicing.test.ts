import { describe, expect, it } from 'vitest';
import { trtcSlicingEvents } from './slicing.js';
import { body, receive, SDK_APP_ID } from '../../../test/support/trtc-fixtures.js';

const TASK = '-nHRjqhU7gTG0UIL-MquzG8D0Q+wehTbVTeeIIK-rO+8oZWQndibtueIpQ8A0F3n9PEVRk0rngE.';
const ROBOT = 'slice-robot-975626';
const TASK_IN_ROOM = `slicing task ${TASK} in room 975626`;

describe('TRTC cloud slicing events (group 10)', () => {
  it('lists 1001 to 1006 on the cloud slicing page', () => {
    expect(trtcSlicingEvents.map((event) => [event.match.eventType, event.type])).toEqual([
      [1001, 'trtc.slicing.started'],
      [1002, 'trtc.slicing.stopped'],
      [1003, 'trtc.slicing.upload_started'],
      [1004, 'trtc.slicing.file_info'],
      [1005, 'trtc.slicing.upload_stopped'],
      [1006, 'trtc.slicing.upload_error'],
    ]);
    for (const event of trtcSlicingEvents) expect(event.tencent.doc).toBe('https://trtc.io/document/73393');
  });

  it('reads a start with the robot as user', () => {
    const event = receive('trtc.slicing.started', body('trtc.slicing.started', 'built-from-table'));
    expect(event.data).toEqual({
      RoomId: '975626',
      UserId: ROBOT,
      TaskId: TASK,
      EventMsTs: 1729598182073,
      Status: 0,
      started: true,
    });
    expect(event.subject).toEqual({ roomId: '975626', taskId: TASK, userId: ROBOT, sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1729598182073);
    expect(event.dedupeKey).toBe(`trtc.slicing.started:10|1001|${TASK}|975626|${ROBOT}|1729598182073|`);
    expect(event.summary).toBe(`${TASK_IN_ROOM} started`);
  });

  it('explains the LeaveCode of a stop, with a string EventTs', () => {
    const event = receive('trtc.slicing.stopped', body('trtc.slicing.stopped', 'built-from-table'));
    expect(event.data).toMatchObject({
      LeaveCode: 99,
      leaveReason: 'no other user stream left in the room for the configured time',
    });
    expect(event.summary).toBe(
      `${TASK_IN_ROOM} stopped: no other user stream left in the room for the configured time`,
    );
  });

  it('reads an upload start and stop', () => {
    expect(
      receive('trtc.slicing.upload_started', body('trtc.slicing.upload_started', 'built-from-table')).summary,
    ).toBe(`${TASK_IN_ROOM} started uploading`);
    const stopped = receive(
      'trtc.slicing.upload_stopped',
      body('trtc.slicing.upload_stopped', 'built-from-table'),
    );
    expect(stopped.data.Status).toBe(0);
    expect(stopped.summary).toBe(`${TASK_IN_ROOM} finished uploading`);
  });

  it('makes the sliced anchor, StreamUserId, the subject of a file event', () => {
    const event = receive('trtc.slicing.file_info', body('trtc.slicing.file_info', 'built-from-table'));
    expect(event.data).toMatchObject({
      UserId: ROBOT,
      StreamUserId: 'anchor_7',
      Payload: { StreamUserId: 'anchor_7' },
    });
    expect(event.subject).toEqual({
      roomId: '975626',
      taskId: TASK,
      userId: 'anchor_7',
      sdkAppId: SDK_APP_ID,
    });
    expect(event.summary).toBe(`${TASK_IN_ROOM} stored slices of user anchor_7`);
  });

  it('reads a storage error', () => {
    const event = receive('trtc.slicing.upload_error', body('trtc.slicing.upload_error', 'built-from-table'));
    expect(event.data).toMatchObject({ Code: 10002, Message: 'BadRequest' });
    expect(event.summary).toBe(`${TASK_IN_ROOM} upload failed with code 10002: BadRequest`);
  });
});

import { describe, expect, it } from 'vitest';
import {
  describeEnterReason,
  describeExitReason,
  describeTerminalType,
  describeTrtcRole,
  describeUserType,
  trtcRoomEvents,
} from './room.js';
import { body, receive, SDK_APP_ID } from '../../../test/support/trtc-fixtures.js';

describe('TRTC room events (group 1)', () => {
  it('lists 101 to 105 with their types and the Room & Media page', () => {
    expect(trtcRoomEvents.map((event) => [event.match, event.type])).toEqual([
      [{ family: 'trtc', group: 1, eventType: 101 }, 'trtc.room.created'],
      [{ family: 'trtc', group: 1, eventType: 102 }, 'trtc.room.dismissed'],
      [{ family: 'trtc', group: 1, eventType: 103 }, 'trtc.room.entered'],
      [{ family: 'trtc', group: 1, eventType: 104 }, 'trtc.room.exited'],
      [{ family: 'trtc', group: 1, eventType: 105 }, 'trtc.room.role_changed'],
    ]);
    for (const event of trtcRoomEvents) {
      expect(event.tencent.doc).toBe('https://trtc.io/document/39558');
      expect(event.tencent.event).toBe(`TRTC ${String(event.match.eventType)}`);
    }
  });
});

describe('trtc.room.created (101)', () => {
  it('reads the doc sample: a numeric RoomId as a string, the creator and the event time', () => {
    const event = receive('trtc.room.created', body('trtc.room.created', 'doc-sample'));
    expect(event.data).toEqual({ RoomId: '12345', UserId: 'test', EventMsTs: 1687770730160 });
    expect(event.subject).toEqual({ roomId: '12345', userId: 'test', sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1687770730160);
    expect(event.dedupeKey).toBe('trtc.room.created:1|101||12345|test|1687770730160||1687770730|');
    expect(event.summary).toBe('room 12345 created by user test');
  });

  it('reads a string RoomId and a string EventTs', () => {
    const event = receive('trtc.room.created', body('trtc.room.created', 'room-id-string'));
    expect(event.data.RoomId).toBe('live_room-01');
    expect(event.occurredAt).toBe(1700000000101);
    expect(event.summary).toBe('room live_room-01 created by user host_9');
  });

  it('keeps the dedupe key of a retry, whose CallbackTs differs, and changes it for another event time', () => {
    const original = body('trtc.room.created', 'doc-sample');
    const retry = original.replace('1687770730166', '1687770740166');
    const later = original.replace('1687770730160', '1687770790160');
    expect(retry).not.toBe(original);
    expect(receive('trtc.room.created', retry).dedupeKey).toBe(
      receive('trtc.room.created', original).dedupeKey,
    );
    expect(receive('trtc.room.created', later).dedupeKey).not.toBe(
      receive('trtc.room.created', original).dedupeKey,
    );
  });
});

describe('trtc.room.dismissed (102)', () => {
  it('reads the doc sample, whose RoomId is a string, to the same room as 101', () => {
    const event = receive('trtc.room.dismissed', body('trtc.room.dismissed', 'doc-sample'));
    expect(event.data).toEqual({ RoomId: '12345', EventMsTs: 1687771618457 });
    expect(event.subject).toEqual({ roomId: '12345', sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1687771618457);
    expect(event.dedupeKey).toBe('trtc.room.dismissed:1|102||12345||1687771618457||1687771618|');
    expect(event.summary).toBe('room 12345 dismissed');
  });
});

describe('trtc.room.entered (103)', () => {
  it('reads the doc sample: role, platform, SDK and reason as words beside the codes', () => {
    const event = receive('trtc.room.entered', body('trtc.room.entered', 'doc-sample'));
    expect(event.data).toEqual({
      RoomId: '12345',
      UserId: 'test',
      EventMsTs: 1687770731831,
      Role: 21,
      role: 'audience',
      TerminalType: 2,
      terminalType: 'Android',
      UserType: 3,
      userType: 'native SDK',
      Reason: 1,
      reason: 'normal entry',
      UniqueId: undefined,
    });
    expect(event.subject).toEqual({ roomId: '12345', userId: 'test', sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1687770731831);
    expect(event.dedupeKey).toBe('trtc.room.entered:1|103||12345|test|1687770731831||1687770731|');
    expect(event.summary).toBe('user test entered room 12345 as audience (Android, native SDK)');
  });

  it('names an unusual entry reason in the summary', () => {
    const event = receive('trtc.room.entered', body('trtc.room.entered', 'room-id-string-network-change'));
    expect(event.data).toMatchObject({ RoomId: 'live_room-01', role: 'anchor', reason: 'network change' });
    expect(event.summary).toBe(
      'user guest_42 entered room live_room-01 as anchor (iOS, WebRTC): network change',
    );
  });

  it('dates an older callback without EventMsTs from EventTs and keys it by its UniqueId', () => {
    const event = receive('trtc.room.entered', body('trtc.room.entered', 'doc-sample-older-unique-id'));
    expect(event.data.EventMsTs).toBe(1615554922000);
    expect(event.data.UniqueId).toBe(1615554922656);
    expect(event.occurredAt).toBe(1615554922000);
    expect(event.dedupeKey).toBe('trtc.room.entered:1|103||12345|test|||1615554922|1615554922656');
    expect(event.summary).toBe('user test entered room 12345 as anchor (iOS, native SDK)');
  });

  it('keeps two older entries within one second apart by their UniqueId', () => {
    const first = body('trtc.room.entered', 'doc-sample-older-unique-id');
    const second = first.replace('1615554922656', '1615554922987');
    expect(receive('trtc.room.entered', second).dedupeKey).not.toBe(
      receive('trtc.room.entered', first).dedupeKey,
    );
  });
});

describe('trtc.room.exited (104)', () => {
  it('reads the doc sample with its exit reason', () => {
    const event = receive('trtc.room.exited', body('trtc.room.exited', 'doc-sample'));
    expect(event.data).toEqual({
      RoomId: '12345',
      UserId: 'test',
      EventMsTs: 1687770731898,
      Role: 20,
      role: 'anchor',
      Reason: 1,
      reason: 'normal exit',
      UniqueId: undefined,
    });
    expect(event.occurredAt).toBe(1687770731898);
    expect(event.dedupeKey).toBe('trtc.room.exited:1|104||12345|test|1687770731898||1687770731|');
    expect(event.summary).toBe('user test exited room 12345 as anchor: normal exit');
  });

  it('says a user was removed from the room', () => {
    const event = receive('trtc.room.exited', body('trtc.room.exited', 'removed-from-room'));
    expect(event.summary).toBe('user guest_42 exited room 12345 as audience: removed from the room');
  });

  it('keeps a reason code the current page does not list, as the open enum it is', () => {
    const event = receive('trtc.room.exited', body('trtc.room.exited', 'older-reason-code'));
    expect(event.data).toMatchObject({ Reason: 6, reason: 'unknown reason 6' });
    expect(event.summary).toBe('user guest_43 exited room 12345 as anchor: unknown reason 6');
  });
});

describe('trtc.room.role_changed (105)', () => {
  it('reads the doc sample: the new role', () => {
    const event = receive('trtc.room.role_changed', body('trtc.room.role_changed', 'doc-sample'));
    expect(event.data).toEqual({
      RoomId: '12345',
      UserId: 'test',
      EventMsTs: 1687772245537,
      Role: 21,
      role: 'audience',
    });
    expect(event.subject).toEqual({ roomId: '12345', userId: 'test', sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1687772245537);
    expect(event.dedupeKey).toBe('trtc.room.role_changed:1|105||12345|test|1687772245537||1687772245|');
    expect(event.summary).toBe('user test in room 12345 switched role to audience');
  });

  it('reads a switch to anchor in a string room', () => {
    const event = receive(
      'trtc.room.role_changed',
      body('trtc.room.role_changed', 'room-id-string-to-anchor'),
    );
    expect(event.summary).toBe('user guest_42 in room live_room-01 switched role to anchor');
  });
});

describe('room code descriptions', () => {
  it('names every documented code', () => {
    expect([20, 21].map(describeTrtcRole)).toEqual(['anchor', 'audience']);
    expect([1, 2, 3, 4, 100].map(describeTerminalType)).toEqual([
      'Windows',
      'Android',
      'iOS',
      'Linux',
      'other',
    ]);
    expect([1, 2, 3].map(describeUserType)).toEqual(['WebRTC', 'mini program', 'native SDK']);
    expect([1, 2, 3, 4].map(describeEnterReason)).toEqual([
      'normal entry',
      'network change',
      'timeout retry',
      'cross-room co-anchoring',
    ]);
    expect([1, 2, 3, 4, 5].map(describeExitReason)).toEqual([
      'normal exit',
      'timed out',
      'removed from the room',
      'cross-room co-anchoring cancelled',
      'process force-closed',
    ]);
  });

  it('says which code it does not know', () => {
    expect(describeTrtcRole(22)).toBe('unknown role 22');
    expect(describeTerminalType(5)).toBe('unknown terminal 5');
    expect(describeUserType(0)).toBe('unknown user type 0');
    expect(describeEnterReason(9)).toBe('unknown reason 9');
    expect(describeExitReason(0)).toBe('unknown reason 0');
  });
});

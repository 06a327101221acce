import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCallback } from '../../parse/parse-callback.js';
import { signTrtc } from '../../signature/trtc-signature.js';
import type { EventOf, EventType } from '../index.js';
import { describeLeaveCode, LEAVE_CODES } from './leave-codes.js';
import { trtcModerationEvents } from './moderation.js';

const SDK_APP_ID = '1400000001';
const KEY = 'moderationTestKey';
const RECEIVED_AT = Date.UTC(2025, 0, 6, 15, 0, 0);
const SAMPLES = new URL('../../../../fixtures/samples/', import.meta.url);

/** A fixture body byte for byte, from `packages/fixtures/samples/<type>/<name>.json`. */
function sample(type: EventType, name: string): string {
  return readFileSync(new URL(`${type}/${name}.json`, SAMPLES), 'utf8');
}

/** Receives a body as TRTC sends it (signed, with the SdkAppId header) and checks its type. */
function receive<T extends EventType>(type: T, body: string, sdkAppId = SDK_APP_ID): EventOf<T> {
  const event = parseCallback(
    body,
    { 'content-type': 'application/json', sdkappid: sdkAppId, sign: signTrtc(KEY, body) },
    { trtc: { keys: { [sdkAppId]: KEY } }, now: () => RECEIVED_AT },
  );
  expect(event.issues).toBeUndefined();
  expect(event.type).toBe(type);
  return event as EventOf<T>;
}

/**
 * A 1104 body built from the doc's audio sample with some `EventInfo` and `Payload` fields replaced;
 * a field set to undefined is left out (JSON.stringify drops it).
 */
function resultBody(info: Record<string, unknown>, payload: Record<string, unknown>): string {
  const body = JSON.parse(sample('trtc.moderation.result', 'doc-sample-audio')) as {
    EventInfo: { Payload: Record<string, unknown> };
  };
  return JSON.stringify({
    ...body,
    EventInfo: { ...body.EventInfo, ...info, Payload: { ...body.EventInfo.Payload, ...payload } },
  });
}

const DOC_AUDIO_TASK = '-m9lm+lU7tOlL2mFgsPuzHeyNThbhZzbJlKQI4K-raO8oZWQndibARGYcSDohF0Zfgo7RNCuGQE.';
const DOC_1101_TASK = '-npVqpdU7sBobiK1iskE3BwlLIebCMrbKUbnL4K-rO+8oZWQndib9uvO4Deq9P1Na+sXGNGNuAE.';
const DOC_1102_TASK = '-nHRjqhU7gTG0UIL-MquzG8D0Q+wehTbVTeeIIK-rO+8oZWQndibtueIpQ8A0F3n9PEVRk0rngE.';
const DOC_1105_TASK = '-nHwXIdU7jx6C00Nt8Vr+3h4GwYdP7zbeHi9L4K-4pycoZWQndibqFeEaV4LvjFqSuQvaAkrNQE.';

describe('trtcModerationEvents', () => {
  it('lists the six group 11 events, 1101 to 1106', () => {
    expect(trtcModerationEvents.map((event) => [event.type, event.match])).toEqual([
      ['trtc.moderation.start', { family: 'trtc', group: 11, eventType: 1101 }],
      ['trtc.moderation.stop', { family: 'trtc', group: 11, eventType: 1102 }],
      ['trtc.moderation.send_start', { family: 'trtc', group: 11, eventType: 1103 }],
      ['trtc.moderation.result', { family: 'trtc', group: 11, eventType: 1104 }],
      ['trtc.moderation.send_stop', { family: 'trtc', group: 11, eventType: 1105 }],
      ['trtc.moderation.error', { family: 'trtc', group: 11, eventType: 1106 }],
    ]);
  });
});

describe('trtc.moderation.start (1101)', () => {
  it('reads the corrected doc sample: started, with room, task, robot and the SdkAppId header', () => {
    const event = receive('trtc.moderation.start', sample('trtc.moderation.start', 'doc-sample-corrected'));

    expect(event.data).toEqual({
      RoomId: '960025',
      UserId: 'inspect',
      TaskId: DOC_1101_TASK,
      EventMsTs: 1726125338219,
      Status: 0,
      started: true,
    });
    expect(event.subject).toEqual({
      roomId: '960025',
      taskId: DOC_1101_TASK,
      userId: 'inspect',
      sdkAppId: SDK_APP_ID,
    });
    expect(event.source).toBe('trtc:11:1101');
    expect(event.occurredAt).toBe(1726125338219);
    expect(event.dedupeKey).toBe(
      `trtc.moderation.start:11|1101|${DOC_1101_TASK}|960025|inspect|1726125338219|`,
    );
    expect(event.summary).toBe('moderation task -npVqpdU7sBo… in room 960025 started');
  });

  it('reads the spaced, tabbed doc form to the same event as the compact one', () => {
    const compact = receive('trtc.moderation.start', sample('trtc.moderation.start', 'doc-sample-corrected'));
    const spaced = receive(
      'trtc.moderation.start',
      sample('trtc.moderation.start', 'doc-sample-spaced-corrected'),
    );

    expect(spaced.raw).not.toEqual(compact.raw);
    expect(spaced.data).toEqual(compact.data);
    expect(spaced.dedupeKey).toBe(compact.dedupeKey);
  });

  it('takes sdkAppId from the SdkAppId header the callback was signed for', () => {
    const event = receive(
      'trtc.moderation.start',
      sample('trtc.moderation.start', 'doc-sample-corrected'),
      '1400999999',
    );

    expect(event.subject.sdkAppId).toBe('1400999999');
  });

  it('reads a numeric RoomId as a string', () => {
    const event = receive('trtc.moderation.start', sample('trtc.moderation.start', 'variant-room-id-number'));

    expect(event.data.RoomId).toBe('295210');
    expect(event.subject.roomId).toBe('295210');
    expect(event.dedupeKey).toContain('|295210|');
  });

  it('reports Status 1 as a failed start', () => {
    const event = receive('trtc.moderation.start', sample('trtc.moderation.start', 'variant-status-failed'));

    expect(event.data).toMatchObject({ Status: 1, started: false });
    expect(event.summary).toBe('moderation task -m9lm+lU7tOl… in room 295210 failed to start');
  });
});

describe('trtc.moderation.stop (1102)', () => {
  it('reads the doc sample: a string EventTs and LeaveCode 99 with its meaning', () => {
    const event = receive('trtc.moderation.stop', sample('trtc.moderation.stop', 'doc-sample'));

    expect(event.data).toEqual({
      RoomId: '975626',
      UserId: 'SliceTaskDuration1-partner-robot',
      TaskId: DOC_1102_TASK,
      EventMsTs: 1729601782073,
      LeaveCode: 99,
      leaveReason: 'no other user stream left in the room for the configured time',
    });
    expect(event.subject).toEqual({
      roomId: '975626',
      taskId: DOC_1102_TASK,
      userId: 'SliceTaskDuration1-partner-robot',
      sdkAppId: SDK_APP_ID,
    });
    expect(event.occurredAt).toBe(1729601782073);
    expect(event.dedupeKey).toBe(
      `trtc.moderation.stop:11|1102|${DOC_1102_TASK}|975626|SliceTaskDuration1-partner-robot|1729601782073|`,
    );
    expect(event.summary).toBe(
      'moderation task -nHRjqhU7gTG… in room 975626 stopped: no other user stream left in the room for the configured time',
    );
  });

  it('reads the spaced doc form to the same event as the compact one', () => {
    const compact = receive('trtc.moderation.stop', sample('trtc.moderation.stop', 'doc-sample'));
    const spaced = receive('trtc.moderation.stop', sample('trtc.moderation.stop', 'doc-sample-spaced'));

    expect(spaced.data).toEqual(compact.data);
    expect(spaced.dedupeKey).toBe(compact.dedupeKey);
  });

  it.each(Object.keys(LEAVE_CODES).map(Number))(
    'gives LeaveCode %i the shared leave-code meaning',
    (code) => {
      const body = sample('trtc.moderation.stop', 'doc-sample').replace(
        '"LeaveCode": 99',
        `"LeaveCode": ${code}`,
      );
      const event = receive('trtc.moderation.stop', body);

      expect(event.data.leaveReason).toBe(describeLeaveCode(code));
      expect(event.summary.endsWith(`stopped: ${describeLeaveCode(code)}`)).toBe(true);
    },
  );

  it('says so for a LeaveCode the doc does not list', () => {
    const event = receive(
      'trtc.moderation.stop',
      sample('trtc.moderation.stop', 'variant-unknown-leave-code'),
    );

    expect(event.data).toMatchObject({ LeaveCode: 7, leaveReason: 'unknown leave code 7' });
    expect(event.summary).toBe('moderation task -m9lm+lU7tOl… in room 295210 stopped: unknown leave code 7');
  });

  it('dates an event from a string EventTs in seconds when EventMsTs is absent', () => {
    const body = sample('trtc.moderation.stop', 'doc-sample').replace('"EventMsTs": 1729601782073,', '');
    const event = receive('trtc.moderation.stop', body);

    expect(event.occurredAt).toBe(1729601782000);
    expect(event.data.EventMsTs).toBe(1729601782000);
  });

  it('keeps a 1102 without LeaveCode as trtc.unknown with the missing field named', () => {
    const body = sample('trtc.moderation.stop', 'doc-sample').replace('"LeaveCode": 99', '"Other": 1');
    const event = parseCallback(
      body,
      { sdkappid: SDK_APP_ID, sign: signTrtc(KEY, body) },
      {
        trtc: { keys: { [SDK_APP_ID]: KEY } },
      },
    );

    expect(event.type).toBe('trtc.unknown');
    expect(event.issues?.map((issue) => issue.path)).toEqual(['EventInfo.Payload.LeaveCode']);
  });
});

describe('trtc.moderation.send_start (1103)', () => {
  it('reads the doc sample', () => {
    const event = receive('trtc.moderation.send_start', sample('trtc.moderation.send_start', 'doc-sample'));
    const task = '-nHwXIdU7mJvL22pFsXZ-v7OgEzq1OzbNXe9L4K-4pycoZWQndib3ZfzqN7Wq+AdiPLMBLxd0gE.';

    expect(event.data).toEqual({
      RoomId: '295210',
      UserId: 'inspect',
      TaskId: task,
      EventMsTs: 1726750023538,
      Status: 0,
    });
    expect(event.subject).toEqual({
      roomId: '295210',
      taskId: task,
      userId: 'inspect',
      sdkAppId: SDK_APP_ID,
    });
    expect(event.occurredAt).toBe(1726750023538);
    expect(event.dedupeKey).toBe(`trtc.moderation.send_start:11|1103|${task}|295210|inspect|1726750023538|`);
    expect(event.summary).toBe(
      'moderation task -nHwXIdU7mJv… in room 295210 started sending media for review',
    );
  });

  it('reads a numeric RoomId as a string', () => {
    const event = receive(
      'trtc.moderation.send_start',
      sample('trtc.moderation.send_start', 'variant-room-id-number'),
    );

    expect(event.subject.roomId).toBe('295210');
  });
});

describe('trtc.moderation.result (1104)', () => {
  it("reads the doc's audio result: the anchor is the subject, the robot stays in data", () => {
    const event = receive('trtc.moderation.result', sample('trtc.moderation.result', 'doc-sample-audio'));

    expect(event.data).toEqual({
      RoomId: '963239',
      UserId: 'TRTCModerationCase2-user0',
      TaskId: DOC_AUDIO_TASK,
      EventMsTs: 1735872251524,
      StreamerUserId: 'SliceCustomUploadCase6-user0',
      DataId: '547512114953106866',
      RequestId: '',
      MediaType: 1,
      mediaType: 'audio',
      Suggest: 2,
      suggestion: 'Block',
      Label: 'Polity',
      Rate: 100,
      score: 100,
      Image: '',
      imageFile: undefined,
      Audio: `https://x.xx.com/${DOC_AUDIO_TASK}/547512114835666354.ogg`,
      // The doc's audio URL does not follow the storage naming (https://trtc.io/document/73394).
      audioFile: undefined,
      AudioText: 'xxxxxx.',
      ImageOcr: undefined,
      CheckDetail: [
        {
          Label: 'Polity',
          Suggest: 2,
          suggestion: 'Block',
          Keywords: ['XXX'],
          Score: 100,
          Desc: '',
          AudioSegments: {},
          ImageLocation: {},
        },
      ],
    });
    expect(event.subject).toEqual({
      roomId: '963239',
      taskId: DOC_AUDIO_TASK,
      userId: 'SliceCustomUploadCase6-user0',
      sdkAppId: SDK_APP_ID,
    });
    expect(event.occurredAt).toBe(1735872251524);
    expect(event.dedupeKey).toBe(
      `trtc.moderation.result:11|1104|${DOC_AUDIO_TASK}|963239|TRTCModerationCase2-user0|1735872251524|547512114953106866`,
    );
    expect(event.summary).toBe(
      'moderation task -m9lm+lU7tOl… in room 963239: audio of SliceCustomUploadCase6-user0 Block (Polity, score 100)',
    );
  });

  it('reads the spaced doc form to the same event as the compact one', () => {
    const compact = receive('trtc.moderation.result', sample('trtc.moderation.result', 'doc-sample-audio'));
    const spaced = receive(
      'trtc.moderation.result',
      sample('trtc.moderation.result', 'doc-sample-audio-spaced'),
    );

    expect(spaced.data).toEqual(compact.data);
    expect(spaced.dedupeKey).toBe(compact.dedupeKey);
  });

  it("reads the doc's image result with its storage path parsed", () => {
    const event = receive(
      'trtc.moderation.result',
      sample('trtc.moderation.result', 'doc-sample-image-corrected'),
    );

    expect(event.data).toMatchObject({
      DataId: '554678038156038407',
      RequestId: 'a82e0175-65ed-46b5-a656-45814aea1c60',
      MediaType: 2,
      mediaType: 'image',
      suggestion: 'Block',
      Label: 'Ad',
      score: 90,
      ImageOcr: 'Movable Type Culture Moveable TVo The pain of never being able to go home again;',
      Audio: '',
      audioFile: undefined,
      imageFile: {
        prefix: ['prefix1', 'prefix2'],
        taskId: '-nHlf1xU7tsdRVBjLsog0ZX9T62DtVjbNguMJYK-58aNM6KipeDPAfrKt1aejC8ipMaphfYxAQ..',
        userId: 'TianyuModerationCase3-user1',
        kind: 'image',
        sdkAppId: '20005067',
        roomId: '963715',
        anchorUserId: 'TianyuModerationCase3-user1',
        time: '2025-02-21T21:11:13.000Z',
        extension: 'png',
      },
    });
    expect(event.data.CheckDetail).toEqual([
      {
        Scene: 'Ad',
        Label: 'Normal',
        Suggest: 2,
        suggestion: 'Block',
        Keywords: [],
        Score: 90,
        AudioSegments: {},
        ImageLocation: {},
      },
    ]);
    expect(event.dedupeKey.endsWith('|554678038156038407')).toBe(true);
    expect(event.summary).toBe(
      'moderation task -m9lm+lU7tOl… in room 963239: image of SliceCustomUploadCase6-user0 Block (Ad, score 90)',
    );
  });

  it('parses an image path whose ids contain underscores and whose TaskId is URL-encoded', () => {
    const event = receive(
      'trtc.moderation.result',
      sample('trtc.moderation.result', 'variant-image-underscore-ids'),
    );

    expect(event.data.Image).toContain('%2B');
    expect(event.data.imageFile).toEqual({
      prefix: [],
      taskId: DOC_AUDIO_TASK,
      userId: 'anchor_01',
      kind: 'image',
      sdkAppId: '1400000001',
      roomId: 'live_room_7',
      anchorUserId: 'anchor_01',
      time: '2025-01-06T14:31:43.000Z',
      extension: 'png',
    });
    expect(event.data.imageFile?.taskId).toBe(event.subject.taskId);
    expect(event.data.imageFile?.roomId).toBe(event.subject.roomId);
    expect(event.data.imageFile?.anchorUserId).toBe(event.subject.userId);
    expect(event.summary).toBe(
      'moderation task -m9lm+lU7tOl… in room live_room_7: image of anchor_01 Block (Porn, score 97)',
    );
  });

  it('reads Suggest 1 as Review', () => {
    const event = receive(
      'trtc.moderation.result',
      sample('trtc.moderation.result', 'variant-suggest-review'),
    );

    expect(event.data).toMatchObject({ Suggest: 1, suggestion: 'Review', Label: 'Sexy', score: 72 });
    expect(event.data.CheckDetail[0]?.suggestion).toBe('Review');
    expect(event.summary).toBe(
      'moderation task -m9lm+lU7tOl… in room 295210: image of anchor-7 Review (Sexy, score 72)',
    );
  });

  it('keeps a Label the doc does not list, verbatim', () => {
    const event = receive(
      'trtc.moderation.result',
      sample('trtc.moderation.result', 'variant-unknown-label'),
    );

    expect(event.data).toMatchObject({ Label: 'Gambling', ImageOcr: 'JOIN NOW 100x BONUS' });
    expect(event.summary).toBe(
      'moderation task -m9lm+lU7tOl… in room 295210: image of anchor-7 Block (Gambling, score 88)',
    );
  });

  it('reads a cJSON-printed body (newlines, tabs) with a numeric RoomId and a string EventTs', () => {
    const body = sample('trtc.moderation.result', 'variant-pretty-tabs');
    expect(body).toContain('\n\t"EventInfo":\t{\n\t\t"RoomId":\t295210,');

    const event = receive('trtc.moderation.result', body);

    expect(event.subject).toEqual({
      roomId: '295210',
      taskId: DOC_AUDIO_TASK,
      userId: 'anchor-7',
      sdkAppId: SDK_APP_ID,
    });
    expect(event.occurredAt).toBe(1736173930456);
    expect(event.data.audioFile).toMatchObject({
      prefix: ['prefix1'],
      taskId: DOC_AUDIO_TASK,
      kind: 'audio',
      roomId: '295210',
      time: '2025-01-06T14:32:10.000Z',
      extension: 'ogg',
    });
    expect(event.data.CheckDetail[0]?.Keywords).toEqual(['idiot']);
    expect(event.summary).toBe(
      'moderation task -m9lm+lU7tOl… in room 295210: audio of anchor-7 Block (Abuse, score 95)',
    );
  });

  it('gives two results of one task and time different dedupe keys when their DataId differs', () => {
    const first = receive('trtc.moderation.result', resultBody({}, { DataId: '1001' }));
    const second = receive('trtc.moderation.result', resultBody({}, { DataId: '1002' }));

    expect(first.dedupeKey).not.toBe(second.dedupeKey);
  });

  it('gives a retry with RoomId as a number the same dedupe key as with RoomId as a string', () => {
    const asString = receive('trtc.moderation.result', resultBody({ RoomId: '963239' }, {}));
    const asNumber = receive(
      'trtc.moderation.result',
      resultBody({ RoomId: 963239, EventTs: '1735872251' }, {}),
    );

    expect(asNumber.dedupeKey).toBe(asString.dedupeKey);
    expect(asNumber.data).toEqual(asString.data);
  });

  it('reads Suggest 0 as Pass and a MediaType it does not know as unknown media', () => {
    const event = receive(
      'trtc.moderation.result',
      resultBody({}, { MediaType: 3, Suggest: 0, Label: 'Normal', Rate: 0 }),
    );

    expect(event.data).toMatchObject({ mediaType: 'unknown', suggestion: 'Pass', score: 0 });
    expect(event.summary).toBe(
      'moderation task -m9lm+lU7tOl… in room 963239: media of SliceCustomUploadCase6-user0 Pass (Normal, score 0)',
    );
  });

  it('names an undocumented Suggest by its number', () => {
    const event = receive('trtc.moderation.result', resultBody({}, { Suggest: 5 }));

    expect(event.data.suggestion).toBe('unknown');
    expect(event.summary).toContain(
      'audio of SliceCustomUploadCase6-user0 with suggestion 5 (Polity, score 100)',
    );
  });

  it('takes the highest CheckDetail score when Rate is absent, and reads null Keywords as none', () => {
    const event = receive(
      'trtc.moderation.result',
      resultBody(
        {},
        {
          Rate: undefined,
          CheckDetail: [
            { Label: 'Abuse', Suggest: 1, Keywords: null, Score: 61 },
            { Label: 'Polity', Suggest: 2, Keywords: ['XXX'], Score: 83 },
          ],
        },
      ),
    );

    expect(event.data.Rate).toBeUndefined();
    expect(event.data.score).toBe(83);
    expect(event.data.CheckDetail.map((detail) => [detail.Keywords, detail.suggestion])).toEqual([
      [[], 'Review'],
      [['XXX'], 'Block'],
    ]);
  });

  it('reads numeric strings in the payload as numbers', () => {
    const event = receive(
      'trtc.moderation.result',
      resultBody({}, { MediaType: '2', Suggest: '1', Rate: '70' }),
    );

    expect(event.data).toMatchObject({
      MediaType: 2,
      mediaType: 'image',
      Suggest: 1,
      suggestion: 'Review',
      Rate: 70,
    });
  });

  it('falls back to the robot as the subject user when StreamerUserId is absent', () => {
    const event = receive('trtc.moderation.result', resultBody({ StreamerUserId: undefined }, {}));

    expect(event.subject.userId).toBe('TRTCModerationCase2-user0');
    expect(event.summary).toContain('audio of TRTCModerationCase2-user0 Block');
  });
});

describe('trtc.moderation.send_stop (1105)', () => {
  it('reads the doc sample', () => {
    const event = receive('trtc.moderation.send_stop', sample('trtc.moderation.send_stop', 'doc-sample'));

    expect(event.data).toEqual({
      RoomId: '295211',
      UserId: 'inspect',
      TaskId: DOC_1105_TASK,
      EventMsTs: 1726751347072,
      Status: 0,
    });
    expect(event.subject).toEqual({
      roomId: '295211',
      taskId: DOC_1105_TASK,
      userId: 'inspect',
      sdkAppId: SDK_APP_ID,
    });
    expect(event.occurredAt).toBe(1726751347072);
    expect(event.dedupeKey).toBe(
      `trtc.moderation.send_stop:11|1105|${DOC_1105_TASK}|295211|inspect|1726751347072|`,
    );
    expect(event.summary).toBe(
      'moderation task -nHwXIdU7jx6… in room 295211 stopped sending media for review',
    );
  });

  it('accepts EventTs as a string', () => {
    const event = receive(
      'trtc.moderation.send_stop',
      sample('trtc.moderation.send_stop', 'variant-event-ts-string'),
    );

    expect(event.occurredAt).toBe(1736177499870);
    expect(event.payload).toMatchObject({ EventInfo: { EventTs: '1736177499' } });
  });
});

describe('trtc.moderation.error (1106)', () => {
  it('reads the doc sample: the storage error code and message', () => {
    const event = receive('trtc.moderation.error', sample('trtc.moderation.error', 'doc-sample'));

    expect(event.data).toEqual({
      RoomId: '295211',
      UserId: 'inspect',
      TaskId: DOC_1105_TASK,
      EventMsTs: 1726751347072,
      Code: 10002,
      Message: 'BadRequest',
    });
    expect(event.subject).toEqual({
      roomId: '295211',
      taskId: DOC_1105_TASK,
      userId: 'inspect',
      sdkAppId: SDK_APP_ID,
    });
    expect(event.occurredAt).toBe(1726751347072);
    expect(event.dedupeKey).toBe(
      `trtc.moderation.error:11|1106|${DOC_1105_TASK}|295211|inspect|1726751347072|`,
    );
    expect(event.summary).toBe(
      'moderation task -nHwXIdU7jx6… in room 295211 could not store a file: storage error 10002 (BadRequest)',
    );
  });

  it('reads the spaced doc form to the same event as the compact one', () => {
    const compact = receive('trtc.moderation.error', sample('trtc.moderation.error', 'doc-sample'));
    const spaced = receive('trtc.moderation.error', sample('trtc.moderation.error', 'doc-sample-spaced'));

    expect(spaced.data).toEqual(compact.data);
    expect(spaced.dedupeKey).toBe(compact.dedupeKey);
  });

  it('reads a numeric RoomId as a string', () => {
    const event = receive('trtc.moderation.error', sample('trtc.moderation.error', 'variant-room-id-number'));

    expect(event.subject.roomId).toBe('295210');
    expect(event.summary).toBe(
      'moderation task -m9lm+lU7tOl… in room 295210 could not store a file: storage error 403 (AccessDenied)',
    );
  });
});

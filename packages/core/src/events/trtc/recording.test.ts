import { describe, expect, it } from 'vitest';
import {
  describeRecordingUploadStatus,
  describeRecordingVodStatus,
  trtcRecordingEvents,
} from './recording.js';
import { body, receive, SDK_APP_ID } from '../../../test/support/trtc-fixtures.js';

const TASK = '-m9-bVVU7id8cK-m928oZWQndiborbEWH3zY-lIXlprc-gQvQE';
const ROBOT = 'recorder_635055';
const BUILT = (type: string) => `recording task ${TASK} in room 635055 ${type}`;

describe('TRTC cloud recording events (group 3)', () => {
  it('lists 301 to 312 on the cloud recording page', () => {
    expect(trtcRecordingEvents.map((event) => event.match.eventType)).toEqual([
      301, 302, 303, 304, 305, 306, 307, 308, 309, 310, 311, 312,
    ]);
    for (const event of trtcRecordingEvents) expect(event.tencent.doc).toBe('https://trtc.io/document/54914');
  });
});

describe('trtc.recording.started (301)', () => {
  it('reads the doc sample, whose EventTs is a string', () => {
    const event = receive('trtc.recording.started', body('trtc.recording.started', 'doc-sample'));
    expect(event.data).toEqual({
      RoomId: 'xx',
      UserId: 'xx',
      TaskId: 'xx',
      EventMsTs: 1622186275757,
      Status: 0,
      started: true,
    });
    expect(event.subject).toEqual({ roomId: 'xx', taskId: 'xx', userId: 'xx', sdkAppId: SDK_APP_ID });
    expect(event.occurredAt).toBe(1622186275757);
    expect(event.dedupeKey).toBe('trtc.recording.started:3|301|xx|xx|xx|1622186275757|');
    expect(event.summary).toBe('recording task xx in room xx started');
  });

  it('reports Status 1 as a failed start and reads a numeric RoomId as a string', () => {
    const event = receive(
      'trtc.recording.started',
      body('trtc.recording.started', 'start-failed-numeric-room'),
    );
    expect(event.data).toMatchObject({ RoomId: '635055', Status: 1, started: false });
    expect(event.summary).toBe(BUILT('failed to start'));
  });
});

describe('trtc.recording.stopped (302)', () => {
  it('reads the doc sample with the meaning of its LeaveCode', () => {
    const event = receive('trtc.recording.stopped', body('trtc.recording.stopped', 'doc-sample'));
    expect(event.data).toMatchObject({ LeaveCode: 0, leaveReason: 'stopped by API call' });
    // The doc sample's event time precedes its callback by 79 s: the time it stopped, not the send time.
    expect(event.occurredAt).toBe(1622186275757);
    expect(event.summary).toBe('recording task xx in room xx stopped: stopped by API call');
  });

  it('explains LeaveCode 99', () => {
    const event = receive('trtc.recording.stopped', body('trtc.recording.stopped', 'no-stream-timeout'));
    expect(event.summary).toBe(
      BUILT('stopped: no other user stream left in the room for the configured time'),
    );
  });
});

describe('trtc.recording.upload_started (303)', () => {
  it('reads a started upload', () => {
    const event = receive(
      'trtc.recording.upload_started',
      body('trtc.recording.upload_started', 'built-from-table'),
    );
    expect(event.data).toMatchObject({ Status: 0, started: true });
    expect(event.summary).toBe(BUILT('started uploading'));
  });
});

describe('trtc.recording.file_info (304)', () => {
  it('reads the m3u8 file name into a list', () => {
    const event = receive('trtc.recording.file_info', body('trtc.recording.file_info', 'built-from-table'));
    const file = `${TASK}__UserId_s_user1__UserType_s_Main.m3u8`;
    expect(event.data).toMatchObject({ FileList: file, files: [file] });
    expect(event.summary).toBe(BUILT(`wrote ${file}`));
  });
});

describe('trtc.recording.upload_stopped (305)', () => {
  it('reads the doc sample, which names the outcome Status', () => {
    const event = receive(
      'trtc.recording.upload_stopped',
      body('trtc.recording.upload_stopped', 'doc-sample'),
    );
    expect(event.data).toEqual({
      RoomId: '635055',
      UserId: 'user1',
      TaskId: '-m9-bVVU7id***K-m928oZWQndiborbEWH3zY-lIXlprc-gQvQE',
      EventMsTs: 1752580150081,
      Status: 0,
      LeaveCode: undefined,
      uploadStatus: 0,
      uploadResult: 'all files uploaded',
    });
    expect(event.dedupeKey).toBe(
      'trtc.recording.upload_stopped:3|305|-m9-bVVU7id***K-m928oZWQndiborbEWH3zY-lIXlprc-gQvQE|635055|user1|1752580150081|',
    );
    expect(event.summary).toBe(
      'recording task -m9-bVVU7id***K-m928oZWQndiborbEWH3zY-lIXlprc-gQvQE in room 635055 finished uploading: all files uploaded',
    );
  });

  it('reads the same outcome from LeaveCode, as the current table names it', () => {
    const event = receive(
      'trtc.recording.upload_stopped',
      body('trtc.recording.upload_stopped', 'leave-code-field'),
    );
    expect(event.data).toMatchObject({
      Status: undefined,
      LeaveCode: 1,
      uploadStatus: 1,
      uploadResult: 'some files are held on the server or backup storage',
    });
    expect(event.summary).toBe(
      BUILT('finished uploading: some files are held on the server or backup storage'),
    );
  });
});

describe('trtc.recording.failover (306)', () => {
  it('reads a migration', () => {
    const event = receive('trtc.recording.failover', body('trtc.recording.failover', 'built-from-table'));
    expect(event.data.Status).toBe(0);
    expect(event.summary).toBe(BUILT('failed over to another server'));
  });
});

describe('trtc.recording.file_slice (307)', () => {
  it('makes the recorded user the subject and keeps the robot as the event UserId', () => {
    const event = receive('trtc.recording.file_slice', body('trtc.recording.file_slice', 'built-from-table'));
    const file = `${TASK}__UserId_s_user1__UserType_s_Main__Index_1.ts`;
    expect(event.data).toEqual({
      RoomId: '635055',
      UserId: ROBOT,
      TaskId: TASK,
      EventMsTs: 1752580102081,
      Payload: { FileName: file, UserId: 'user1', TrackType: 'audio_video', BeginTimeStamp: 1752580101950 },
    });
    expect(event.subject).toEqual({ roomId: '635055', taskId: TASK, userId: 'user1', sdkAppId: SDK_APP_ID });
    expect(event.summary).toBe(BUILT(`cut the first slice ${file} of user user1 (audio_video)`));
  });
});

describe('trtc.recording.upload_error (308)', () => {
  it('keeps a word error code from the storage service', () => {
    const event = receive(
      'trtc.recording.upload_error',
      body('trtc.recording.upload_error', 'built-from-table'),
    );
    expect(event.data).toMatchObject({ Code: 'AccessDenied', Message: 'Access Denied.' });
    expect(event.summary).toBe(BUILT('upload failed with code AccessDenied: Access Denied.'));
  });
});

describe('trtc.recording.download_image_error (309)', () => {
  it('names the image it could not download', () => {
    const event = receive(
      'trtc.recording.download_image_error',
      body('trtc.recording.download_image_error', 'built-from-table'),
    );
    const url = 'https://example-1250000000.cos.ap-guangzhou.myqcloud.com/background.png';
    expect(event.data).toMatchObject({ Url: url });
    expect(event.summary).toBe(BUILT(`could not download image ${url}`));
  });
});

describe('trtc.recording.mp4_stopped (310)', () => {
  it('reads the MP4 files with their tracks and times', () => {
    const event = receive(
      'trtc.recording.mp4_stopped',
      body('trtc.recording.mp4_stopped', 'built-from-table'),
    );
    const file = `${TASK}__UserId_s_user1__UserType_s_Main__1752580101950.mp4`;
    expect(event.data).toMatchObject({
      Status: 0,
      uploadResult: 'all files uploaded',
      FileList: [file],
      FileMessage: [
        {
          FileName: file,
          UserId: 'user1',
          TrackType: 'audio_video',
          MediaId: 'main',
          StartTimeStamp: 1752580101950,
          EndTimeStamp: 1752583699950,
        },
      ],
    });
    expect(event.summary).toBe(BUILT('wrote 1 MP4 file: all files uploaded'));
  });
});

describe('trtc.recording.vod_committed (311)', () => {
  it('reads the doc sample with its VOD file', () => {
    const event = receive('trtc.recording.vod_committed', body('trtc.recording.vod_committed', 'doc-sample'));
    expect(event.data).toEqual({
      RoomId: '20015',
      UserId: 'xx',
      TaskId: 'xx',
      EventMsTs: 1622186275757,
      Status: 0,
      vodStatus: 'uploaded to VOD',
      committed: true,
      Errmsg: undefined,
      TencentVod: {
        UserId: 'xx',
        TrackType: 'audio_video',
        MediaId: 'main',
        FileId: 'xxxx',
        VideoUrl: 'http://xxxx',
        CacheFile: 'xxxx.mp4',
        StartTimeStamp: 1622186279153,
        EndTimeStamp: 1622186282153,
      },
    });
    expect(event.subject).toEqual({ roomId: '20015', taskId: 'xx', userId: 'xx', sdkAppId: SDK_APP_ID });
    expect(event.summary).toBe('recording task xx in room 20015 committed to VOD as file xxxx');
  });

  it('says why a commit failed', () => {
    const event = receive('trtc.recording.vod_committed', body('trtc.recording.vod_committed', 'vod-failed'));
    expect(event.data.committed).toBe(false);
    expect(event.summary).toBe(BUILT('VOD commit: VOD upload failed (vod upload timeout)'));
  });

  it('reads the older shape, its file flat in Payload with no Status and BeginTimeStamp in seconds', () => {
    const event = receive(
      'trtc.recording.vod_committed',
      body('trtc.recording.vod_committed', 'built-from-table-2022-flat-payload'),
    );
    expect(event.data).toMatchObject({
      RoomId: '20015',
      TaskId: TASK,
      EventMsTs: 1655362806000,
      vodStatus: 'uploaded to VOD',
      committed: true,
      TencentVod: {
        UserId: 'user1',
        TrackType: 'audio_video',
        MediaId: 'main',
        FileId: '387702299774545556',
        CacheFile: '1400000001_20015_user1_main__UserId_s_dXNlcjE__UserId_e_main.mp4',
        StartTimeStamp: 1655362746000,
      },
    });
    expect(event.data.Status).toBeUndefined();
    expect(event.data.TencentVod?.VideoUrl?.endsWith('/f0.mp4')).toBe(true);
    expect(event.occurredAt).toBe(1655362806000);
    expect(event.subject).toEqual({
      roomId: '20015',
      taskId: TASK,
      userId: 'recorder_20015',
      sdkAppId: SDK_APP_ID,
    });
    expect(event.summary).toBe(
      `recording task ${TASK} in room 20015 committed to VOD as file 387702299774545556`,
    );
  });
});

describe('trtc.recording.vod_stopped (312)', () => {
  it('reads the end of the whole task', () => {
    const event = receive(
      'trtc.recording.vod_stopped',
      body('trtc.recording.vod_stopped', 'built-from-table'),
    );
    expect(event.data).toMatchObject({ Status: 0, succeeded: true });
    expect(event.occurredAt).toBe(1752583805081);
    expect(event.summary).toBe(BUILT('finished uploading to VOD'));
  });
});

describe('recording status descriptions', () => {
  it('names the documented upload and VOD statuses and says which it does not know', () => {
    expect([0, 1, 2, 3].map(describeRecordingUploadStatus)).toEqual([
      'all files uploaded',
      'some files are held on the server or backup storage',
      'the held files were uploaded later',
      'unknown upload status 3',
    ]);
    expect(describeRecordingVodStatus(0)).toBe('uploaded to VOD');
    expect(describeRecordingVodStatus(7)).toBe('unknown VOD status 7');
  });
});

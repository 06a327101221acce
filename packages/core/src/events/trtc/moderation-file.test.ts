import { describe, expect, it } from 'vitest';
import { parseModerationFilePath } from './moderation-file.js';

const DOC_TASK_ID = '-nHlf1xU7tsdRVBjLsog0ZX9T62DtVjbNguMJYK-58aNM6KipeDPAfrKt1aejC8ipMaphfYxAQ..';
const TASK_ID = '-m9lm+lU7tOlL2mFgsPuzHeyNThbhZzbJlKQI4K-raO8oZWQndibARGYcSDohF0Zfgo7RNCuGQE.';

describe('parseModerationFilePath', () => {
  it("reads the doc's real 1104 image path: prefixes, task, anchor, sdkappid 20005067, room 963715", () => {
    const url =
      'https://trtcauto-sg-1311572968.cos.ap-singapore.myqcloud.com/prefix1/prefix2/' +
      `${DOC_TASK_ID}/TianyuModerationCase3-user1/images/20005067_963715_TianyuModerationCase3-user1_20250221211113.png`;

    expect(parseModerationFilePath(url)).toEqual({
      prefix: ['prefix1', 'prefix2'],
      taskId: DOC_TASK_ID,
      userId: 'TianyuModerationCase3-user1',
      kind: 'image',
      sdkAppId: '20005067',
      roomId: '963715',
      anchorUserId: 'TianyuModerationCase3-user1',
      time: '2025-02-21T21:11:13.000Z',
      extension: 'png',
    });
  });

  it('splits room and user ids that contain underscores from the right', () => {
    const parsed = parseModerationFilePath(
      `${TASK_ID}/anchor_01_hd/audios/1400000001_live_room_7_anchor_01_hd_20250106143143.ogg`,
    );

    expect(parsed).toMatchObject({
      userId: 'anchor_01_hd',
      anchorUserId: 'anchor_01_hd',
      sdkAppId: '1400000001',
      roomId: 'live_room_7',
      kind: 'audio',
      extension: 'ogg',
      time: '2025-01-06T14:31:43.000Z',
    });
  });

  it('reads a path without prefix as starting at the task id', () => {
    expect(
      parseModerationFilePath(`${TASK_ID}/anchor-7/images/1400000001_295210_anchor-7_20250106143150.png`),
    ).toMatchObject({ prefix: [], taskId: TASK_ID, userId: 'anchor-7', roomId: '295210' });
    expect(
      parseModerationFilePath(
        `https://bucket-1250000000.cos.ap-guangzhou.myqcloud.com/${TASK_ID}/anchor-7/images/1400000001_295210_anchor-7_20250106143150.png`,
      ),
    ).toMatchObject({ prefix: [], taskId: TASK_ID });
  });

  it('keeps every folder before the task id as the prefix, a leading slash and doubled slashes ignored', () => {
    expect(
      parseModerationFilePath(
        `/moderation/2025//shard-a_1/${TASK_ID}/anchor-7/audios/1400000001_295210_anchor-7_20250106143210.ogg`,
      ),
    ).toMatchObject({ prefix: ['moderation', '2025', 'shard-a_1'], taskId: TASK_ID });
  });

  it('decodes URL-encoded segments, so a TaskId with + - . comes back as Tencent sent it', () => {
    const encodedTask = encodeURIComponent(TASK_ID);
    expect(encodedTask).toContain('%2B');

    const parsed = parseModerationFilePath(
      `https://bucket.cos.ap-guangzhou.myqcloud.com/p1/${encodedTask}/user%40home%20one/images/` +
        `1400000001_room%201_user%40home%20one_20250106143143.png`,
    );

    expect(parsed).toMatchObject({
      taskId: TASK_ID,
      userId: 'user@home one',
      anchorUserId: 'user@home one',
      roomId: 'room 1',
    });
  });

  it('reads a literal + in a path as a plus, not as a space', () => {
    expect(
      parseModerationFilePath(`${TASK_ID}/anchor-7/audios/1400000001_295210_anchor-7_20250106143210.ogg`)
        ?.taskId,
    ).toBe(TASK_ID);
  });

  it('keeps a segment with a stray % as stored instead of failing', () => {
    expect(
      parseModerationFilePath(`${TASK_ID}/50%off/images/1400000001_9_50%off_20250106143143.png`),
    ).toMatchObject({ userId: '50%off', roomId: '9' });
  });

  it('ignores the query string and fragment of a presigned URL', () => {
    expect(
      parseModerationFilePath(
        `https://b.cos.ap-guangzhou.myqcloud.com/${TASK_ID}/u1/images/1400000001_9_u1_20250106143143.png?q-sign-algorithm=sha1&q-ak=AKID#frag`,
      ),
    ).toMatchObject({ roomId: '9', extension: 'png' });
  });

  it('reads the file time as UTC', () => {
    const parsed = parseModerationFilePath(`${TASK_ID}/u1/images/1400000001_9_u1_20241231235959.png`);

    expect(parsed?.time).toBe('2024-12-31T23:59:59.000Z');
    expect(Date.parse(parsed?.time ?? '')).toBe(Date.UTC(2024, 11, 31, 23, 59, 59));
  });

  it.each([
    [
      'the doc 1104 audio URL, which has no user folder or media folder',
      `https://x.xx.com/${TASK_ID}/547512114835666354.ogg`,
    ],
    ['an empty string', ''],
    ['a folder other than audios or images', `${TASK_ID}/u1/videos/1400000001_9_u1_20250106143143.mp4`],
    [
      'a folder named like an Object.prototype key',
      `${TASK_ID}/u1/constructor/1400000001_9_u1_20250106143143.png`,
    ],
    ['a time that is not 14 digits', `${TASK_ID}/u1/images/1400000001_9_u1_2025010614314.png`],
    ['an impossible time (month 13)', `${TASK_ID}/u1/images/1400000001_9_u1_20251306143143.png`],
    ['an impossible time (30 February)', `${TASK_ID}/u1/images/1400000001_9_u1_20250230143143.png`],
    [
      'a file name whose anchor differs from the user folder',
      `${TASK_ID}/u1/images/1400000001_9_u2_20250106143143.png`,
    ],
    ['a file name without a room', `${TASK_ID}/u1/images/1400000001_u1_20250106143143.png`],
    ['a non-numeric sdkappid', `${TASK_ID}/u1/images/app_9_u1_20250106143143.png`],
    ['a file name without extension', `${TASK_ID}/u1/images/1400000001_9_u1_20250106143143`],
    ['too few segments', `u1/images/1400000001_9_u1_20250106143143.png`],
  ])('returns undefined for %s', (_label, path) => {
    expect(parseModerationFilePath(path)).toBeUndefined();
  });
});

/**
 * What the storage path of a TRTC cloud moderation file says: the task, the anchor it came from,
 * the room, the app and when it was cut.
 */
export interface ModerationFilePath {
  /**
   * Folders before the task id: the task's `FileNamePrefix` (`['prefix1', 'prefix2']`), empty without one.
   * A path-style URL (`https://cos.<region>.myqcloud.com/<bucket>/...`) or a bare `<bucket>/...` path puts
   * the bucket here too.
   */
  prefix: string[];
  /** The moderation task id (`TaskId`), URL-decoded. */
  taskId: string;
  /** The user folder: the anchor whose media was cut. */
  userId: string;
  /** `audio` from the `audios` folder (ogg slices), `image` from `images` (png frames). */
  kind: 'audio' | 'image';
  /** The task's SdkAppId, from the file name. */
  sdkAppId: string;
  /** The room, from the file name; may contain `_`. */
  roomId: string;
  /** The anchor user id in the file name; equal to {@link ModerationFilePath.userId} by construction. */
  anchorUserId: string;
  /**
   * When the file was cut, as an ISO 8601 string, from the file name's `YYYYMMDDhhmmss`. Read as UTC,
   * as the doc names it "UTC time"; the doc's one sample cannot confirm it is not Beijing time
   * (https://trtc.io/document/73394).
   */
  time: string;
  /** The file extension without its dot: `ogg`, `png`. */
  extension: string;
}

const KINDS = new Map<string, ModerationFilePath['kind']>([
  ['audios', 'audio'],
  ['images', 'image'],
]);
const SCHEME_AND_HOST = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i;
const FILE_NAME = /^(.+)_(\d{14})\.([A-Za-z0-9]+)$/;
const SDK_APP_ID = /^\d+$/;

function decodeSegment(segment: string): string {
  // Without a `%` there is nothing to decode, and decodeURIComponent costs a call into the runtime.
  if (!segment.includes('%')) return segment;
  try {
    return decodeURIComponent(segment);
  } catch {
    // A lone `%` is not an escape; keep the segment as it was stored.
    return segment;
  }
}

/** `YYYYMMDDhhmmss` (14 digits, checked by the caller) read as UTC, or undefined for an impossible date. */
function utcIso(stamp: string): string | undefined {
  const year = Number(stamp.slice(0, 4));
  const month = Number(stamp.slice(4, 6)) - 1;
  const day = Number(stamp.slice(6, 8));
  const hours = Number(stamp.slice(8, 10));
  const minutes = Number(stamp.slice(10, 12));
  const seconds = Number(stamp.slice(12, 14));
  const date = new Date(Date.UTC(year, month, day, hours, minutes, seconds));
  // Date.UTC rolls 20251332… over into the next year and reads years 0 to 99 as 1900 to 1999; a real
  // stamp survives the round trip unchanged, and is then its own ISO string, without `toISOString`.
  return date.getUTCFullYear() === year &&
    date.getUTCMonth() === month &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hours &&
    date.getUTCMinutes() === minutes &&
    date.getUTCSeconds() === seconds
    ? `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 8)}T${stamp.slice(8, 10)}:${stamp.slice(10, 12)}:${stamp.slice(12, 14)}.000Z`
    : undefined;
}

/** Where a path ends: before its query string or fragment. */
function pathEnd(path: string): number {
  const query = path.indexOf('?');
  const fragment = path.indexOf('#');
  if (query < 0) return fragment < 0 ? path.length : fragment;
  return fragment < 0 ? query : Math.min(query, fragment);
}

/**
 * Reads a TRTC cloud moderation file's URL or storage path
 * (`[prefix/...]{taskId}/{userId}/audios|images/{sdkappid}_{roomId}_{userid}_{UTC time}.ogg|.png`,
 * https://trtc.io/document/73394), or returns undefined when it does not follow that naming.
 *
 * Room and user ids may contain `_`, so the file name is read from the right: the 14-digit time, then
 * the anchor user id, which is the user folder's name; what is left is `{sdkappid}_{roomId}`, split at
 * its first `_`. Segments are URL-decoded (TaskIds contain `+`, `-` and `.`, which COS URLs may encode);
 * a query string or fragment (presigned URLs) is ignored.
 *
 * @example
 * ```ts
 * parseModerationFilePath(
 *   'https://bucket.cos.ap-singapore.myqcloud.com/prefix1/-nHlf1xU7ts../anchor1/images/20005067_963715_anchor1_20250221211113.png',
 * );
 * // { prefix: ['prefix1'], taskId: '-nHlf1xU7ts..', userId: 'anchor1', kind: 'image', sdkAppId: '20005067',
 * //   roomId: '963715', anchorUserId: 'anchor1', time: '2025-02-21T21:11:13.000Z', extension: 'png' }
 * ```
 * @see https://trtc.io/document/73394
 */
export function parseModerationFilePath(urlOrPath: string): ModerationFilePath | undefined {
  const trimmed = urlOrPath.trim();
  const rest = trimmed.slice(SCHEME_AND_HOST.exec(trimmed)?.[0].length ?? 0);
  const path = rest.slice(0, pathEnd(rest));
  const segments: string[] = [];
  for (const segment of path.split('/')) if (segment !== '') segments.push(decodeSegment(segment));
  if (segments.length < 4) return undefined;
  const [taskId, userId, folder, fileName] = segments.slice(-4) as [string, string, string, string];
  const kind = KINDS.get(folder);
  const file = FILE_NAME.exec(fileName);
  if (kind === undefined || file === null) return undefined;
  const [, stem, stamp, extension] = file as unknown as [string, string, string, string];
  const anchorSuffix = `_${userId}`;
  if (!stem.endsWith(anchorSuffix)) return undefined;
  const head = stem.slice(0, -anchorSuffix.length);
  const split = head.indexOf('_');
  if (split < 0) return undefined;
  const sdkAppId = head.slice(0, split);
  const roomId = head.slice(split + 1);
  const time = utcIso(stamp);
  if (!SDK_APP_ID.test(sdkAppId) || roomId === '' || time === undefined) return undefined;
  return {
    prefix: segments.slice(0, -4),
    taskId,
    userId,
    kind,
    sdkAppId,
    roomId,
    anchorUserId: userId,
    time,
    extension,
  };
}

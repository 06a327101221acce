import { describeLeaveCode } from '@livehooks/core';
import type { StoredEvent } from '../store/stored-event.js';
import {
  fitsKey,
  type ModerationItemsTable,
  type StreamsTable,
  type TranscriptsTable,
  type TrtcTasksTable,
} from './projection-tables.js';

type Data = Record<string, unknown>;

function dataOf(event: StoredEvent): Data {
  return event.data !== null && typeof event.data === 'object' ? (event.data as Data) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.flatMap((item) => (text(item) === undefined ? [] : [text(item)!])) : [];
}

/**
 * True when `(at, id)` is later than `(currentAt, currentId)`: event time first, the event id breaking
 * ties, so the outcome does not depend on the order events arrive in (DESIGN.md "Projections").
 */
export function isLater(
  at: number,
  id: string,
  currentAt: number | null | undefined,
  currentId: string | null | undefined,
): boolean {
  if (currentAt === null || currentAt === undefined) return true;
  return at > currentAt || (at === currentAt && id > (currentId ?? ''));
}

function suggestionOf(value: unknown): 'Block' | 'Review' | 'Pass' | undefined {
  const lower = typeof value === 'string' ? value.trim().toLowerCase() : '';
  return lower === 'block' ? 'Block' : lower === 'review' ? 'Review' : lower === 'pass' ? 'Pass' : undefined;
}

/** A moderation item without its review columns. */
export type ModerationItemRow = Omit<ModerationItemsTable, 'status' | 'decided_at' | 'decided_by' | 'note'>;

function baseItem(event: StoredEvent): Omit<ModerationItemRow, 'media_type' | 'labels'> {
  return {
    id: event.id,
    event_type: event.type,
    family: event.family,
    occurred_at: event.occurredAt,
    app_id: event.subject.appId ?? null,
    stream_id: event.subject.streamId ?? null,
    room_id: event.subject.roomId ?? null,
    user_id: event.subject.userId ?? null,
    task_id: event.subject.taskId ?? null,
    media_url: null,
    score: null,
    suggestion: null,
    text: null,
  };
}

function unique(values: readonly (string | undefined)[]): string[] {
  return [...new Set(values.filter((value): value is string => value !== undefined))];
}

/**
 * The moderation item an event raises, if any: CSS 317 results that are not Pass, TRTC 1104 results
 * suggesting Review or Block, CSS 347 keyword hits and CSS 315 audio hits.
 */
export function moderationItemOf(event: StoredEvent): ModerationItemRow | undefined {
  const data = dataOf(event);
  switch (event.type) {
    case 'css.moderation.image': {
      const suggestion = suggestionOf(data.suggestion);
      if (suggestion === 'Pass') return undefined;
      return {
        ...baseItem(event),
        media_type: 'image',
        media_url: text(data.img) ?? null,
        labels: JSON.stringify(unique([...strings(data.hitLabels), text(data.label)])),
        score: num(data.score) ?? null,
        suggestion: suggestion ?? null,
        text: text(data.ocrMsg) ?? null,
      };
    }
    case 'trtc.moderation.result': {
      const suggestion = suggestionOf(data.suggestion);
      if (suggestion !== 'Review' && suggestion !== 'Block') return undefined;
      const details = Array.isArray(data.CheckDetail) ? (data.CheckDetail as Data[]) : [];
      const audio = data.mediaType === 'audio';
      return {
        ...baseItem(event),
        media_type: audio ? 'audio' : 'image',
        media_url:
          (audio ? text(data.Audio) : text(data.Image)) ?? text(data.Image) ?? text(data.Audio) ?? null,
        labels: JSON.stringify(unique([text(data.Label), ...details.map((detail) => text(detail.Label))])),
        score: num(data.score) ?? null,
        suggestion,
        text: text(data.AudioText) ?? text(data.ImageOcr) ?? null,
      };
    }
    case 'css.smart_erase': {
      const keywords = strings(data.keywords);
      if (keywords.length === 0) return undefined;
      return {
        ...baseItem(event),
        media_type: 'text',
        labels: JSON.stringify(keywords),
        text: segmentsText(data) ?? null,
      };
    }
    case 'css.moderation.audio': {
      const suggestion = suggestionOf(data.suggestion);
      const hit = data.hit === true || suggestion === 'Block' || suggestion === 'Review';
      if (!hit || suggestion === 'Pass') return undefined;
      return {
        ...baseItem(event),
        media_type: 'audio',
        media_url: text(data.cdn_url) ?? null,
        labels: JSON.stringify(unique([text(data.label), text(data.sub_label), ...strings(data.keywords)])),
        score: num(data.Score) ?? null,
        suggestion: suggestion ?? null,
        text: text(data.asr_text) ?? null,
      };
    }
    default:
      return undefined;
  }
}

/** The joined `src_txt` of CSS 338/347 segments. */
function segmentsText(data: Data): string | undefined {
  const segments = Array.isArray(data.subtitle_tmp_res) ? (data.subtitle_tmp_res as Data[]) : [];
  return text(
    segments
      .map((segment) => text(segment.src_txt))
      .filter(Boolean)
      .join(' '),
  );
}

function segmentSpan(data: Data): { start: number | null; end: number | null } {
  const segments = Array.isArray(data.subtitle_tmp_res) ? (data.subtitle_tmp_res as Data[]) : [];
  return { start: num(segments[0]?.start_pts) ?? null, end: num(segments.at(-1)?.end_pts) ?? null };
}

/** The transcript line of CSS 328 ASR/OCR, CSS 338 subtitles and CSS 347 smart-erase text. */
export function transcriptOf(event: StoredEvent): TranscriptsTable | undefined {
  const data = dataOf(event);
  const row = (kind: string, body: string | undefined, start: number | null, end: number | null) =>
    body === undefined
      ? undefined
      : {
          event_id: event.id,
          app_id: event.subject.appId ?? null,
          stream_id: event.subject.streamId ?? null,
          kind,
          text: body,
          start_ms: start,
          end_ms: end,
          occurred_at: event.occurredAt,
        };
  const seconds = (value: unknown) => (num(value) === undefined ? null : Math.round(num(value)! * 1000));
  switch (event.type) {
    case 'css.monitor.asr':
      return row('asr', text(data.Text), seconds(data.StartPtsTime), seconds(data.EndPtsTime));
    case 'css.monitor.ocr':
      return row('ocr', text(data.Text), null, null);
    case 'css.subtitles':
    case 'css.smart_erase': {
      const span = segmentSpan(data);
      return row('subtitle', segmentsText(data), span.start, span.end);
    }
    default:
      return undefined;
  }
}

/** A stream's liveness from its latest push and latest disconnect. */
export function streamStatus(row: StreamsTable): 'live' | 'offline' | 'unknown' {
  if (row.last_push_at === null) return row.last_disconnect_at === null ? 'unknown' : 'offline';
  if (row.last_disconnect_at === null) return 'live';
  // A disconnect ends the push session of its `sequence`
  // (https://www.tencentcloud.com/document/product/267/38081): a push of that same session,
  // even one stamped later or delivered later, does not make the stream live again.
  if (row.last_disconnect_seq !== null && row.last_disconnect_seq === row.last_push_seq) return 'offline';
  return isLater(
    row.last_push_at,
    row.last_push_event ?? '',
    row.last_disconnect_at,
    row.last_disconnect_event,
  )
    ? 'live'
    : 'offline';
}

/**
 * The `streams` row a CSS event updates, `appId` `''` when it carries none; undefined for other events and
 * for ids too long for the table's key (the event stays listed under `/api/events`).
 */
export function streamKeyOf(event: StoredEvent): { appId: string; streamId: string } | undefined {
  const { appId = '', streamId } = event.subject;
  if (event.family !== 'css' || streamId === undefined) return undefined;
  return fitsKey(appId) && fitsKey(streamId) ? { appId, streamId } : undefined;
}

/** An empty stream row. */
export function newStream(appId: string, streamId: string, at: number): StreamsTable {
  return {
    app_id: appId,
    stream_id: streamId,
    status: 'unknown',
    health: 'ok',
    health_at: null,
    health_event: null,
    last_event_at: at,
    last_push_at: null,
    last_push_event: null,
    last_push_seq: null,
    last_disconnect_at: null,
    last_disconnect_event: null,
    last_disconnect_seq: null,
    disconnect_reason: null,
    broken_count: 0,
    last_broken_at: null,
    low_framerate_count: 0,
    last_low_framerate_at: null,
    moderation_hits: 0,
    screenshot_url: null,
    screenshot_at: null,
    screenshot_event: null,
  };
}

const HEALTH_SIGNALS: Record<string, StreamsTable['health']> = {
  'css.stream.push': 'ok',
  'css.stream.disconnect': 'ok',
  'css.monitor.stream_broken': 'broken',
  'css.monitor.low_framerate': 'low_framerate',
};

/**
 * Applies one event to its stream's row (mutated). Every rule is a count or a latest-by-event-time, so
 * applying the same events in any order gives the same row.
 */
export function applyToStream(row: StreamsTable, event: StoredEvent, moderationHit: boolean): void {
  const data = dataOf(event);
  const at = event.occurredAt;
  if (at > row.last_event_at) row.last_event_at = at;
  const health = HEALTH_SIGNALS[event.type];
  if (health !== undefined && isLater(at, event.id, row.health_at, row.health_event)) {
    row.health = health;
    row.health_at = at;
    row.health_event = event.id;
  }
  switch (event.type) {
    case 'css.stream.push':
      if (isLater(at, event.id, row.last_push_at, row.last_push_event)) {
        row.last_push_at = at;
        row.last_push_event = event.id;
        row.last_push_seq = text(data.sequence) ?? null;
      }
      break;
    case 'css.stream.disconnect':
      if (isLater(at, event.id, row.last_disconnect_at, row.last_disconnect_event)) {
        row.last_disconnect_at = at;
        row.last_disconnect_event = event.id;
        row.last_disconnect_seq = text(data.sequence) ?? null;
        row.disconnect_reason = text(data.reason) ?? null;
      }
      break;
    case 'css.monitor.stream_broken':
      row.broken_count += 1;
      if (row.last_broken_at === null || at > row.last_broken_at) row.last_broken_at = at;
      break;
    case 'css.monitor.low_framerate':
      row.low_framerate_count += 1;
      if (row.last_low_framerate_at === null || at > row.last_low_framerate_at)
        row.last_low_framerate_at = at;
      break;
    case 'css.screenshot': {
      const url = text(data.pic_full_url) ?? text(data.pic_url);
      if (url !== undefined && isLater(at, event.id, row.screenshot_at, row.screenshot_event)) {
        row.screenshot_url = url;
        row.screenshot_at = at;
        row.screenshot_event = event.id;
      }
      break;
    }
  }
  if (moderationHit) row.moderation_hits += 1;
  row.status = streamStatus(row);
}

/** TRTC cloud moderation task states, in words for people who never read Tencent's docs. */
export const TASK_STATE_LABELS: Record<string, string> = {
  starting: 'starting: no start confirmation received yet',
  failed_to_start: 'failed to start',
  running: 'running: the moderation robot is in the room',
  sending: 'sending media for review',
  stopped: 'stopped',
  errored: 'storage error',
};

/** Lifecycle events: the state each sets, and its rank when two share a timestamp (later stage wins). */
function lifecycle(event: StoredEvent, data: Data): { state: string; rank: number } | undefined {
  switch (event.type) {
    case 'trtc.moderation.start':
      return {
        state: data.Status === 0 ? 'running' : data.Status === 1 ? 'failed_to_start' : 'starting',
        rank: 1,
      };
    case 'trtc.moderation.send_start':
      return { state: 'sending', rank: 2 };
    case 'trtc.moderation.send_stop':
      return { state: 'running', rank: 3 };
    case 'trtc.moderation.error':
      return { state: 'errored', rank: 4 };
    case 'trtc.moderation.stop':
      return { state: 'stopped', rank: 5 };
    default:
      return undefined;
  }
}

/** True for the TRTC events of a moderation task (1101..1106) whose TaskId fits the table's key. */
export function isTaskEvent(event: StoredEvent): boolean {
  const { taskId } = event.subject;
  return event.type.startsWith('trtc.moderation.') && taskId !== undefined && fitsKey(taskId);
}

/** An empty task row. */
export function newTask(taskId: string, at: number): TrtcTasksTable {
  return {
    task_id: taskId,
    sdk_app_id: null,
    room_id: null,
    state: 'starting',
    state_at: null,
    state_rank: null,
    state_event: null,
    stop_at: null,
    stop_event: null,
    leave_code: null,
    leave_reason: null,
    error_code: null,
    error_message: null,
    error_at: null,
    error_event: null,
    started_at: null,
    updated_at: at,
    pass_count: 0,
    review_count: 0,
    block_count: 0,
  };
}

/**
 * Applies one TRTC 1101..1106 event to its task's row (mutated): the state is that of the latest
 * lifecycle event by event time, so a late-delivered start does not reopen a stopped task.
 */
export function applyToTask(row: TrtcTasksTable, event: StoredEvent): void {
  const data = dataOf(event);
  const at = event.occurredAt;
  if (at > row.updated_at) row.updated_at = at;
  row.room_id ??= event.subject.roomId ?? null;
  row.sdk_app_id ??= event.subject.sdkAppId ?? null;
  const step = lifecycle(event, data);
  if (step !== undefined) {
    const later =
      row.state_at === null ||
      at > row.state_at ||
      (at === row.state_at &&
        (step.rank > (row.state_rank ?? 0) ||
          (step.rank === row.state_rank && event.id > (row.state_event ?? ''))));
    if (later) {
      row.state = step.state;
      row.state_at = at;
      row.state_rank = step.rank;
      row.state_event = event.id;
    }
  }
  switch (event.type) {
    case 'trtc.moderation.start':
      if (row.started_at === null || at < row.started_at) row.started_at = at;
      break;
    case 'trtc.moderation.stop': {
      const code = num(data.LeaveCode);
      if (isLater(at, event.id, row.stop_at, row.stop_event)) {
        row.stop_at = at;
        row.stop_event = event.id;
        row.leave_code = code ?? null;
        row.leave_reason = text(data.leaveReason) ?? (code === undefined ? null : describeLeaveCode(code));
      }
      break;
    }
    case 'trtc.moderation.error':
      if (isLater(at, event.id, row.error_at, row.error_event)) {
        row.error_code =
          typeof data.Code === 'number' || typeof data.Code === 'string' ? String(data.Code) : null;
        row.error_message = text(data.Message) ?? null;
        row.error_at = at;
        row.error_event = event.id;
      }
      break;
    case 'trtc.moderation.result': {
      const suggestion = suggestionOf(data.suggestion);
      if (suggestion === 'Pass') row.pass_count += 1;
      else if (suggestion === 'Review') row.review_count += 1;
      else if (suggestion === 'Block') row.block_count += 1;
      break;
    }
  }
  // A task seen only through its results is evidently sending.
  if (row.state_at === null && row.pass_count + row.review_count + row.block_count > 0) row.state = 'sending';
}

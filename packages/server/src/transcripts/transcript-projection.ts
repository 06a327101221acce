import { fitRow } from '../projections/fit-row.js';
import { finite, joinNonBlank, nonBlank } from '../projections/event-values.js';
import type { Projection } from '../projections/projection.js';
import { chunk, ROWS_PER_INSERT } from '../projections/upsert-rows.js';
import type { StoredEvent } from '../store/stored-event.js';
import {
  TRANSCRIPT_COLUMNS,
  TRANSCRIPT_TEXT,
  type TranscriptDatabase,
  type TranscriptsTable,
} from './transcript-tables.js';

/** Stream-time bounds of CSS 338/347 segments: the first one's start and the last one's end, in ms. */
function segmentSpan(segments: readonly { start_pts?: number | undefined; end_pts?: number | undefined }[]) {
  return { start: finite(segments[0]?.start_pts) ?? null, end: finite(segments.at(-1)?.end_pts) ?? null };
}

/** Seconds as whole milliseconds. */
function secondsToMs(value: number | undefined): number | null {
  const seconds = finite(value);
  return seconds === undefined ? null : Math.round(seconds * 1000);
}

/**
 * The transcript line of CSS 328 ASR/OCR, CSS 338 subtitles and CSS 347 smart-erase text; undefined for
 * other events and for blank text.
 *
 * @example
 * ```ts
 * transcriptOf(asrEvent)?.text; // '欢迎来到北京'
 * ```
 */
export function transcriptOf(event: StoredEvent): TranscriptsTable | undefined {
  const row = (kind: string, text: string | undefined, start: number | null, end: number | null) =>
    text === undefined
      ? undefined
      : {
          event_id: event.id,
          app_id: event.subject.appId ?? null,
          stream_id: event.subject.streamId ?? null,
          kind,
          text,
          start_ms: start,
          end_ms: end,
          occurred_at: event.occurredAt,
        };
  switch (event.type) {
    case 'css.monitor.asr':
      return row(
        'asr',
        nonBlank(event.data.Text),
        secondsToMs(event.data.StartPtsTime),
        secondsToMs(event.data.EndPtsTime),
      );
    case 'css.monitor.ocr':
      return row('ocr', nonBlank(event.data.Text), null, null);
    case 'css.subtitles':
    case 'css.smart_erase': {
      const segments = event.data.subtitle_tmp_res;
      const span = segmentSpan(segments);
      return row('subtitle', joinNonBlank(segments.map((segment) => segment.src_txt)), span.start, span.end);
    }
    default:
      return undefined;
  }
}

/**
 * The transcripts projection: one searchable `transcripts` row per event with recognised or subtitled text,
 * added to the dialect's text index in the same transaction.
 */
export const transcriptProjection: Projection = {
  name: 'transcripts',
  tables: { transcripts: TRANSCRIPT_COLUMNS },
  async apply(trx, events, profile) {
    const db = trx.withTables<TranscriptDatabase>();
    const rows = events.flatMap((event) => {
      const transcript = transcriptOf(event);
      return transcript === undefined ? [] : [fitRow(TRANSCRIPT_COLUMNS, transcript)];
    });
    const indexed = [];
    for (const part of chunk(rows, ROWS_PER_INSERT)) {
      const inserted = await db
        .insertInto('transcripts')
        .values(part)
        .onConflict((conflict) => conflict.column('event_id').doNothing())
        .returning('event_id')
        .execute();
      const ids = new Set(inserted.map((row) => row.event_id));
      indexed.push(...part.filter((row) => ids.has(row.event_id)));
    }
    await profile.textSearch.add(
      trx,
      TRANSCRIPT_TEXT,
      indexed.map((row) => ({ key: row.event_id, text: row.text })),
    );
  },
  async clear(trx, profile) {
    await profile.textSearch.clear(trx, TRANSCRIPT_TEXT);
  },
};

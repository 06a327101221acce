import type { Selectable } from 'kysely';
import type { KyselyStore } from '../store/kysely-store.js';
import type { TranscriptHit } from './transcript-schemas.js';
import { TRANSCRIPT_TEXT, type TranscriptDatabase, type TranscriptsTable } from './transcript-tables.js';

/** Where a search continues: after this (event time, event id). */
export type TranscriptPosition = readonly [number, string];

/** A search of {@link searchTranscripts}. */
export interface TranscriptQuery {
  /** Words the text contains, all of them, any case; none finds every line. */
  terms: readonly string[];
  kind?: TranscriptHit['kind'];
  streamId?: string;
  after?: TranscriptPosition;
  /** At most this many. */
  limit: number;
}

/**
 * Where the search terms occur in `text`: sorted, merged `[start, end)` offsets in UTF-16 code units
 * (JavaScript string indexes), case-insensitive.
 *
 * @example
 * ```ts
 * highlightsOf('欢迎来到北京', ['北京']); // [[4, 6]]
 * ```
 */
export function highlightsOf(text: string, terms: readonly string[]): [number, number][] {
  const lower = text.toLowerCase();
  // Lower-casing can change a string's length (rare Unicode cases): then match the text as it is.
  const haystack = lower.length === text.length ? lower : text;
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const needle = haystack === lower ? term.toLowerCase() : term;
    if (needle === '') continue;
    for (let at = haystack.indexOf(needle); at !== -1; at = haystack.indexOf(needle, at + 1)) {
      ranges.push([at, at + needle.length]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged.at(-1);
    if (last !== undefined && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  return merged;
}

/** A `transcripts` row as a search hit. */
function toTranscriptHit(row: Selectable<TranscriptsTable>, terms: readonly string[]): TranscriptHit {
  return {
    eventId: row.event_id,
    streamId: row.stream_id ?? undefined,
    kind: row.kind as TranscriptHit['kind'],
    text: row.text,
    startMs: row.start_ms === null ? undefined : Number(row.start_ms),
    endMs: row.end_ms === null ? undefined : Number(row.end_ms),
    occurredAt: Number(row.occurred_at),
    highlights: highlightsOf(row.text, terms),
  };
}

/** Transcript lines that contain every term (Chinese substrings included), newest first by event time. */
export async function searchTranscripts(
  store: KyselyStore,
  query: TranscriptQuery,
): Promise<TranscriptHit[]> {
  let select = store.db
    .withTables<TranscriptDatabase>()
    .selectFrom('transcripts')
    .selectAll()
    .orderBy('occurred_at', 'desc')
    .orderBy('event_id', 'desc')
    .limit(query.limit);
  const { terms, kind, streamId, after } = query;
  if (terms.length > 0) select = select.where(store.profile.textSearch.matches(TRANSCRIPT_TEXT, terms));
  if (kind !== undefined) select = select.where('kind', '=', kind);
  if (streamId !== undefined) select = select.where('stream_id', '=', streamId);
  if (after !== undefined) {
    select = select.where((eb) =>
      eb(eb.refTuple('occurred_at', 'event_id'), '<', eb.tuple(after[0], after[1])),
    );
  }
  return (await select.execute()).map((row) => toTranscriptHit(row, terms));
}

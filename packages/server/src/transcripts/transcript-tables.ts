import type { Kysely } from 'kysely';
import type { ColumnKinds } from '../projections/fit-row.js';
import type { CreateTables } from '../projections/projections-migration.js';
import type { DialectProfile, TextColumn } from '../store/dialect-profile.js';

/** Recognised or subtitled text of a stream, searchable (one row per event). */
export interface TranscriptsTable {
  event_id: string;
  app_id: string | null;
  stream_id: string | null;
  /** `asr`, `ocr` or `subtitle`. */
  kind: string;
  text: string;
  start_ms: number | null;
  end_ms: number | null;
  occurred_at: number;
}

/** The tables of the transcripts projection. */
export type TranscriptDatabase = { transcripts: TranscriptsTable };

/** The kind of every `transcripts` column, as {@link createTranscriptTables} declares it. */
export const TRANSCRIPT_COLUMNS: ColumnKinds<TranscriptsTable> = {
  event_id: 'key',
  app_id: 'text',
  stream_id: 'key',
  kind: 'text',
  text: 'text',
  start_ms: 'bigint',
  end_ms: 'bigint',
  occurred_at: 'bigint',
};

/** The searched text of `transcripts`, by substring through the dialect's trigram index. */
export const TRANSCRIPT_TEXT: TextColumn = { table: 'transcripts', key: 'event_id', column: 'text' };

/** The transcripts' part of migration `0002_projections`: `transcripts`, its list indexes and its search index. */
export const createTranscriptTables: CreateTables = async (db: Kysely<unknown>, profile: DialectProfile) => {
  await db.schema
    .createTable('transcripts')
    .addColumn('event_id', profile.types.id, (col) => col.primaryKey())
    .addColumn('app_id', 'text')
    .addColumn('stream_id', 'text')
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('text', 'text', (col) => col.notNull())
    .addColumn('start_ms', 'bigint')
    .addColumn('end_ms', 'bigint')
    .addColumn('occurred_at', 'bigint', (col) => col.notNull())
    .execute();
  const index = (name: string, columns: string[]) =>
    db.schema.createIndex(name).on('transcripts').columns(columns).execute();
  await index('transcripts_recent', ['occurred_at', 'event_id']);
  await index('transcripts_stream_recent', ['stream_id', 'occurred_at', 'event_id']);
  await profile.textSearch.createIndex(db, TRANSCRIPT_TEXT);
};

import { sql, type Expression, type Kysely, type SqlBool, type Transaction } from 'kysely';
import type { DialectProfile } from '../store/dialect-profile.js';
import type { ProjectionDatabase } from './projection-tables.js';

/** A transcript row as the search index needs it. */
export interface IndexedText {
  event_id: string;
  text: string;
}

/**
 * How one database searches transcripts by substring, Chinese included. Word tokenizers split neither
 * Chinese nor Japanese, so both dialects index character trigrams: any substring of 3 characters or more
 * is found through the index; shorter terms (`北京`) fall back to a substring scan.
 */
export interface TranscriptSearch {
  /** Creates the index structures (inside migration `0002_projections`). */
  migrate(db: Kysely<unknown>): Promise<void>;
  /** Adds newly projected transcripts to the index, in the projector's transaction. */
  index(trx: Transaction<ProjectionDatabase>, rows: readonly IndexedText[]): Promise<void>;
  /** Empties the index (rebuild). */
  clear(trx: Transaction<ProjectionDatabase>): Promise<void>;
  /** A condition on `transcripts` true when `text` contains every term, case-insensitively. */
  matches(terms: readonly string[]): Expression<SqlBool>;
}

/** SQLite's FTS5 trigram tokenizer needs at least three characters to use its index (sqlite.org/fts5.html#the_trigram_tokenizer). */
const TRIGRAM = 3;

function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

function phrase(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

function allOf(conditions: Expression<SqlBool>[]): Expression<SqlBool> {
  return conditions.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`(${sql.join(conditions, sql` and `)})`;
}

/** SQLite: an FTS5 table with the `trigram` tokenizer beside `transcripts`. */
const sqliteSearch: TranscriptSearch = {
  async migrate(db) {
    await sql`create virtual table transcripts_fts using fts5(event_id unindexed, text, tokenize = 'trigram')`.execute(
      db,
    );
  },
  async index(trx, rows) {
    for (let start = 0; start < rows.length; start += 500) {
      const values = rows.slice(start, start + 500).map((row) => sql`(${row.event_id}, ${row.text})`);
      await sql`insert into transcripts_fts (event_id, text) values ${sql.join(values)}`.execute(trx);
    }
  },
  async clear(trx) {
    await sql`delete from transcripts_fts`.execute(trx);
  },
  matches(terms) {
    const long = terms.filter((term) => [...term].length >= TRIGRAM);
    const short = terms.filter((term) => [...term].length < TRIGRAM);
    const conditions: Expression<SqlBool>[] = short.map(
      (term) => sql<SqlBool>`transcripts.text like ${likePattern(term)} escape '\\'`,
    );
    if (long.length > 0) {
      const query = long.map(phrase).join(' ');
      conditions.unshift(
        sql<SqlBool>`transcripts.event_id in (select event_id from transcripts_fts where transcripts_fts match ${query})`,
      );
    }
    return allOf(conditions);
  },
};

/**
 * PostgreSQL: `pg_trgm`'s GIN index serves `ILIKE '%term%'` (postgresql.org/docs/current/pgtrgm.html#PGTRGM-INDEX).
 * Creating the extension needs the right to (it is a trusted extension since PostgreSQL 13); without it the
 * same queries run as scans.
 */
const postgresSearch: TranscriptSearch = {
  async migrate(db) {
    // A refused CREATE EXTENSION must not abort the migration's transaction: try it under a savepoint.
    await sql`savepoint livehooks_pg_trgm`.execute(db);
    try {
      // In `public`, not the gateway's schema: the extension is database-wide, and a schema dropped with
      // CASCADE would take the other schemas' trigram indexes with it.
      await sql`create extension if not exists pg_trgm with schema public`.execute(db);
      await sql`release savepoint livehooks_pg_trgm`.execute(db);
    } catch {
      await sql`rollback to savepoint livehooks_pg_trgm`.execute(db);
    }
    const found = await sql<{ schema: string }>`
      select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace
      where e.extname = 'pg_trgm'`.execute(db);
    const schema = found.rows[0]?.schema;
    if (schema === undefined) return;
    await sql`create index transcripts_text_trgm on transcripts using gin (text ${sql.id(schema)}.gin_trgm_ops)`.execute(
      db,
    );
  },
  async index() {},
  async clear() {},
  matches(terms) {
    return allOf(terms.map((term) => sql<SqlBool>`transcripts.text ilike ${likePattern(term)} escape '\\'`));
  },
};

/** The transcript search of a dialect. */
export function transcriptSearchFor(profile: DialectProfile): TranscriptSearch {
  return { sqlite: sqliteSearch, postgres: postgresSearch }[profile.name];
}

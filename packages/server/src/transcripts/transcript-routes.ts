import type { FastifyPluginCallback } from 'fastify';
import { z } from 'zod';
import { decodePosition, encodePosition } from '../api/cursor.js';
import {
  apiErrors,
  cursorParam,
  limitParam,
  oneOfParam,
  pageFrom,
  pageOf,
  searchParam,
  textParam,
} from '../api/query-schemas.js';
import type { ZodTypeProvider } from '../api/route-schema.js';
import type { KyselyStore } from '../store/kysely-store.js';
import { searchTranscripts, type TranscriptPosition } from './transcript-repository.js';
import { transcriptHitSchema } from './transcript-schemas.js';

/** What the transcript routes need. */
export interface TranscriptRoutesOptions {
  store: KyselyStore;
}

const searchQuery = z.object({
  q: searchParam('q', 'words, all of which the text contains (at most 10, of at most 100 characters)'),
  kind: oneOfParam('kind', ['asr', 'ocr', 'subtitle'] as const, 'asr, ocr or subtitle'),
  stream_id: textParam('stream_id', 'a CSS stream id'),
  limit: limitParam,
  cursor: cursorParam((cursor) => decodePosition(cursor, ['number', 'id']) as TranscriptPosition | undefined),
});

/**
 * The transcripts feature of the API (registered inside the authenticated scope): `GET /api/transcripts`,
 * the search of ASR, OCR and subtitle text by words (Chinese substrings included), newest first, cursor.
 *
 * @example
 * ```ts
 * await api.register(transcriptRoutes, { store });
 * ```
 */
export const transcriptRoutes: FastifyPluginCallback<TranscriptRoutesOptions> = (scope, options, done) => {
  const { store } = options;
  scope.withTypeProvider<ZodTypeProvider>().get(
    '/api/transcripts',
    {
      schema: {
        summary: 'Transcript search (ASR, OCR, subtitles), Chinese substrings included, newest first',
        querystring: searchQuery,
        response: { 200: pageOf(transcriptHitSchema), ...apiErrors },
      },
    },
    async (request) => {
      const { q, kind, stream_id, cursor, limit } = request.query;
      const rows = await searchTranscripts(store, {
        terms: q,
        limit: limit + 1,
        ...(kind === undefined ? {} : { kind }),
        ...(stream_id === undefined ? {} : { streamId: stream_id }),
        ...(cursor === undefined ? {} : { after: cursor }),
      });
      return pageFrom(rows, limit, (last) => encodePosition([last.occurredAt, last.eventId]));
    },
  );
  done();
};

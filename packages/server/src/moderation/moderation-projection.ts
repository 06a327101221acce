import type { Transaction } from 'kysely';
import { fitRow } from '../projections/fit-row.js';
import { finite, joinNonBlank, nonBlank } from '../projections/event-values.js';
import type { Projection } from '../projections/projection.js';
import { chunk, ROWS_PER_INSERT } from '../projections/upsert-rows.js';
import type { Database } from '../store/database.js';
import type { StoredEvent } from '../store/stored-event.js';
import {
  MODERATION_ITEM_COLUMNS,
  reviewState,
  type ModerationDatabase,
  type ModerationItemsTable,
  type ReviewEntry,
} from './moderation-tables.js';

/** A moderation item without its review columns. */
export type ModerationItemRow = Omit<ModerationItemsTable, 'status' | 'decided_at' | 'decided_by' | 'note'>;

/** A moderation verdict in Tencent's casing, whatever casing it was sent in. */
function suggestionOf(value: string | undefined): 'Block' | 'Review' | 'Pass' | undefined {
  const lower = value?.trim().toLowerCase();
  return lower === 'block' ? 'Block' : lower === 'review' ? 'Review' : lower === 'pass' ? 'Pass' : undefined;
}

/** The non-blank values, trimmed, in order. */
function words(values: readonly (string | undefined)[]): string[] {
  return values.map(nonBlank).filter((value) => value !== undefined);
}

/** The distinct non-blank labels, trimmed, in order, as the JSON the `labels` column holds. */
function labelsOf(values: readonly (string | undefined)[]): string {
  return JSON.stringify([...new Set(words(values))]);
}

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

/**
 * The moderation item an event raises, if any: CSS 317 results that are not Pass, TRTC 1104 results
 * suggesting Review or Block, CSS 347 keyword hits and CSS 315 audio hits.
 *
 * @example
 * ```ts
 * const item = moderationItemOf(event);
 * if (item !== undefined) console.log(item.media_type, JSON.parse(item.labels));
 * ```
 */
export function moderationItemOf(event: StoredEvent): ModerationItemRow | undefined {
  switch (event.type) {
    case 'css.moderation.image': {
      const { data } = event;
      if (data.suggestion === 'Pass') return undefined;
      return {
        ...baseItem(event),
        media_type: 'image',
        media_url: nonBlank(data.img) ?? null,
        labels: labelsOf([...data.hitLabels, data.label]),
        score: finite(data.score) ?? null,
        suggestion: data.suggestion ?? null,
        text: nonBlank(data.ocrMsg) ?? null,
      };
    }
    case 'trtc.moderation.result': {
      const { data } = event;
      if (data.suggestion !== 'Review' && data.suggestion !== 'Block') return undefined;
      const [image, audio] = [nonBlank(data.Image), nonBlank(data.Audio)];
      return {
        ...baseItem(event),
        media_type: data.mediaType === 'audio' ? 'audio' : 'image',
        media_url: (data.mediaType === 'audio' ? audio : image) ?? image ?? audio ?? null,
        labels: labelsOf([data.Label, ...data.CheckDetail.map((detail) => detail.Label)]),
        score: finite(data.score) ?? null,
        suggestion: data.suggestion,
        text: nonBlank(data.AudioText) ?? nonBlank(data.ImageOcr) ?? null,
      };
    }
    case 'css.smart_erase': {
      const { data } = event;
      const keywords = words(data.keywords);
      if (keywords.length === 0) return undefined;
      return {
        ...baseItem(event),
        media_type: 'text',
        labels: JSON.stringify(keywords),
        text: joinNonBlank(data.subtitle_tmp_res.map((segment) => segment.src_txt)) ?? null,
      };
    }
    case 'css.moderation.audio': {
      const { data } = event;
      const suggestion = suggestionOf(data.suggestion);
      const hit = data.hit === true || suggestion === 'Block' || suggestion === 'Review';
      if (!hit || suggestion === 'Pass') return undefined;
      return {
        ...baseItem(event),
        media_type: 'audio',
        media_url: nonBlank(data.cdn_url) ?? null,
        labels: labelsOf([data.label, data.sub_label, ...data.keywords]),
        score: finite(data.Score) ?? null,
        suggestion: suggestion ?? null,
        text: nonBlank(data.asr_text) ?? null,
      };
    }
    default:
      return undefined;
  }
}

/** The review columns an item gets from its audit trail ({@link reviewState}; reviews survive a rebuild). */
async function withReviews(
  trx: Transaction<Database>,
  items: readonly ModerationItemRow[],
): Promise<ModerationItemsTable[]> {
  const db = trx.withTables<ModerationDatabase>();
  const trails = new Map<string, ReviewEntry[]>();
  for (const ids of chunk(
    items.map((item) => item.id),
    ROWS_PER_INSERT,
  )) {
    const reviews = await db
      .selectFrom('reviews')
      .selectAll()
      .where('item_id', 'in', ids)
      .orderBy('id')
      .execute();
    for (const review of reviews) {
      const trail = trails.get(review.item_id);
      if (trail === undefined) trails.set(review.item_id, [review]);
      else trail.push(review);
    }
  }
  return items.map((item) => ({ ...item, ...reviewState(trails.get(item.id) ?? []) }));
}

/**
 * The moderation projection: one `moderation_items` row per event that raises one ({@link moderationItemOf}),
 * pending until a human decides, its audit trail re-applied when it is projected again.
 */
export const moderationProjection: Projection = {
  name: 'moderation',
  tables: { moderation_items: MODERATION_ITEM_COLUMNS },
  async apply(trx, events) {
    const items = events.flatMap((event) => moderationItemOf(event) ?? []);
    for (const part of chunk(await withReviews(trx, items), ROWS_PER_INSERT)) {
      await trx
        .withTables<ModerationDatabase>()
        .insertInto('moderation_items')
        .values(part.map((row) => fitRow(MODERATION_ITEM_COLUMNS, row)))
        .onConflict((conflict) => conflict.column('id').doNothing())
        .execute();
    }
  },
};

import { z } from 'zod';
import { valueTransform } from '../_compile-schema.js';
import { defineEvent } from '../define-event.js';
import { idString, maxOf, numberish, secondsToMs, trimmed } from '../fields.js';
import { cssCommonShape, cssSubject } from './css-event.js';

/** Tencent's moderation advice: block, have a human review, or let pass. */
export type ModerationSuggestion = 'Block' | 'Review' | 'Pass';

const SEVERITY: Record<ModerationSuggestion, number> = { Pass: 0, Review: 1, Block: 2 };

function toSuggestion(value: string | undefined): ModerationSuggestion | undefined {
  const lower = value?.trim().toLowerCase();
  if (lower === 'block') return 'Block';
  if (lower === 'review') return 'Review';
  if (lower === 'pass') return 'Pass';
  return undefined;
}

/** One entry of `labelResults`, `objectResults`, `ocrResults` or `libResults`, its label key read as `Label`. */
export interface ModerationResult {
  /** 1 when this model hit. */
  HitFlag?: number;
  Scene?: string;
  /** `Block`, `Review` or `Pass`, in that casing when Tencent sent one of them. */
  Suggestion?: string;
  /** The doc's tables write `label`, its sample `Label`: both arrive here as `Label`. */
  Label?: string;
  SubLabel?: string;
  Score?: number;
  /** Sub-label, object, OCR or library details, each with its label key normalised to `Label`. */
  Details: unknown[];
  [field: string]: unknown;
}

/** A result that hit: `HitFlag` 1, or a suggestion other than Pass. */
export interface ModerationHit {
  /** Which result list it came from. */
  kind: 'label' | 'object' | 'ocr' | 'lib';
  scene?: string;
  label?: string;
  subLabel?: string;
  suggestion?: ModerationSuggestion;
  score?: number;
}

/** The fields of a result its schema reads itself; the others are copied as sent. */
const RESULT_FIELDS = new Set(['HitFlag', 'Scene', 'Suggestion', 'SubLabel', 'Score', 'Details']);

/**
 * Copies `record` into `out` without the `omit` keys and without its `label`, `LABEL`, ... key; returns
 * that label (a `Label` key wins), for the caller to put under `Label`: the 317 page's tables spell it
 * `label`, its sample `Label`, so consumers read one name. Plain assignment, not `Object.fromEntries`: this runs for every result
 * of a 317 callback, and building the entries costs more than the rest of its validation.
 */
function copyWithoutLabel(
  record: Record<string, unknown>,
  out: Record<string, unknown>,
  omit?: ReadonlySet<string>,
): unknown {
  let label: unknown;
  for (const key of Object.keys(record)) {
    if (omit?.has(key)) continue;
    const value = record[key];
    if (key.length === 5 && key.toLowerCase() === 'label') {
      if (key === 'Label' || label === undefined) label = value;
    } else if (key === '__proto__') {
      // A `__proto__` key in the callback stays a key, never a prototype.
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    } else {
      out[key] = value;
    }
  }
  return label;
}

/** Copies `record` with its label under `Label` whatever its casing. */
function withLabel(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const label = copyWithoutLabel(record, out);
  if (label !== undefined) out.Label = label;
  return out;
}

function detailWithLabel(detail: unknown): unknown {
  return detail !== null && typeof detail === 'object' && !Array.isArray(detail)
    ? withLabel(detail as Record<string, unknown>)
    : detail;
}

const optionalText = trimmed
  .nullish()
  .transform(valueTransform((value: string | null | undefined) => value ?? undefined));

/**
 * The 317 page types `type` and `score` as arrays, yet its sample sends `socre: 99`: both forms are
 * read as a list.
 */
const numberList = z
  .union([z.array(numberish), numberish, z.null()])
  .transform(
    valueTransform((value: number[] | number | null) =>
      value === null ? [] : Array.isArray(value) ? value : [value],
    ),
  );

const resultSchema = z
  .looseObject({
    HitFlag: numberish.nullish(),
    Scene: optionalText,
    Suggestion: optionalText,
    SubLabel: optionalText,
    Score: numberish.nullish(),
    Details: z.array(z.unknown()).nullish(),
  })
  .transform(
    valueTransform((input): ModerationResult => {
      const { HitFlag, Scene, Suggestion, SubLabel, Score, Details } = input;
      const result = {} as ModerationResult;
      const Label = copyWithoutLabel(input, result, RESULT_FIELDS);
      result.Details = (Details ?? []).map(detailWithLabel);
      if (HitFlag !== undefined && HitFlag !== null) result.HitFlag = HitFlag;
      if (Scene !== undefined) result.Scene = Scene;
      if (Suggestion !== undefined) result.Suggestion = toSuggestion(Suggestion) ?? Suggestion;
      if (typeof Label === 'string') result.Label = Label.trim();
      if (SubLabel !== undefined) result.SubLabel = SubLabel;
      if (Score !== undefined && Score !== null) result.Score = Score;
      return result;
    }),
  );

/** The result lists "may return null" (317 page); both null and absent read as an empty list. */
const resultList = z
  .array(resultSchema)
  .nullish()
  .transform(valueTransform((value: ModerationResult[] | null | undefined) => value ?? []));

const schema = z.looseObject({
  ...cssCommonShape,
  streamId: idString.optional(),
  channelId: idString.optional(),
  img: trimmed.optional(),
  ocrMsg: optionalText,
  type: numberList.optional(),
  score: numberList.optional(),
  /** The doc sample spells `score` this way. */
  socre: numberList.optional(),
  suggestion: optionalText,
  label: optionalText,
  subLabel: optionalText,
  labelResults: resultList,
  objectResults: resultList,
  ocrResults: resultList,
  libResults: resultList,
  screenshotTime: numberish.optional(),
  sendTime: numberish.optional(),
});

/** `css.moderation.image` data: Tencent's fields normalised, plus the verdict in one place. */
export interface ImageModerationData {
  appid?: string;
  app?: string;
  appname?: string;
  streamId?: string;
  channelId?: string;
  /** Link to the flagged screenshot. */
  img?: string;
  ocrMsg?: string;
  /** Category values of the top labels; always a list. */
  type: number[];
  /** The scores of `type`, from `score` or the doc sample's `socre`; always a list. */
  scores: number[];
  /** The top score: the highest of `scores`, else of the hits. */
  score?: number;
  /** Tencent's verdict, else the most severe suggestion among the hits. */
  suggestion?: ModerationSuggestion;
  /** The top label (`Porn`, `Ad`, ...), else the label of the highest-scoring hit. */
  label?: string;
  /** The top sub-label (`PornHigh`); an empty string when Tencent names none. */
  subLabel?: string;
  labelResults: ModerationResult[];
  objectResults: ModerationResult[];
  ocrResults: ModerationResult[];
  libResults: ModerationResult[];
  /** Every result that hit, across the four lists. */
  hits: ModerationHit[];
  /** The distinct labels of the hits, e.g. `['Porn']`. */
  hitLabels: string[];
  /** When the screenshot was taken, in unix seconds. */
  screenshotTime?: number;
  /** When Tencent sent the callback, in unix seconds. */
  sendTime?: number;
}

const KINDS = [
  ['label', 'labelResults'],
  ['object', 'objectResults'],
  ['ocr', 'ocrResults'],
  ['lib', 'libResults'],
] as const;

function hitsOf(lists: Record<(typeof KINDS)[number][1], ModerationResult[]>): ModerationHit[] {
  const hits: ModerationHit[] = [];
  for (const [kind, field] of KINDS) {
    for (const result of lists[field]) {
      const suggestion = toSuggestion(result.Suggestion);
      if (result.HitFlag !== 1 && (suggestion === undefined || suggestion === 'Pass')) continue;
      const hit: ModerationHit = { kind };
      if (result.Scene !== undefined) hit.scene = result.Scene;
      if (result.Label !== undefined) hit.label = result.Label;
      if (result.SubLabel !== undefined) hit.subLabel = result.SubLabel;
      if (suggestion !== undefined) hit.suggestion = suggestion;
      if (result.Score !== undefined) hit.score = result.Score;
      hits.push(hit);
    }
  }
  return hits;
}

/**
 * CSS 317: live image moderation (porn detection) flagged a screenshot of a stream. Only
 * suspicious results are called back by default.
 *
 * @example
 * ```ts
 * const event = parseCallback(body, headers, { css: { keys: ['css-key'] } });
 * if (event.type === 'css.moderation.image' && event.data.suggestion === 'Block') {
 *   console.log(`cut stream ${event.subject.streamId}: ${event.summary}`);
 * }
 * ```
 * @see https://cloud.tencent.com/document/product/267/32741
 */
export const cssModerationImage = defineEvent({
  type: 'css.moderation.image',
  family: 'css',
  tencent: {
    event: 'CSS 317',
    title: 'Porn detection event notification (鉴黄回调)',
    doc: 'https://cloud.tencent.com/document/product/267/32741',
  },
  match: { family: 'css', eventType: 317 },
  schema,
  data: (p): ImageModerationData => {
    const hits = hitsOf(p);
    const scores = p.score ?? p.socre ?? [];
    const topHit = hits.reduce<ModerationHit | undefined>(
      (best, hit) => (best === undefined || (hit.score ?? -1) > (best.score ?? -1) ? hit : best),
      undefined,
    );
    const severest = hits.reduce<ModerationSuggestion | undefined>(
      (worst, hit) =>
        hit.suggestion !== undefined && (worst === undefined || SEVERITY[hit.suggestion] > SEVERITY[worst])
          ? hit.suggestion
          : worst,
      undefined,
    );
    const data: ImageModerationData = {
      type: p.type ?? [],
      scores,
      labelResults: p.labelResults,
      objectResults: p.objectResults,
      ocrResults: p.ocrResults,
      libResults: p.libResults,
      hits,
      hitLabels: [...new Set(hits.flatMap((hit) => (hit.label ? [hit.label] : [])))],
    };
    if (p.appid !== undefined) data.appid = p.appid;
    if (p.app !== undefined) data.app = p.app;
    if (p.appname !== undefined) data.appname = p.appname;
    if (p.streamId !== undefined) data.streamId = p.streamId;
    if (p.channelId !== undefined) data.channelId = p.channelId;
    if (p.img !== undefined) data.img = p.img;
    if (p.ocrMsg !== undefined) data.ocrMsg = p.ocrMsg;
    const score = maxOf(scores) ?? maxOf(hits.flatMap((hit) => (hit.score === undefined ? [] : [hit.score])));
    if (score !== undefined) data.score = score;
    const suggestion = toSuggestion(p.suggestion) ?? severest;
    if (suggestion !== undefined) data.suggestion = suggestion;
    const label = p.label || topHit?.label;
    if (label) data.label = label;
    const subLabel = p.subLabel ?? topHit?.subLabel;
    if (subLabel !== undefined) data.subLabel = subLabel;
    if (p.screenshotTime !== undefined) data.screenshotTime = p.screenshotTime;
    if (p.sendTime !== undefined) data.sendTime = p.sendTime;
    return data;
  },
  subject: (data, p) =>
    cssSubject({
      appid: p.appid,
      stream_id: data.streamId ?? p.stream_id,
      channel_id: data.channelId ?? p.channel_id,
    }),
  // screenshotTime and sendTime are unix seconds (317 page).
  occurredAt: (data) => secondsToMs(data.screenshotTime ?? data.sendTime),
  dedupeKey: ['streamId', 'screenshotTime', 'img'],
  summary: (data, subject) => {
    const label = data.label ?? 'unlabelled';
    const sub = data.subLabel ? `/${data.subLabel}` : '';
    const score = data.score === undefined ? '' : ` score ${data.score}`;
    const verdict = data.suggestion === undefined ? '' : `: ${data.suggestion}`;
    return `stream ${subject.streamId ?? '?'} image ${label}${sub}${score}${verdict}`;
  },
});

import type {
  DeliveryStatus,
  ModerationItem,
  ModerationStatus,
  StreamItem,
  TaskState,
} from '../api/api-types';
import type { PlainKey } from '../i18n/translator';

/** Badge colours: calm for normal states, warm for the ones needing attention. */
export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info' | 'accent';

/** The words (a message of the catalogue) and colour of a state shown as a badge. */
export interface Look {
  label: PlainKey;
  tone: Tone;
}

/**
 * How a stream's status looks.
 *
 * @example
 * ```ts
 * streamStatusLook('live'); // { label: 'look.live', tone: 'good' }
 * ```
 */
export function streamStatusLook(status: StreamItem['status']): Look {
  if (status === 'live') return { label: 'look.live', tone: 'good' };
  if (status === 'offline') return { label: 'look.offline', tone: 'neutral' };
  return { label: 'look.unknown', tone: 'neutral' };
}

/**
 * How a stream's health looks.
 *
 * @example
 * ```ts
 * healthLook('low_framerate'); // { label: 'look.lowFramerate', tone: 'warn' }
 * ```
 */
export function healthLook(health: StreamItem['health']): Look {
  if (health === 'broken') return { label: 'look.broken', tone: 'bad' };
  if (health === 'low_framerate') return { label: 'look.lowFramerate', tone: 'warn' };
  return { label: 'look.healthy', tone: 'good' };
}

/**
 * How a moderation suggestion looks; `null` means the source gave none.
 *
 * @example
 * ```ts
 * suggestionLook('Block'); // { label: 'look.suggestBlock', tone: 'bad' }
 * ```
 */
export function suggestionLook(suggestion: ModerationItem['suggestion']): Look {
  if (suggestion === 'Block') return { label: 'look.suggestBlock', tone: 'bad' };
  if (suggestion === 'Review') return { label: 'look.suggestReview', tone: 'warn' };
  if (suggestion === 'Pass') return { label: 'look.suggestPass', tone: 'good' };
  return { label: 'look.noSuggestion', tone: 'neutral' };
}

/**
 * How a human review status looks.
 *
 * @example
 * ```ts
 * reviewStatusLook('escalated'); // { label: 'look.escalated', tone: 'accent' }
 * ```
 */
export function reviewStatusLook(status: ModerationStatus): Look {
  if (status === 'confirmed') return { label: 'look.confirmed', tone: 'bad' };
  if (status === 'dismissed') return { label: 'look.dismissed', tone: 'neutral' };
  if (status === 'escalated') return { label: 'look.escalated', tone: 'accent' };
  return { label: 'look.pending', tone: 'warn' };
}

/**
 * The colour of a TRTC moderation task state (its words come from the API's `stateLabel`).
 *
 * @example
 * ```ts
 * taskStateTone('errored'); // 'bad'
 * ```
 */
export function taskStateTone(state: TaskState): Tone {
  if (state === 'running' || state === 'sending') return 'good';
  if (state === 'starting') return 'info';
  if (state === 'failed_to_start' || state === 'errored') return 'bad';
  return 'neutral';
}

/**
 * How a delivery's status looks.
 *
 * @example
 * ```ts
 * deliveryStatusLook('dead'); // { label: 'look.dead', tone: 'bad' }
 * ```
 */
export function deliveryStatusLook(status: DeliveryStatus): Look {
  if (status === 'delivered') return { label: 'look.delivered', tone: 'good' };
  if (status === 'pending') return { label: 'look.sending', tone: 'info' };
  if (status === 'held') return { label: 'look.held', tone: 'warn' };
  if (status === 'dead') return { label: 'look.dead', tone: 'bad' };
  return { label: 'look.disabled', tone: 'neutral' };
}

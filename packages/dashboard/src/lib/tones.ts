import type {
  DeliveryStatus,
  ModerationItem,
  ModerationStatus,
  StreamItem,
  TaskState,
} from '../api/api-types';

/** Badge colours: calm for normal states, warm for the ones needing attention. */
export type Tone = 'neutral' | 'good' | 'warn' | 'bad' | 'info' | 'accent';

/** A label and colour for a state shown as a badge. */
export interface Look {
  label: string;
  tone: Tone;
}

/**
 * How a stream's status looks.
 *
 * @example
 * ```ts
 * streamStatusLook('live'); // { label: 'Live', tone: 'good' }
 * ```
 */
export function streamStatusLook(status: StreamItem['status']): Look {
  if (status === 'live') return { label: 'Live', tone: 'good' };
  if (status === 'offline') return { label: 'Offline', tone: 'neutral' };
  return { label: 'Unknown', tone: 'neutral' };
}

/**
 * How a stream's health looks.
 *
 * @example
 * ```ts
 * healthLook('low_framerate'); // { label: 'Low frame rate', tone: 'warn' }
 * ```
 */
export function healthLook(health: StreamItem['health']): Look {
  if (health === 'broken') return { label: 'Broken', tone: 'bad' };
  if (health === 'low_framerate') return { label: 'Low frame rate', tone: 'warn' };
  return { label: 'Healthy', tone: 'good' };
}

/**
 * How a moderation suggestion looks; `null` means the source gave none.
 *
 * @example
 * ```ts
 * suggestionLook('Block'); // { label: 'Suggests block', tone: 'bad' }
 * ```
 */
export function suggestionLook(suggestion: ModerationItem['suggestion']): Look {
  if (suggestion === 'Block') return { label: 'Suggests block', tone: 'bad' };
  if (suggestion === 'Review') return { label: 'Suggests review', tone: 'warn' };
  if (suggestion === 'Pass') return { label: 'Suggests pass', tone: 'good' };
  return { label: 'No suggestion', tone: 'neutral' };
}

/**
 * How a human review status looks.
 *
 * @example
 * ```ts
 * reviewStatusLook('escalated'); // { label: 'Escalated', tone: 'accent' }
 * ```
 */
export function reviewStatusLook(status: ModerationStatus): Look {
  if (status === 'confirmed') return { label: 'Confirmed', tone: 'bad' };
  if (status === 'dismissed') return { label: 'Dismissed', tone: 'neutral' };
  if (status === 'escalated') return { label: 'Escalated', tone: 'accent' };
  return { label: 'To review', tone: 'warn' };
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
 * deliveryStatusLook('dead'); // { label: 'Failed for good', tone: 'bad' }
 * ```
 */
export function deliveryStatusLook(status: DeliveryStatus): Look {
  if (status === 'delivered') return { label: 'Delivered', tone: 'good' };
  if (status === 'pending') return { label: 'Sending', tone: 'info' };
  if (status === 'held') return { label: 'Held (stale event)', tone: 'warn' };
  if (status === 'dead') return { label: 'Failed for good', tone: 'bad' };
  return { label: 'Sink gone (410)', tone: 'neutral' };
}

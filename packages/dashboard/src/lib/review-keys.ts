import type { ModerationAction } from '../api/api-types';

/** What a key press does in the moderation queue. */
export type ReviewCommand =
  | { kind: 'move'; by: 1 | -1 }
  | { kind: 'decide'; action: ModerationAction }
  | { kind: 'note' }
  | { kind: 'reveal' }
  | { kind: 'open' }
  | { kind: 'undo' }
  | { kind: 'mark' };

const COMMANDS: Record<string, ReviewCommand> = {
  j: { kind: 'move', by: 1 },
  ArrowDown: { kind: 'move', by: 1 },
  k: { kind: 'move', by: -1 },
  ArrowUp: { kind: 'move', by: -1 },
  c: { kind: 'decide', action: 'confirm' },
  d: { kind: 'decide', action: 'dismiss' },
  e: { kind: 'decide', action: 'escalate' },
  n: { kind: 'note' },
  v: { kind: 'reveal' },
  o: { kind: 'open' },
  u: { kind: 'undo' },
  x: { kind: 'mark' },
};

/** The parts of a keyboard event that decide the command. */
export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** True while the focus is in a text field: keys are typing then, not commands. */
  typing?: boolean;
}

/**
 * The moderation queue's keyboard command for a key press: `j`/`k` (or the arrows) move, `c` confirms,
 * `d` dismisses, `e` escalates, `u` undoes the latest decision on the item, `x` marks it for a decision on
 * several items, `n` jumps to the note, `v` shows or blurs the image again, `o` opens the event. Keys typed into a text field and shortcuts with modifiers (the browser's own) are not commands.
 *
 * @example
 * ```ts
 * reviewCommand({ key: 'c' }); // { kind: 'decide', action: 'confirm' }
 * reviewCommand({ key: 'c', typing: true }); // undefined
 * ```
 */
export function reviewCommand(press: KeyPress): ReviewCommand | undefined {
  if (press.typing || press.ctrlKey || press.metaKey || press.altKey) return undefined;
  return Object.hasOwn(COMMANDS, press.key) ? COMMANDS[press.key] : undefined;
}

/**
 * The index after moving `by` in a list of `length`, staying within it.
 *
 * @example
 * ```ts
 * moveIndex(0, -1, 5); // 0
 * ```
 */
export function moveIndex(current: number, by: number, length: number): number {
  if (length === 0) return 0;
  return Math.max(0, Math.min(length - 1, current + by));
}

/**
 * Where the cursor goes after deciding the item at `from`: the next item still to review, else the
 * nearest one before it, never one already decided (the decided item itself counts as decided). Stays at
 * `from` when nothing is left to review.
 *
 * @example
 * ```ts
 * nextToReview([{ status: 'pending' }, { status: 'confirmed' }, { status: 'pending' }], 0); // 2
 * ```
 */
export function nextToReview(items: readonly { status: string }[], from: number): number {
  for (let index = from + 1; index < items.length; index += 1) {
    if (items[index]!.status === 'pending') return index;
  }
  for (let index = Math.min(from, items.length) - 1; index >= 0; index -= 1) {
    if (items[index]!.status === 'pending') return index;
  }
  return Math.max(0, Math.min(from, items.length - 1));
}

import { describe, expect, it } from 'vitest';
import { moveIndex, nextToReview, reviewCommand } from './review-keys';

describe('reviewCommand', () => {
  it('maps j/k and the arrows to moves and c/d/e to decisions', () => {
    expect(reviewCommand({ key: 'j' })).toEqual({ kind: 'move', by: 1 });
    expect(reviewCommand({ key: 'ArrowUp' })).toEqual({ kind: 'move', by: -1 });
    expect(reviewCommand({ key: 'c' })).toEqual({ kind: 'decide', action: 'confirm' });
    expect(reviewCommand({ key: 'd' })).toEqual({ kind: 'decide', action: 'dismiss' });
    expect(reviewCommand({ key: 'e' })).toEqual({ kind: 'decide', action: 'escalate' });
    expect(reviewCommand({ key: 'n' })).toEqual({ kind: 'note' });
    expect(reviewCommand({ key: 'v' })).toEqual({ kind: 'reveal' });
  });

  it('maps u to undoing the item’s latest decision and x to marking it', () => {
    expect(reviewCommand({ key: 'u' })).toEqual({ kind: 'undo' });
    expect(reviewCommand({ key: 'x' })).toEqual({ kind: 'mark' });
    expect(reviewCommand({ key: 'x', typing: true })).toBeUndefined();
  });

  it('ignores keys typed into the note and browser shortcuts', () => {
    expect(reviewCommand({ key: 'c', typing: true })).toBeUndefined();
    expect(reviewCommand({ key: 'c', ctrlKey: true })).toBeUndefined();
    expect(reviewCommand({ key: 'd', metaKey: true })).toBeUndefined();
    expect(reviewCommand({ key: 'C' })).toBeUndefined();
    expect(reviewCommand({ key: 'toString' })).toBeUndefined();
  });
});

describe('moveIndex', () => {
  it('stays within the list', () => {
    expect(moveIndex(0, -1, 5)).toBe(0);
    expect(moveIndex(4, 1, 5)).toBe(4);
    expect(moveIndex(2, 1, 5)).toBe(3);
    expect(moveIndex(3, 1, 0)).toBe(0);
  });
});

describe('nextToReview', () => {
  const items = (...statuses: string[]) => statuses.map((status) => ({ status }));

  it('skips items already decided, forward first', () => {
    expect(nextToReview(items('confirmed', 'dismissed', 'pending', 'pending'), 0)).toBe(2);
  });

  it('goes back to an earlier item to review when none is left after', () => {
    expect(nextToReview(items('pending', 'escalated', 'confirmed'), 2)).toBe(0);
  });

  it('stays when nothing is left to review', () => {
    expect(nextToReview(items('confirmed', 'dismissed'), 1)).toBe(1);
    expect(nextToReview([], 0)).toBe(0);
  });
});

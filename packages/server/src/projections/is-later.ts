/**
 * True when `(at, id)` is later than `(currentAt, currentId)`: event time first, the event id breaking
 * ties, so the outcome does not depend on the order events arrive in (docs/api.md "Projections").
 *
 * @example
 * ```ts
 * if (isLater(event.occurredAt, event.id, row.stop_at, row.stop_event)) row.stop_at = event.occurredAt;
 * ```
 */
export function isLater(
  at: number,
  id: string,
  currentAt: number | null | undefined,
  currentId: string | null | undefined,
): boolean {
  if (currentAt === null || currentAt === undefined) return true;
  return at > currentAt || (at === currentAt && id > (currentId ?? ''));
}

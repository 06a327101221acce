/** A UUID in canonical lowercase text form. */
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** An opaque page cursor for the event id a page ended at. */
export function encodeCursor(id: string): string {
  return Buffer.from(`e:${id}`, 'utf8').toString('base64url');
}

/** The event id inside a cursor; undefined when the cursor is not one of ours. */
export function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('e:')) return undefined;
  const id = text.slice(2);
  return UUID.test(id) ? id : undefined;
}

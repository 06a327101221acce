/**
 * A text field of a submitted form, trimmed; `''` when absent (or a file).
 *
 * @example
 * ```ts
 * const q = formText(new FormData(event.currentTarget), 'q');
 * ```
 */
export function formText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value.trim() : '';
}

/**
 * A text field of an event's data as a projection keeps it: trimmed, and undefined when blank.
 *
 * @example
 * ```ts
 * nonBlank(' 42 '); // '42'
 * nonBlank('  '); // undefined
 * ```
 */
export function nonBlank(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The non-blank `parts`, trimmed and joined with a space; undefined when none is left.
 *
 * @example
 * ```ts
 * joinNonBlank([' 上海 ', undefined, '', '天气']); // '上海 天气'
 * ```
 */
export function joinNonBlank(parts: readonly (string | undefined)[]): string | undefined {
  return nonBlank(
    parts
      .map(nonBlank)
      .filter((part) => part !== undefined)
      .join(' '),
  );
}

/**
 * A number of an event's data, or undefined when it is not a finite number. A numeric string too long for a
 * double parses as Infinity, which JSON stores as null: the stored data then holds null where its type says
 * number.
 *
 * @example
 * ```ts
 * finite(event.data.LeaveCode); // 99, or undefined for a LeaveCode stored as null
 * ```
 */
export function finite(value: number | undefined): number | undefined {
  return Number.isFinite(value) ? value : undefined;
}

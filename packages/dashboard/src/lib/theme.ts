/** What the person chose: follow the system's colour scheme, or always light or dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** The colour scheme the dashboard is drawn in. */
export type Theme = 'light' | 'dark';

const KEY = 'livehooks.theme';

/** The theme choices, in the order the switch offers them. */
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (THEME_CHOICES as readonly string[]).includes(value);
}

/**
 * The theme choice remembered in this browser (`localStorage`), `system` when none or storage is denied.
 *
 * @example
 * ```ts
 * readThemeChoice(); // 'system'
 * ```
 */
export function readThemeChoice(
  storage: Pick<Storage, 'getItem'> | undefined = safeLocalStorage(),
): ThemeChoice {
  try {
    const value = storage?.getItem(KEY);
    return isThemeChoice(value) ? value : 'system';
  } catch {
    return 'system';
  }
}

/**
 * Remembers a theme choice in this browser; `system` forgets the choice.
 *
 * @example
 * ```ts
 * saveThemeChoice('dark');
 * ```
 */
export function saveThemeChoice(
  choice: ThemeChoice,
  storage: Pick<Storage, 'setItem' | 'removeItem'> | undefined = safeLocalStorage(),
): void {
  try {
    if (choice === 'system') storage?.removeItem(KEY);
    else storage?.setItem(KEY, choice);
  } catch {
    // Storage can be denied (privacy settings): the choice then lasts until the page is reloaded.
  }
}

/**
 * The theme to draw for a choice, given whether the system prefers dark colours.
 *
 * @example
 * ```ts
 * resolveTheme('system', true); // 'dark'
 * resolveTheme('light', true);  // 'light'
 * ```
 */
export function resolveTheme(choice: ThemeChoice, systemPrefersDark: boolean): Theme {
  if (choice === 'system') return systemPrefersDark ? 'dark' : 'light';
  return choice;
}

/** The media query of the system's dark colour scheme. */
export const DARK_QUERY = '(prefers-color-scheme: dark)';

/**
 * Draws the document in a theme: `data-theme` selects the colours in the style sheet, `color-scheme`
 * makes the browser's own controls and scroll bars match.
 *
 * @example
 * ```ts
 * applyTheme(document.documentElement, 'dark');
 * ```
 */
export function applyTheme(root: HTMLElement, theme: Theme): void {
  root.dataset.theme = theme;
  root.style.colorScheme = theme;
}

function safeLocalStorage(): Storage | undefined {
  try {
    return globalThis.localStorage;
  } catch {
    return undefined;
  }
}

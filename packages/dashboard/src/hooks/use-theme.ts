import { useCallback, useEffect, useLayoutEffect, useState } from 'react';
import {
  applyTheme,
  DARK_QUERY,
  readThemeChoice,
  resolveTheme,
  saveThemeChoice,
  type Theme,
  type ThemeChoice,
} from '../lib/theme';

/**
 * The dashboard's colour theme: the remembered choice, the theme it resolves to (following the system's
 * `prefers-color-scheme` unless light or dark was chosen), and a setter that remembers the choice.
 */
export function useTheme(): { choice: ThemeChoice; theme: Theme; setChoice: (choice: ThemeChoice) => void } {
  const [choice, setChoiceState] = useState(() => readThemeChoice());
  const [systemDark, setSystemDark] = useState(() => window.matchMedia(DARK_QUERY).matches);

  useEffect(() => {
    const query = window.matchMedia(DARK_QUERY);
    const update = () => setSystemDark(query.matches);
    query.addEventListener('change', update);
    return () => query.removeEventListener('change', update);
  }, []);

  const theme = resolveTheme(choice, systemDark);
  useLayoutEffect(() => applyTheme(document.documentElement, theme), [theme]);

  const setChoice = useCallback((next: ThemeChoice) => {
    saveThemeChoice(next);
    setChoiceState(next);
  }, []);
  return { choice, theme, setChoice };
}

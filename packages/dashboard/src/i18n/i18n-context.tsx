import {
  createContext,
  Fragment,
  useCallback,
  useContext,
  useLayoutEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import type { MessageKey } from './messages-en';
import {
  createTranslator,
  formatLocaleFor,
  pickLocale,
  readLocaleChoice,
  saveLocaleChoice,
  type Locale,
  type ParamsOf,
  type Translator,
} from './translator';

/** The translator of the current locale, and the switch. */
export interface I18n extends Translator {
  setLocale: (locale: Locale) => void;
}

const I18nContext = createContext<I18n | undefined>(undefined);

/**
 * Speaks the locale remembered from the switch, else the browser's (`navigator.languages`), and keeps
 * `<html lang>` in step so screen readers and fonts pick the right language.
 */
export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(
    () => readLocaleChoice() ?? pickLocale(navigator.languages),
  );
  const translator = useMemo(
    () => createTranslator({ locale, formatLocale: formatLocaleFor(locale, navigator.languages) }),
    [locale],
  );
  useLayoutEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  const setLocale = useCallback((next: Locale) => {
    saveLocaleChoice(next);
    setLocaleState(next);
  }, []);
  const value = useMemo(() => ({ ...translator, setLocale }), [translator, setLocale]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

/**
 * The words and formats of the current locale.
 *
 * @example
 * ```tsx
 * const { t, time } = useT();
 * return <p>{t('ui.shown', { count: items.length })}</p>;
 * ```
 */
export function useT(): I18n {
  const value = useContext(I18nContext);
  if (value === undefined) throw new Error('useT is used outside <I18nProvider>');
  return value;
}

/**
 * A message whose placeholders are elements (a `<code>`, a `<kbd>`, a link) rather than text.
 *
 * @example
 * ```tsx
 * <Rich k="overview.noEventsHint" values={{ path: <code>/callbacks</code> }} />
 * ```
 */
export function Rich<K extends MessageKey>({ k, values }: { k: K; values: Record<ParamsOf<K>, ReactNode> }) {
  const { template } = useT();
  const pieces = template(k).split(/\{(\w+)\}/);
  return (
    <>
      {pieces.map((piece, index) => (
        <Fragment key={index}>
          {index % 2 === 1 && Object.hasOwn(values, piece)
            ? (values as Record<string, ReactNode>)[piece]
            : piece}
        </Fragment>
      ))}
    </>
  );
}

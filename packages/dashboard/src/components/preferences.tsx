import { useT } from '../i18n/i18n-context';
import { LOCALE_NAMES, LOCALES, type Locale } from '../i18n/translator';
import { THEME_CHOICES, type ThemeChoice } from '../lib/theme';

/** The language and theme switches, and the time zone every time is shown in. */
export function Preferences({
  theme,
  onTheme,
}: {
  theme: ThemeChoice;
  onTheme: (choice: ThemeChoice) => void;
}) {
  const { t, locale, setLocale, timeZone, zone } = useT();
  return (
    <div className="preferences">
      <label className="preference">
        {t('prefs.language')}
        <select value={locale} onChange={(event) => setLocale(event.target.value as Locale)}>
          {LOCALES.map((option) => (
            <option key={option} value={option} lang={option}>
              {LOCALE_NAMES[option]}
            </option>
          ))}
        </select>
      </label>
      <label className="preference">
        {t('prefs.theme')}
        <select value={theme} onChange={(event) => onTheme(event.target.value as ThemeChoice)}>
          {THEME_CHOICES.map((choice) => (
            <option key={choice} value={choice}>
              {t(`prefs.theme.${choice}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="muted small zone">{t('prefs.timeZone', { zone: `${timeZone} (${zone})` })}</p>
    </div>
  );
}

import { useId } from 'react';
import { useT } from '../i18n/i18n-context';
import { LOCALE_NAMES, LOCALES } from '../i18n/translator';
import { THEME_CHOICES, type ThemeChoice } from '../lib/theme';

/** A few buttons of which one is pressed: a switch between two or three choices, one click each. */
function Switch<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: { value: T; label: string; lang?: string }[];
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <div className="preference">
      <span id={id}>{label}</span>
      <div className="switch" role="group" aria-labelledby={id}>
        {options.map((option) => (
          <button
            key={option.value}
            type="button"
            aria-pressed={option.value === value}
            lang={option.lang}
            onClick={() => onChange(option.value)}
          >
            {option.label}
          </button>
        ))}
      </div>
    </div>
  );
}

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
      <Switch
        label={t('prefs.language')}
        value={locale}
        options={LOCALES.map((option) => ({ value: option, label: LOCALE_NAMES[option], lang: option }))}
        onChange={setLocale}
      />
      <Switch
        label={t('prefs.theme')}
        value={theme}
        options={THEME_CHOICES.map((choice) => ({ value: choice, label: t(`prefs.theme.${choice}`) }))}
        onChange={onTheme}
      />
      <p className="muted small zone">{t('prefs.timeZone', { zone: `${timeZone} (${zone})` })}</p>
    </div>
  );
}

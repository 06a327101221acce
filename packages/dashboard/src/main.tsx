import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { takeSignInCode } from './api/sign-in-link';
import { App } from './app';
import { I18nProvider } from './i18n/i18n-context';
import { applyTheme, readThemeChoice, resolveTheme, DARK_QUERY } from './lib/theme';
import './styles.css';

// Before anything renders or routes: the one-time code leaves the address bar and the history at once.
const signInCode = takeSignInCode(window.location, window.history);
// Drawn in the right colours from the first frame, not light first and dark a moment later.
applyTheme(document.documentElement, resolveTheme(readThemeChoice(), window.matchMedia(DARK_QUERY).matches));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <I18nProvider>
      <App signInCode={signInCode} />
    </I18nProvider>
  </StrictMode>,
);

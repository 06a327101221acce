import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ApiError, createApiClient } from '../api/api-client';
import { exchangeSignInCode } from '../api/sign-in-link';
import { usePageTitle } from '../components/ui';
import { useT } from '../i18n/i18n-context';
import type { PlainKey, Translator } from '../i18n/translator';

/** A message that is put in words in the language shown, even if it changes after the failure. */
type Explanation = (t: Translator['t']) => string;

/** Why a token was not taken, in words a person can act on. */
function explain(error: unknown): Explanation {
  if (error instanceof ApiError) {
    if (error.status === 401) return (t) => t('signIn.refused');
    if (error.code === 'LH_ERR_NETWORK') return (t) => t('error.network');
    return (t) => t('error.other', { message: error.message });
  }
  return (t) => t('signIn.failed');
}

/** Why a sign-in link did not sign in. */
function explainLink(error: unknown): Explanation {
  if (error instanceof ApiError && error.status === 401) return (t) => t('signIn.linkRefused');
  return explain(error);
}

/**
 * Signs in with the one-time code of a sign-in link when there is one, else asks for the API token and
 * checks it against the gateway before keeping it.
 */
export function SignInPage({
  onSignedIn,
  notice,
  signInCode,
  preferences,
}: {
  onSignedIn: (token: string) => void;
  notice?: PlainKey | undefined;
  /** The code of the sign-in link the dashboard was opened with; it is exchanged once. */
  signInCode?: string | undefined;
  /** The language and theme switches. */
  preferences?: ReactNode;
}) {
  const { t } = useT();
  usePageTitle(t('signIn.title'));
  const [token, setToken] = useState('');
  const [error, setError] = useState<Explanation | undefined>(undefined);
  const [busy, setBusy] = useState(signInCode !== undefined);
  const exchanged = useRef(false);

  useEffect(() => {
    // A code is single-use: effects that run twice (React's strict mode) must not spend it twice.
    if (signInCode === undefined || exchanged.current) return;
    exchanged.current = true;
    exchangeSignInCode(signInCode).then(onSignedIn, (failure: unknown) => {
      setError(() => explainLink(failure));
      setBusy(false);
    });
  }, [signInCode, onSignedIn]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = token.trim();
    if (candidate === '') return setError(() => (say: Translator['t']) => say('signIn.enterToken'));
    setBusy(true);
    setError(undefined);
    try {
      await createApiClient({ token: candidate }).get('/events', { limit: 1 });
      onSignedIn(candidate);
    } catch (failure) {
      setError(() => explain(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={(event) => void submit(event)}>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          {t('app.name')}
        </div>
        <h1 className="sign-in-title">{t('signIn.title')}</h1>
        <p className="muted">{t('signIn.tagline')}</p>
        {notice !== undefined && <div className="notice notice-warn">{t(notice)}</div>}
        <label htmlFor="token">{t('signIn.token')}</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={token}
          onChange={(event) => setToken(event.target.value)}
          placeholder={t('signIn.placeholder')}
        />
        {error !== undefined && (
          <div className="notice notice-bad" role="alert">
            {error(t)}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signIn.checking') : t('signIn.submit')}
        </button>
        <p className="hint">{t('signIn.hint')}</p>
        {preferences}
      </form>
    </main>
  );
}

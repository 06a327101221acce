import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError, createApiClient } from '../api/api-client';
import { exchangeSignInCode } from '../api/sign-in-link';

/** Why a token was not taken, in words a person can act on. */
function explain(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 401) {
      return 'The gateway did not accept this token. Use the API token printed when the gateway first started, or the value of LIVEHOOKS_API_TOKEN.';
    }
    if (error.code === 'LH_ERR_NETWORK') return 'The gateway could not be reached. Is it running?';
    return `The gateway answered with an error: ${error.message}`;
  }
  return 'Signing in failed unexpectedly.';
}

/** Why a sign-in link did not sign in. */
function explainLink(error: unknown): string {
  if (error instanceof ApiError && error.status === 401) {
    return 'This sign-in link is wrong, expired (after 10 minutes) or used already. Restart livehooks serve for a new link, or enter the API token.';
  }
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
}: {
  onSignedIn: (token: string) => void;
  notice?: string | undefined;
  /** The code of the sign-in link the dashboard was opened with; it is exchanged once. */
  signInCode?: string | undefined;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(signInCode !== undefined);
  const exchanged = useRef(false);

  useEffect(() => {
    // A code is single-use: effects that run twice (React's strict mode) must not spend it twice.
    if (signInCode === undefined || exchanged.current) return;
    exchanged.current = true;
    exchangeSignInCode(signInCode).then(onSignedIn, (failure: unknown) => {
      setError(explainLink(failure));
      setBusy(false);
    });
  }, [signInCode, onSignedIn]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const candidate = token.trim();
    if (candidate === '') return setError('Enter the API token.');
    setBusy(true);
    setError(undefined);
    try {
      await createApiClient({ token: candidate }).get('/events', { limit: 1 });
      onSignedIn(candidate);
    } catch (failure) {
      setError(explain(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="sign-in">
      <form className="sign-in-card" onSubmit={(event) => void submit(event)}>
        <div className="brand brand-large">
          <span className="brand-mark" aria-hidden="true" />
          livehooks
        </div>
        <p className="muted">Tencent Cloud live streaming and real-time room events, verified and stored.</p>
        {notice !== undefined && <div className="notice notice-warn">{notice}</div>}
        <label htmlFor="token">API token</label>
        <input
          id="token"
          name="token"
          type="password"
          autoComplete="current-password"
          autoFocus
          value={token}
          onChange={(event) => setToken(event.target.value)}
          placeholder="Bearer token of the query API"
        />
        {error !== undefined && (
          <div className="notice notice-bad" role="alert">
            {error}
          </div>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Checking…' : 'Sign in'}
        </button>
        <p className="hint">
          The token is kept in this browser tab only and is forgotten when the tab closes.
        </p>
      </form>
    </main>
  );
}

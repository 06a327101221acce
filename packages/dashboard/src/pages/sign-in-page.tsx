import { useState, type FormEvent } from 'react';
import { ApiError, createApiClient } from '../api/api-client';

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

/** Asks for the API token and checks it against the gateway before keeping it. */
export function SignInPage({
  onSignedIn,
  notice,
}: {
  onSignedIn: (token: string) => void;
  notice?: string | undefined;
}) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>(undefined);
  const [busy, setBusy] = useState(false);

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

import { createContext, useContext, type ReactNode } from 'react';
import type { PlainKey } from '../i18n/translator';
import type { ApiClient } from './api-client';

interface ApiSession {
  client: ApiClient;
  /** Signs out with a message, e.g. when the token stops being accepted. */
  signOut: (notice?: PlainKey) => void;
}

const ApiContext = createContext<ApiSession | undefined>(undefined);

/** Makes the signed-in API client available to the pages. */
export function ApiProvider({ session, children }: { session: ApiSession; children: ReactNode }) {
  return <ApiContext.Provider value={session}>{children}</ApiContext.Provider>;
}

function useSession(): ApiSession {
  const session = useContext(ApiContext);
  if (session === undefined) throw new Error('useApi is used outside <ApiProvider>');
  return session;
}

/** The signed-in API client. */
export function useApi(): ApiClient {
  return useSession().client;
}

/** Signs out (with an optional message for the sign-in page). */
export function useSignOut(): (notice?: PlainKey) => void {
  return useSession().signOut;
}

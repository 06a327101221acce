import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, createApiClient } from './api/api-client';
import { ApiProvider } from './api/api-context';
import { useRoute } from './hooks/use-route';
import { useTheme } from './hooks/use-theme';
import { routeHref, type PageName, type Route } from './lib/route';
import { THEME_CHOICES, type ThemeChoice } from './lib/theme';
import { clearToken, readToken, saveToken } from './lib/token-store';
import { DeliveriesPage } from './pages/deliveries-page';
import { EventPage } from './pages/event-page';
import { EventsPage } from './pages/events-page';
import { LiveTailPage } from './pages/live-tail-page';
import { ModerationPage } from './pages/moderation-page';
import { OverviewPage } from './pages/overview-page';
import { RejectionsPage } from './pages/rejections-page';
import { SearchPage } from './pages/search-page';
import { SignInPage } from './pages/sign-in-page';
import { StreamPage } from './pages/stream-page';
import { StreamsPage } from './pages/streams-page';
import { TaskPage } from './pages/task-page';
import { TasksPage } from './pages/tasks-page';
import { EmptyState } from './components/ui';

const NAV: { page: PageName; label: string; also?: PageName[] }[] = [
  { page: 'overview', label: 'Overview' },
  { page: 'tail', label: 'Live tail' },
  { page: 'events', label: 'Events', also: ['event'] },
  { page: 'streams', label: 'Streams', also: ['stream'] },
  { page: 'moderation', label: 'Moderation queue' },
  { page: 'tasks', label: 'TRTC tasks', also: ['task'] },
  { page: 'search', label: 'Transcript search' },
  { page: 'deliveries', label: 'Deliveries' },
  { page: 'rejections', label: 'Refused callbacks' },
];

const THEME_WORDS: Record<ThemeChoice, string> = {
  system: 'Like the system',
  light: 'Light',
  dark: 'Dark',
};

function PageFor({ route }: { route: Route }) {
  switch (route.page) {
    case 'overview':
      return <OverviewPage route={route} />;
    case 'tail':
      return <LiveTailPage route={route} />;
    case 'events':
      return <EventsPage route={route} />;
    case 'event':
      return <EventPage id={route.id!} />;
    case 'streams':
      return <StreamsPage route={route} />;
    case 'stream':
      return <StreamPage id={route.id!} route={route} />;
    case 'moderation':
      return <ModerationPage route={route} />;
    case 'tasks':
      return <TasksPage route={route} />;
    case 'task':
      return <TaskPage id={route.id!} />;
    case 'search':
      return <SearchPage route={route} />;
    case 'deliveries':
      return <DeliveriesPage route={route} />;
    case 'rejections':
      return <RejectionsPage />;
    default:
      return (
        <EmptyState title="No such page">
          <a href={routeHref({ page: 'overview' })}>Back to the overview</a>
        </EmptyState>
      );
  }
}

/**
 * The dashboard: sign-in, then the pages around a side navigation. A sign-in link's code (taken from the
 * address before the first render) signs in even over a token kept from before.
 */
export function App({ signInCode }: { signInCode?: string | undefined }) {
  const [token, setToken] = useState(() => (signInCode === undefined ? readToken() : undefined));
  // Spent once it signed in: a later sign-out asks for the token instead of trying the code again.
  const [linkCode, setLinkCode] = useState(signInCode);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const route = useRoute();
  const theme = useTheme();
  const [menuOpen, setMenuOpen] = useState(false);
  const routeKey = `${route.page}/${route.id ?? ''}`;

  // On a phone the menu covers the page: it closes once a page is chosen, and with Escape.
  useEffect(() => setMenuOpen(false), [routeKey]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setMenuOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);

  const signOut = useCallback((message?: string) => {
    clearToken();
    setToken(undefined);
    setNotice(message);
  }, []);
  const signIn = useCallback((accepted: string) => {
    saveToken(accepted);
    setNotice(undefined);
    setLinkCode(undefined);
    setToken(accepted);
  }, []);
  const signOutRef = useRef(signOut);
  signOutRef.current = signOut;

  const queryClient = useMemo(() => {
    const onError = (error: unknown) => {
      if (error instanceof ApiError && error.unauthorized) {
        signOutRef.current('The gateway no longer accepts your token. Sign in again.');
      }
    };
    return new QueryClient({
      queryCache: new QueryCache({ onError }),
      mutationCache: new MutationCache({ onError }),
      defaultOptions: {
        queries: {
          staleTime: 5_000,
          refetchOnWindowFocus: false,
          // A refused token or a missing item does not get better by asking again.
          retry: (failures, error) =>
            failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        },
      },
    });
    // Keyed on the token: a new sign-in starts with an empty cache, so nothing of the previous session shows.
  }, [token]);

  const session = useMemo(
    () => (token === undefined ? undefined : { client: createApiClient({ token }), signOut }),
    [token, signOut],
  );

  if (session === undefined) {
    return <SignInPage notice={notice} signInCode={linkCode} onSignedIn={signIn} />;
  }

  return (
    <QueryClientProvider client={queryClient}>
      <ApiProvider session={session}>
        <div className="layout">
          <nav className={menuOpen ? 'sidebar open' : 'sidebar'} aria-label="Pages">
            <div className="sidebar-head">
              <a className="brand" href={routeHref({ page: 'overview' })}>
                <span className="brand-mark" aria-hidden="true" />
                livehooks
              </a>
              <button
                type="button"
                className="menu-button"
                aria-expanded={menuOpen}
                aria-controls="sidebar-body"
                onClick={() => setMenuOpen((open) => !open)}
              >
                {menuOpen ? 'Close' : 'Menu'}
              </button>
            </div>
            <div className="sidebar-body" id="sidebar-body">
              <ul>
                {NAV.map((item) => {
                  const active = route.page === item.page || (item.also ?? []).includes(route.page);
                  return (
                    <li key={item.page}>
                      <a
                        href={routeHref({ page: item.page })}
                        className={active ? 'active' : undefined}
                        aria-current={active ? 'page' : undefined}
                      >
                        {item.label}
                      </a>
                    </li>
                  );
                })}
              </ul>
              <div className="sidebar-foot">
                <label className="preference">
                  Theme
                  <select
                    value={theme.choice}
                    onChange={(event) => theme.setChoice(event.target.value as ThemeChoice)}
                  >
                    {THEME_CHOICES.map((choice) => (
                      <option key={choice} value={choice}>
                        {THEME_WORDS[choice]}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="button" className="link sign-out" onClick={() => signOut()}>
                  Sign out
                </button>
              </div>
            </div>
          </nav>
          <main className="content" key={routeKey}>
            <PageFor route={route} />
          </main>
        </div>
      </ApiProvider>
    </QueryClientProvider>
  );
}

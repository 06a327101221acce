import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError, createApiClient } from './api/api-client';
import { ApiProvider } from './api/api-context';
import { useRoute } from './hooks/use-route';
import { useTheme } from './hooks/use-theme';
import { routeHref, type PageName, type Route } from './lib/route';
import { clearToken, readToken, saveToken } from './lib/token-store';
import { DeliveriesPage } from './pages/deliveries-page';
import { EventPage } from './pages/event-page';
import { EventsPage } from './pages/events-page';
import { LiveTailPage } from './pages/live-tail-page';
import { ModerationPage } from './pages/moderation-page';
import { OverviewPage } from './pages/overview-page';
import { RejectionPage } from './pages/rejection-page';
import { RejectionsPage } from './pages/rejections-page';
import { SinkPage } from './pages/sink-page';
import { SearchPage } from './pages/search-page';
import { SignInPage } from './pages/sign-in-page';
import { StreamPage } from './pages/stream-page';
import { StreamsPage } from './pages/streams-page';
import { TaskPage } from './pages/task-page';
import { TasksPage } from './pages/tasks-page';
import { Preferences } from './components/preferences';
import { PageHeader } from './components/ui';
import { useT } from './i18n/i18n-context';
import type { PlainKey } from './i18n/translator';

const NAV: { page: PageName; label: PlainKey; also?: PageName[] }[] = [
  { page: 'overview', label: 'nav.overview' },
  { page: 'tail', label: 'nav.tail' },
  { page: 'events', label: 'nav.events', also: ['event'] },
  { page: 'streams', label: 'nav.streams', also: ['stream'] },
  { page: 'moderation', label: 'nav.moderation' },
  { page: 'tasks', label: 'nav.tasks', also: ['task'] },
  { page: 'search', label: 'nav.search' },
  { page: 'deliveries', label: 'nav.deliveries', also: ['sink'] },
  { page: 'rejections', label: 'nav.rejections', also: ['rejection'] },
];

function NotFound() {
  const { t } = useT();
  return (
    <>
      <PageHeader title={t('app.notFound')} />
      <p>
        <a href={routeHref({ page: 'overview' })}>{t('app.backToOverview')}</a>
      </p>
    </>
  );
}

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
    case 'sink':
      return <SinkPage name={route.id!} route={route} />;
    case 'rejections':
      return <RejectionsPage route={route} />;
    case 'rejection':
      return <RejectionPage id={route.id!} route={route} />;
    default:
      return <NotFound />;
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
  const [notice, setNotice] = useState<PlainKey | undefined>(undefined);
  const route = useRoute();
  const theme = useTheme();
  const { t } = useT();
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

  const signOut = useCallback((message?: PlainKey) => {
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
        signOutRef.current('app.tokenRefused');
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
    return (
      <SignInPage
        notice={notice}
        signInCode={linkCode}
        onSignedIn={signIn}
        preferences={<Preferences theme={theme.choice} onTheme={theme.setChoice} />}
      />
    );
  }

  return (
    <QueryClientProvider client={queryClient}>
      <ApiProvider session={session}>
        <div className="layout">
          {/* The hash is the route, so the skip link moves the focus itself instead of linking to #main. */}
          <a
            className="skip-link"
            href="#main"
            onClick={(event) => {
              event.preventDefault();
              document.getElementById('main')?.focus();
            }}
          >
            {t('app.skip')}
          </a>
          <nav className={menuOpen ? 'sidebar open' : 'sidebar'} aria-label={t('nav.label')}>
            <div className="sidebar-head">
              <a className="brand" href={routeHref({ page: 'overview' })}>
                <span className="brand-mark" aria-hidden="true" />
                {t('app.name')}
              </a>
              <button
                type="button"
                className="menu-button"
                aria-expanded={menuOpen}
                aria-controls="sidebar-body"
                onClick={() => setMenuOpen((open) => !open)}
              >
                {menuOpen ? t('nav.close') : t('nav.menu')}
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
                        {t(item.label)}
                      </a>
                    </li>
                  );
                })}
              </ul>
              <div className="sidebar-foot">
                <Preferences theme={theme.choice} onTheme={theme.setChoice} />
                <button type="button" className="link sign-out" onClick={() => signOut()}>
                  {t('app.signOut')}
                </button>
              </div>
            </div>
          </nav>
          <main className="content" key={routeKey} id="main" tabIndex={-1}>
            <PageFor route={route} />
          </main>
        </div>
      </ApiProvider>
    </QueryClientProvider>
  );
}

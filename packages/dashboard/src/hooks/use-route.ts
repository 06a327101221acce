import { useEffect, useState } from 'react';
import { parseRoute, routeHref, type Route } from '../lib/route';

/** The current hash route, updated on navigation. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}

/** Goes to a route, replacing the history entry when only filters changed. */
export function navigate(route: Parameters<typeof routeHref>[0], options: { replace?: boolean } = {}): void {
  const href = routeHref(route);
  if (options.replace) window.history.replaceState(null, '', href);
  else window.location.hash = href.slice(1);
  if (options.replace) window.dispatchEvent(new HashChangeEvent('hashchange'));
}

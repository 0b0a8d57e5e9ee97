// The URL is the app's state: path names the page, the query its filters and time window, so a
// link reproduces what its sender saw. History API, no library: five routes.
import { useSyncExternalStore } from 'react';

export type Route = { page: 'overview' } | { page: 'pods' } | { page: 'pod'; key: string } | { page: 'search' } | { page: 'diff' } | { page: 'not-found'; path: string };

const listeners = new Set<() => void>();
const notify = (): void => listeners.forEach((l) => l());
window.addEventListener('popstate', notify);

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

const snapshot = (): string => window.location.pathname + window.location.search;

/** The current path and query, re-rendering on navigation. */
export function useLocation(): { route: Route; query: URLSearchParams; href: string } {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, window.location.origin);
  return { route: routeOf(url.pathname), query: url.searchParams, href };
}

export function routeOf(path: string): Route {
  if (path === '/' || path === '') return { page: 'overview' };
  if (path === '/pods') return { page: 'pods' };
  if (path === '/search') return { page: 'search' };
  if (path === '/diff') return { page: 'diff' };
  const pod = /^\/pod\/(.+)$/.exec(path);
  if (pod?.[1]) {
    try {
      return { page: 'pod', key: decodeURIComponent(pod[1]) };
    } catch {
      return { page: 'not-found', path };
    }
  }
  return { page: 'not-found', path };
}

export const podHref = (key: string, query?: Record<string, string | undefined>): string => `/pod/${encodeURIComponent(key)}${queryString(query ?? {})}`;

/** `?a=1&b=2` without the empty values; '' when nothing is left. */
export function queryString(q: Record<string, string | number | boolean | undefined | null>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    p.set(k, v === true ? '1' : String(v));
  }
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** Go to an app URL; `replace` for state that changes continuously (zoom, typing). */
export function navigate(href: string, opts: { replace?: boolean } = {}): void {
  if (href === snapshot()) return;
  if (opts.replace) window.history.replaceState(null, '', href);
  else window.history.pushState(null, '', href);
  notify();
}

/** Replace some query parameters of the current page. */
export function setQuery(changes: Record<string, string | number | boolean | undefined | null>, opts: { replace?: boolean } = {}): void {
  const url = new URL(window.location.href);
  const q: Record<string, string> = Object.fromEntries(url.searchParams);
  for (const [k, v] of Object.entries(changes)) {
    if (v === undefined || v === null || v === '' || v === false) delete q[k];
    else q[k] = v === true ? '1' : String(v);
  }
  navigate(url.pathname + queryString(q), opts);
}

/** An <a> click that stays in the app (a modified click opens a tab as usual). */
export function onLinkClick(e: React.MouseEvent<HTMLAnchorElement>): void {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const href = e.currentTarget.getAttribute('href');
  if (!href || !href.startsWith('/')) return;
  e.preventDefault();
  navigate(href);
}

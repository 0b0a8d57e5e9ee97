// The events the pod page shows. A pod with few events came whole with the pod (as always); a busy
// one's come by time window: the page of the window the timeline shows (/api/pod-events), the
// next pages when asked for (j/k past the last one, the table's "next"). The whole pod is drawn
// from its density (PodResponse.density), never from 30,000 events.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { EventView, PodEventsResponse, PodResponse } from '../../../api/types.js';
import { getJson, useApi } from '../api.js';
import type { Domain } from '../overview/window.js';

export const WINDOW_PAGE = 200;

export interface PodEvents {
  /** The events loaded: all of the pod's, or the window's pages so far. */
  events: EventView[];
  /** True when `events` are all of the pod's. */
  complete: boolean;
  /** Events in the window (the whole pod's when no window), when not complete. */
  windowTotal: number;
  loading: boolean;
  /** Fetches the window's next page; resolves to its events (none: there is no next page). */
  more: (() => Promise<EventView[]>) | null;
}

const NO_PAGES = { path: null, events: [] as EventView[], next: undefined };

const windowPath = (key: string, win: Domain): string => `/api/pod-events?pod=${encodeURIComponent(key)}&from=${Math.floor(win[0])}&to=${Math.ceil(win[1])}&limit=${WINDOW_PAGE}`;

export function usePodEvents(res: PodResponse, win: Domain | null): PodEvents {
  const { pod, events: meta } = res;
  const path = meta.complete || !win ? null : windowPath(pod.key, win);
  const first = useApi<PodEventsResponse>(path);
  // the first page: the pod's own (no window) or the window's
  const base = path === null ? { events: pod.events, next: meta.next, total: meta.total } : first.data ? { events: first.data.events, next: first.data.next, total: first.data.total } : null;
  // pages fetched after the first, for this window only
  const [extra, setExtra] = useState<{ path: string | null; events: EventView[]; next: string | null | undefined }>({ path, events: [], next: undefined });
  useEffect(() => setExtra({ path, events: [], next: undefined }), [path, pod.key]);
  const pages = extra.path === path ? extra : NO_PAGES;
  const next = pages.next === undefined ? (base?.next ?? null) : pages.next;
  const live = useRef({ next, path, key: pod.key });
  live.current = { next, path, key: pod.key };
  const fetching = useRef<Promise<EventView[]> | null>(null);

  const more = useCallback((): Promise<EventView[]> => {
    if (fetching.current) return fetching.current;
    const { next: after, path: at, key } = live.current;
    if (after === null) return Promise.resolve([]);
    const url = `${at ?? `/api/pod-events?pod=${encodeURIComponent(key)}&limit=${WINDOW_PAGE}`}&after=${encodeURIComponent(after)}`;
    const p = getJson<PodEventsResponse>(url).then(
      (page) => {
        fetching.current = null;
        // a window changed meanwhile drops this page
        if (live.current.path !== at) return [];
        setExtra((x) => ({ path: at, events: [...(x.path === at ? x.events : []), ...page.events], next: page.next }));
        return page.events;
      },
      (e: unknown) => {
        fetching.current = null;
        throw e;
      },
    );
    fetching.current = p;
    return p;
  }, []);

  const baseEvents = base?.events;
  const loaded = useMemo(() => (baseEvents ? (pages.events.length ? [...baseEvents, ...pages.events] : baseEvents) : []), [baseEvents, pages.events]);
  if (meta.complete) return { events: pod.events, complete: true, windowTotal: pod.events.length, loading: false, more: null };
  return { events: loaded, complete: false, windowTotal: base?.total ?? 0, loading: base === null, more: next === null ? null : more };
}

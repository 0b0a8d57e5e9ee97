// The events the pod page shows. A pod with few events came whole with the pod (as always); a busy
// one's come by time window: the page of the window the timeline shows (/api/pod-events), the
// next pages when asked for (j/k past the last one, the table's "next"). The whole pod is drawn
// from its density (PodResponse.density), never from 30,000 events.
import { useCallback, useMemo, useRef, useState } from 'react';
import type { EventView, PodEventsResponse, PodResponse } from '../../../api/types.js';
import { getJson, useApi } from '../api.js';
import type { Domain } from '../overview/window.js';

/** Events a page holds (the server's first page of a busy pod holds as many). */
export const WINDOW_PAGE = 200;

export interface PodEvents {
  /** The events loaded: all of the pod's, or the window's pages so far. */
  events: EventView[];
  /** True when `events` are all of the pod's. */
  complete: boolean;
  /** Events in the window (the whole pod's when no window), when not complete. */
  windowTotal: number;
  loading: boolean;
  /** Why the window's first or next page could not be fetched. */
  error: string | null;
  /** Fetches the window's next page; resolves to its events (none: there is no next page, or the window changed). */
  more: (() => Promise<EventView[]>) | null;
}

/** The address of a window's first page; also what names the window (of which pod, which span). */
const windowPath = (key: string, win: Domain | null): string =>
  `/api/pod-events?pod=${encodeURIComponent(key)}${win ? `&from=${Math.floor(win[0])}&to=${Math.ceil(win[1])}` : ''}&limit=${WINDOW_PAGE}`;

interface Pages {
  window: string;
  events: EventView[];
  next: string | null;
}

export function usePodEvents(res: PodResponse, win: Domain | null): PodEvents {
  const { pod, events: meta } = res;
  const address = windowPath(pod.key, win);
  // the whole pod's first page came with the pod; a window's is asked for
  const first = useApi<PodEventsResponse>(meta.complete || !win ? null : address);
  // while a new window's page loads, the last window's stay shown (no flash of an empty table)
  // but are not paged from; a window that failed shows no events, only why
  const base = !win
    ? { events: pod.events, next: meta.next, total: meta.total }
    : first.data && first.state !== 'error'
      ? { events: first.data.events, next: first.state === 'ready' ? first.data.next : null, total: first.data.total }
      : null;
  const stale = win !== null && first.state === 'loading';
  // the pages after the first, of one window of one pod
  const [extra, setExtra] = useState<Pages | null>(null);
  const pages = extra?.window === address ? extra : null;
  const next = pages ? pages.next : (base?.next ?? null);
  const live = useRef({ next, address });
  live.current = { next, address };
  const fetching = useRef<Promise<EventView[]> | null>(null);
  const [failed, setFailed] = useState<{ address: string; message: string } | null>(null);

  const more = useCallback((): Promise<EventView[]> => {
    if (fetching.current) return fetching.current;
    const { next: after, address: at } = live.current;
    if (after === null) return Promise.resolve([]);
    const p = getJson<PodEventsResponse>(`${at}&after=${encodeURIComponent(after)}`).then(
      (page) => {
        fetching.current = null;
        setFailed(null);
        // a window changed meanwhile drops this page
        if (live.current.address !== at) return [];
        setExtra((x) => ({ window: at, events: [...(x?.window === at ? x.events : []), ...page.events], next: page.next }));
        return page.events;
      },
      (e: unknown) => {
        fetching.current = null;
        // said in the table; the next j or "next" tries again
        setFailed({ address: at, message: (e as Error).message });
        return [];
      },
    );
    fetching.current = p;
    return p;
  }, []);

  const baseEvents = base?.events;
  const pageEvents = pages?.events;
  const loaded = useMemo(() => (baseEvents ? (pageEvents ? [...baseEvents, ...pageEvents] : baseEvents) : []), [baseEvents, pageEvents]);
  if (meta.complete) return { events: pod.events, complete: true, windowTotal: pod.events.length, loading: false, error: null, more: null };
  const error = first.state === 'error' && win ? first.error.message : failed?.address === address ? failed.message : null;
  return { events: loaded, complete: false, windowTotal: base?.total ?? 0, loading: (base === null || stale) && error === null, error, more: next === null || stale ? null : more };
}

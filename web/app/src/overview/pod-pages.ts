// The overview's rows, a page at a time: the server answers 200 pods per request, and the rows
// in view (and a little around them) are asked for as they scroll in. A busy node's 200,000 pods
// are 52 MB of rows: neither the server nor the page holds them all. Pages far from the view are
// dropped again.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OverviewPod, OverviewResponse } from '../../../api/types.js';
import { ApiFailure, getJson } from '../api.js';

export const PAGE_SIZE = 200;
const KEEP_PAGES = 50;

interface Loaded {
  /** The query these pages answer (an /api/overview path without offset and limit). */
  base: string;
  total: number | undefined;
  pages: Map<number, OverviewPod[]>;
  error: ApiFailure | undefined;
}

export interface PodPages {
  /** Pods matching the query shown; undefined until its first page has come. */
  total: number | undefined;
  /** False while the rows shown are still those of the previous query. */
  current: boolean;
  podAt: (index: number) => OverviewPod | undefined;
  /** The rows [first, last) are in view: ask for the pages they are on. */
  want: (first: number, last: number) => void;
  error: ApiFailure | undefined;
}

/** `base`: `/api/overview?…` with every parameter but offset and limit. */
export function usePodPages(base: string): PodPages {
  const [loaded, setLoaded] = useState<Loaded>({ base: '', total: undefined, pages: new Map(), error: undefined });
  const inFlight = useRef(new Map<string, AbortController>());

  const fetchPage = useCallback((b: string, page: number) => {
    const key = `${b}#${page}`;
    if (inFlight.current.has(key)) return;
    const ctl = new AbortController();
    inFlight.current.set(key, ctl);
    getJson<OverviewResponse>(`${b}&offset=${page * PAGE_SIZE}&limit=${PAGE_SIZE}`, ctl.signal).then(
      (r) => {
        inFlight.current.delete(key);
        setLoaded((l) => {
          // the first page of a new query replaces the rows of the previous one
          if (l.base !== b && page !== 0) return l;
          const pages = l.base === b ? new Map(l.pages) : new Map<number, OverviewPod[]>();
          pages.set(page, r.pods);
          while (pages.size > KEEP_PAGES) {
            let far = page;
            for (const p of pages.keys()) if (Math.abs(p - page) > Math.abs(far - page)) far = p;
            pages.delete(far);
          }
          return { base: b, total: r.total, pages, error: undefined };
        });
      },
      (e: unknown) => {
        inFlight.current.delete(key);
        if ((e as Error).name === 'AbortError') return;
        const error = e instanceof ApiFailure ? e : new ApiFailure(String((e as Error).message ?? e), 0, 'client');
        setLoaded((l) => (l.base === b || page === 0 ? { ...l, error } : l));
      },
    );
  }, []);

  useEffect(() => {
    // another query: what is still on its way for an earlier one is not wanted any more
    for (const [key, ctl] of inFlight.current) {
      if (!key.startsWith(`${base}#`)) {
        ctl.abort();
        inFlight.current.delete(key);
      }
    }
    fetchPage(base, 0);
  }, [base, fetchPage]);

  useEffect(
    () => () => {
      for (const ctl of inFlight.current.values()) ctl.abort();
      inFlight.current.clear();
    },
    [],
  );

  const current = loaded.base === base;
  return {
    total: loaded.total,
    current,
    podAt: (i) => loaded.pages.get(Math.floor(i / PAGE_SIZE))?.[i % PAGE_SIZE],
    want: (first, last) => {
      if (!current || last <= first || loaded.total === undefined) return;
      // a page either side too: it is there before it scrolls into view
      const from = Math.max(0, first - PAGE_SIZE);
      const to = Math.min(loaded.total, last + PAGE_SIZE);
      for (let p = Math.floor(from / PAGE_SIZE); p <= Math.floor((to - 1) / PAGE_SIZE); p++) if (!loaded.pages.has(p)) fetchPage(base, p);
    },
    error: loaded.error,
  };
}

// Full-text search over every record (FTS5: words, "phrases", prefix*, AND/OR/NOT). A hit on a
// pod links to that pod with the event selected; any hit can show its raw lines. The server
// answers a page at a time (a bounded part of the log each): "Search further" asks for the next.
// What the query matched is marked in each hit, the hits are ticks on the log's time axis, and
// n / p step through them (the next page is asked for at the last one).
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { SearchHit, SearchResponse, SourcesResponse } from '../../../api/types.js';
import { ApiFailure, getJson, useApi } from '../api.js';
import { onLinkClick, podHref, queryString, setQuery } from '../router.js';
import { Empty, ErrorState, Loading } from '../components/States.js';
import { RawLines } from '../pod/RawLines.js';
import { severityColor } from '../theme.js';
import { dateTimeMs } from '../time.js';
import { Highlight } from '../components/Highlight.js';
import { queryTerms } from './terms.js';
import { HitStrip } from './HitStrip.js';

export function SearchPage({ query }: { query: URLSearchParams }): ReactNode {
  const q = query.get('q') ?? '';
  const [draft, setDraft] = useState(q);
  const [open, setOpen] = useState<string | null>(null);
  const res = useApi<SearchResponse>(q ? `/api/search${queryString({ q, limit: PAGE })}` : null);
  const [further, setFurther] = useState<Further>({ q: '', pages: [], loading: false });
  const more = further.q === q ? further : { q, pages: [], loading: false };
  const last = more.pages.at(-1) ?? res.data;
  const hits: SearchHit[] = res.data ? [...res.data.hits, ...more.pages.flatMap((p) => p.hits)] : [];
  const searchFurther = (): void => {
    if (!last?.next) return;
    setFurther({ ...more, loading: true });
    getJson<SearchResponse>(`/api/search${queryString({ q, limit: PAGE, after: last.next })}`).then(
      // a page for a query the user has left since is dropped
      (page) => setFurther((f) => (f.q === q ? { q, pages: [...f.pages, page], loading: false } : f)),
      (e: unknown) => setFurther((f) => (f.q === q ? { ...f, loading: false, error: e instanceof ApiFailure ? e : new ApiFailure(String(e), 0, 'client') } : f)),
    );
  };
  const terms = useMemo(() => queryTerms(q), [q]);
  const [current, setCurrent] = useState({ q, index: 0 });
  const cur = current.q === q ? Math.min(current.index, Math.max(0, hits.length - 1)) : 0;
  const table = useRef<HTMLTableElement>(null);
  const pick = (index: number): void => {
    setCurrent({ q, index });
    table.current?.querySelector(`tr[data-index="${index}"]`)?.scrollIntoView({ block: 'nearest' });
  };
  const step = useRef<(by: number) => void>(() => undefined);
  step.current = (by) => {
    if (!hits.length) return;
    const next = cur + by;
    if (next >= hits.length) {
      // past the last hit found so far: search further; the next n goes on from there
      if (last?.next && !more.loading) searchFurther();
      return;
    }
    pick(Math.max(0, next));
  };
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const t = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)))) return;
      if (e.key === 'n') step.current(1);
      else if (e.key === 'p' || e.key === 'N') step.current(-1);
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const sources = useApi<SourcesResponse>('/api/sources');
  const sourcePath = (id: number): string => sources.data?.sources.find((s) => s.id === id)?.path ?? `source ${id}`;
  return (
    <div className="search-page">
      <div className="search-head">
        <form
          className="toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            setQuery({ q: draft.trim() });
            // off the input, so that n and p step through the hits at once
            (document.activeElement as HTMLElement | null)?.blur();
          }}
        >
          <input
            type="search"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder='words, "a phrase", prefix*, AND / OR / NOT'
            aria-label="search the log"
            data-testid="search-input"
            autoFocus={!q}
          />
          <button type="submit">Search</button>
          {res.data && last && q ? (
            <span className="count" data-testid="search-count">
              {hits.length.toLocaleString()}
              {last.truncated ? '+' : ''} records
            </span>
          ) : null}
          {hits.length ? (
            <span className="dim" data-testid="hit-position">
              hit {(cur + 1).toLocaleString()} of {hits.length.toLocaleString()}
              {last?.truncated ? '+' : ''} · <kbd>n</kbd> next, <kbd>p</kbd> previous
            </span>
          ) : null}
        </form>
        {q && hits.length && sources.data?.firstUs != null && sources.data.lastUs != null ? (
          <HitStrip hits={hits} fromUs={sources.data.firstUs} toUs={sources.data.lastUs} current={cur} onPick={pick} />
        ) : null}
      </div>
      {!q ? (
        <Empty title="Search every record of the log.">
          For example <code>"Kill container failed"</code>, <code>nginx AND probe</code> or <code>4f3761db*</code>.
        </Empty>
      ) : null}
      {q && res.state === 'error' && res.error.code === 'search-not-ready' ? (
        <div data-testid="search-not-ready">
          <Empty title="Search is not ready yet.">{res.error.message}.</Empty>
        </div>
      ) : null}
      {q && res.state === 'error' && res.error.code !== 'search-not-ready' ? <ErrorState error={res.error} what="search results" /> : null}
      {q && res.state === 'loading' && !res.data ? <Loading what="search results" /> : null}
      {q && res.state === 'ready' && hits.length === 0 && !last?.next ? <Empty title={`No record matches ${q}.`}>Words match whole tokens: try a prefix with *, or fewer words.</Empty> : null}
      {q && hits.length ? (
        <table className="search-table" data-testid="search-results" ref={table}>
          <tbody>
            {hits.map((h, i) => {
              const id = `${h.source}:${h.line}`;
              return [
                <tr key={id} data-hit={id} data-index={i} className={i === cur ? 'hit-current' : undefined} onClick={() => setCurrent({ q, index: i })}>
                  <td className="mono">
                    <div>{h.timeUs !== null ? dateTimeMs(h.timeUs) : 'no time'}</div>
                    <div className="dim" title={sourcePath(h.source)}>
                      L{h.line}
                    </div>
                  </td>
                  <td className="mono" style={{ color: severityColor(h.severity) }}>
                    {h.severity ?? ''}
                  </td>
                  <td>
                    <div>
                      <Highlight text={h.msg} terms={terms} />
                    </div>
                    <div className="mono dim hit-text">
                      <Highlight text={h.text} terms={terms} />
                    </div>
                  </td>
                  <td className="actions">
                    {h.podKey ? (
                      <a href={podHref(h.podKey, { event: id })} onClick={onLinkClick} title={`the pod ${h.podKey}, at this line`}>
                        pod
                      </a>
                    ) : null}{' '}
                    <button type="button" className="linklike" onClick={() => setOpen(open === id ? null : id)}>
                      raw
                    </button>
                  </td>
                </tr>,
                open === id ? (
                  <tr key={`${id}-raw`}>
                    <td colSpan={4}>
                      <RawLines source={h.source} line={h.line} onClose={() => setOpen(null)} />
                    </td>
                  </tr>
                ) : null,
              ];
            })}
          </tbody>
        </table>
      ) : null}
      {q && last?.next ? (
        <div className="pager" data-testid="search-further">
          <span className="dim">
            {hits.length.toLocaleString()} records so far; {last.blocks.left.toLocaleString()} more blocks of the log may hold more.
          </span>{' '}
          <button type="button" onClick={searchFurther} disabled={more.loading}>
            {more.loading ? 'Searching…' : 'Search further'}
          </button>
          {more.error ? <span className="sev-e"> {more.error.message}</span> : null}
        </div>
      ) : null}
    </div>
  );
}

const PAGE = 200;

interface Further {
  q: string;
  pages: SearchResponse[];
  loading: boolean;
  error?: ApiFailure;
}

// The shell: a header with the pages and what the database holds, and the page the URL names.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { SourcesResponse } from '../../api/types.js';
import { useApi } from './api.js';
import { navigate, onLinkClick, queryString, useLocation } from './router.js';
import { Empty } from './components/States.js';
import { OverviewPage } from './overview/OverviewPage.js';
import { PodListPage } from './pods/PodListPage.js';
import { PodPage } from './pod/PodPage.js';
import { SearchPage } from './search/SearchPage.js';
import { DiffPage } from './diff/DiffPage.js';
import { dateTimeMs } from './time.js';
import { useThemeMode } from './theme-mode.js';
import { typingInto } from './keys.js';
import { useServerStatus } from './status/useServerStatus.js';
import { IngestStatus } from './status/IngestStatus.js';
import { NewestFirstWarning } from './status/NewestFirstWarning.js';

export function App(): ReactNode {
  const { route, query } = useLocation();
  // a server that ingests while it serves: the pages ask again when what is ready changes
  const { status, generation } = useServerStatus();
  const nav = (href: string, label: string, active: boolean): ReactNode => (
    <a href={href} onClick={onLinkClick} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
      {label}
    </a>
  );
  const [mode, toggleMode] = useThemeMode();
  return (
    <div className="app">
      <header className="topbar">
        <a href="/" onClick={onLinkClick} className="brand">
          kubelog
        </a>
        <nav>
          {nav('/', 'Overview', route.page === 'overview')}
          {nav('/pods', 'Pods', route.page === 'pods' || route.page === 'pod')}
          {nav('/search', 'Search', route.page === 'search')}
          {nav('/diff', 'Diff', route.page === 'diff')}
        </nav>
        <SearchField current={route.page === 'search' ? (query.get('q') ?? '') : ''} />
        <button type="button" className="theme-toggle" onClick={toggleMode} data-testid="theme-toggle" data-mode={mode} aria-label={`switch to ${mode === 'dark' ? 'light' : 'dark'} mode`} title={`switch to ${mode === 'dark' ? 'light' : 'dark'} mode`}>
          {mode === 'dark' ? '☀ light' : '☾ dark'}
        </button>
        <span className="spacer" />
        <DbFacts key={generation} />
      </header>
      <IngestStatus status={status} />
      <NewestFirstWarning status={status} />
      <main key={generation}>
        {route.page === 'overview' ? <OverviewPage query={query} /> : null}
        {route.page === 'pods' ? <PodListPage query={query} /> : null}
        {route.page === 'pod' ? <PodPage key={route.key} podKey={route.key} query={query} /> : null}
        {route.page === 'search' ? <SearchPage query={query} /> : null}
        {route.page === 'diff' ? <DiffPage query={query} /> : null}
        {route.page === 'not-found' ? (
          <Empty title={`Nothing at ${route.path}.`}>
            Go to the{' '}
            <a href="/" onClick={onLinkClick}>
              overview
            </a>
            .
          </Empty>
        ) : null}
      </main>
    </div>
  );
}

/** What the database holds, in the header. */
function DbFacts(): ReactNode {
  const s = useApi<SourcesResponse>('/api/sources').data;
  if (!s) return null;
  return (
    <span className="db-facts" data-testid="db-facts" title={s.sources.map((x) => x.path).join('\n')}>
      {s.db} · {s.sources.length} source{s.sources.length === 1 ? '' : 's'} · {s.nodes.map((n) => n.node ?? 'unnamed node').join(', ')} · {s.pods.toLocaleString()} pods ·{' '}
      {s.records.toLocaleString()} records
      {s.firstUs !== null && s.lastUs !== null ? ` · ${dateTimeMs(s.firstUs)} → ${dateTimeMs(s.lastUs)} UTC` : ''}
    </span>
  );
}

/** The header's search: `/` anywhere focuses it, Enter searches the whole log. */
function SearchField({ current }: { current: string }): ReactNode {
  const ref = useRef<HTMLInputElement>(null);
  const [text, setText] = useState(current);
  // the search page's own query shows here when it changes (a link, the back button)
  useEffect(() => {
    setText(current);
  }, [current]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      if (e.key !== '/' || e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || typingInto(e.target)) return;
      e.preventDefault();
      ref.current?.focus();
      ref.current?.select();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (text.trim()) navigate(`/search${queryString({ q: text.trim() })}`);
  };
  return (
    <form className="app-search" role="search" onSubmit={submit}>
      <input
        ref={ref}
        type="search"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Escape') e.currentTarget.blur();
        }}
        placeholder="Search the log ( / )"
        aria-label="search the log"
        data-testid="app-search"
      />
    </form>
  );
}

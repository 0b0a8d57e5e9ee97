// The shell: a header with the pages and what the database holds, and the page the URL names.
import type { ReactNode } from 'react';
import type { SourcesResponse } from '../../api/types.js';
import { useApi } from './api.js';
import { onLinkClick, useLocation } from './router.js';
import { Empty } from './components/States.js';
import { OverviewPage } from './overview/OverviewPage.js';
import { PodListPage } from './pods/PodListPage.js';
import { PodPage } from './pod/PodPage.js';
import { SearchPage } from './search/SearchPage.js';
import { DiffPage } from './diff/DiffPage.js';
import { dateTimeMs } from './time.js';

export function App(): ReactNode {
  const { route, query } = useLocation();
  const sources = useApi<SourcesResponse>('/api/sources');
  const nav = (href: string, label: string, active: boolean): ReactNode => (
    <a href={href} onClick={onLinkClick} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
      {label}
    </a>
  );
  const s = sources.data;
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
        <span className="spacer" />
        {s ? (
          <span className="db-facts" data-testid="db-facts" title={s.sources.map((x) => x.path).join('\n')}>
            {s.db} · {s.sources.length} source{s.sources.length === 1 ? '' : 's'} · {s.nodes.map((n) => n.node ?? 'unnamed node').join(', ')} · {s.pods.toLocaleString()} pods ·{' '}
            {s.records.toLocaleString()} records
            {s.firstUs !== null && s.lastUs !== null ? ` · ${dateTimeMs(s.firstUs)} → ${dateTimeMs(s.lastUs)} UTC` : ''}
          </span>
        ) : null}
      </header>
      <main>
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

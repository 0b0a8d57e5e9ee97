// Every pod in a table: search by namespace, name or UID prefix, filter by incident, sort by any
// phase's duration. The server pages and sorts; the URL holds the query.
import type { ReactNode } from 'react';
import type { PodListRow, PodsResponse, SourcesResponse } from '../../../api/types.js';
import { useApi } from '../api.js';
import { onLinkClick, podHref, queryString, setQuery } from '../router.js';
import { useDebounced } from '../hooks.js';
import { ErrorState, Loading, NothingIngested, Empty } from '../components/States.js';
import { dateTimeMs, duration } from '../time.js';
import { incidentTitle } from '../incidents.js';
import { STATE_WORDS } from '../overview/PodRows.js';
import type { PhaseName } from '../../../api/types.js';
import { lowerBoundWhy } from '../words.js';

/** The phase columns: each phase's summed time, `≥` when the log ends inside it. */
const PHASE_COLUMNS: Array<[PhaseName, (p: PodListRow) => number | null]> = [
  ['sync', (p) => p.syncUs],
  ['terminating', (p) => p.terminatingUs],
  ['terminated', (p) => p.terminatedUs],
];

const PAGE = 100;

const COLUMNS: Array<{ sort?: string; label: string; numeric?: boolean }> = [
  { sort: 'name', label: 'pod' },
  { label: 'UID' },
  { label: 'node' },
  { sort: 'start', label: 'first seen (UTC)' },
  { sort: 'sync', label: 'sync', numeric: true },
  { sort: 'terminating', label: 'terminating', numeric: true },
  { sort: 'terminated', label: 'terminated', numeric: true },
  { sort: 'events', label: 'events', numeric: true },
  { sort: 'state', label: 'state' },
  { sort: 'severity', label: 'worst incident' },
  { sort: 'incidents', label: 'incidents' },
];

export function PodListPage({ query }: { query: URLSearchParams }): ReactNode {
  const text = query.get('text') ?? '';
  const namespace = query.get('namespace') ?? '';
  const incident = query.get('incident') ?? '';
  const sort = query.get('sort') ?? 'start';
  const desc = query.get('desc') === '1';
  const offset = Math.max(0, Number(query.get('offset') ?? 0) || 0);
  const debounced = useDebounced(text, 200);
  const contents = useApi<SourcesResponse>('/api/sources');
  const res = useApi<PodsResponse>(
    `/api/pods${queryString({ text: debounced, namespace, incident: incident === 'any' ? undefined : incident, incidents: incident === 'any', sort, desc, offset, limit: PAGE })}`,
  );

  // a second click turns the order round; durations and counts start with the largest
  const sortBy = (s: string): void => setQuery({ sort: s === 'start' ? undefined : s, desc: s === sort ? !desc : s !== 'name' && s !== 'start', offset: undefined });

  return (
    <div className="pod-list">
      <form className="toolbar" onSubmit={(e) => e.preventDefault()}>
        <input
          type="search"
          placeholder="namespace/name, name or UID prefix"
          value={text}
          onChange={(e) => setQuery({ text: e.target.value, offset: undefined }, { replace: true })}
          aria-label="search pods"
          data-testid="pod-search"
          autoFocus
        />
        <input type="text" placeholder="namespace" value={namespace} onChange={(e) => setQuery({ namespace: e.target.value, offset: undefined }, { replace: true })} aria-label="namespace" />
        <select value={incident} onChange={(e) => setQuery({ incident: e.target.value, offset: undefined })} aria-label="incident" data-testid="incident-filter">
          <option value="">any pod</option>
          <option value="any">with any incident</option>
          {(contents.data?.incidentKinds ?? []).map((k) => (
            <option key={k.kind} value={k.kind}>
              {incidentTitle(k.kind)} ({k.pods})
            </option>
          ))}
          {incident && incident !== 'any' && !contents.data?.incidentKinds.some((k) => k.kind === incident) ? <option value={incident}>{incident}</option> : null}
        </select>
        <span className="count">{res.data ? `${res.data.total.toLocaleString()} pods` : ''}</span>
      </form>
      {res.state === 'error' ? <ErrorState error={res.error} what="the pods" /> : null}
      {!res.data && res.state === 'loading' ? <Loading what="pods" /> : null}
      {res.data && res.data.total === 0 && !text && !namespace && !incident ? <NothingIngested /> : null}
      {res.data && res.data.total === 0 && (text || namespace || incident) ? <Empty title="No pod matches.">Try a shorter name, a UID prefix of 4+ characters, or clear the filters.</Empty> : null}
      {res.data && res.data.pods.length ? (
        <>
          <table className="pods-table" data-testid="pods-table">
            <thead>
              <tr>
                {COLUMNS.map((c) => (
                  <th key={c.label} className={c.numeric ? 'num' : undefined} aria-sort={c.sort === sort ? (desc ? 'descending' : 'ascending') : undefined}>
                    {c.sort ? (
                      <button type="button" className="linklike" onClick={() => sortBy(c.sort!)}>
                        {c.label}
                        {c.sort === sort ? (desc ? ' ▼' : ' ▲') : ''}
                      </button>
                    ) : (
                      c.label
                    )}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {res.data.pods.map((p) => (
                <PodListItem key={p.key} pod={p} />
              ))}
            </tbody>
          </table>
          <div className="pager">
            <button type="button" disabled={offset === 0} onClick={() => setQuery({ offset: Math.max(0, offset - PAGE) || undefined })}>
              ← previous
            </button>
            <span>
              {offset + 1}–{offset + res.data.pods.length} of {res.data.total.toLocaleString()}
            </span>
            <button type="button" disabled={offset + PAGE >= res.data.total} onClick={() => setQuery({ offset: offset + PAGE })}>
              next →
            </button>
          </div>
        </>
      ) : null}
    </div>
  );
}

function PodListItem({ pod }: { pod: PodListRow }): ReactNode {
  return (
    <tr data-testid="pods-row" data-pod-key={pod.key}>
      <td>
        <a href={podHref(pod.key)} onClick={onLinkClick}>
          {pod.name !== null ? `${pod.namespace ?? '?'}/${pod.name}` : pod.key}
        </a>
        {pod.static ? <span className="badge">static</span> : null}
        {pod.mirrorOf ? <span className="badge">mirror</span> : null}
      </td>
      <td className="mono dim">{pod.uid ? pod.uid.slice(0, 8) : '—'}</td>
      <td>{pod.node ?? ''}</td>
      <td className="mono">{pod.firstUs !== null ? dateTimeMs(pod.firstUs) : '—'}</td>
      {PHASE_COLUMNS.map(([phase, us]) => {
        const open = pod.openPhases.includes(phase);
        const why = lowerBoundWhy(open, pod.beforeLogPhases.includes(phase));
        return (
          <td key={phase} className="num mono" data-open={open ? 'to-log-end' : undefined} data-lower-bound={why ? '1' : undefined} title={why ?? undefined}>
            {us(pod) !== null && why ? '≥ ' : ''}
            {duration(us(pod))}
          </td>
        );
      })}
      <td className="num mono">{pod.events}</td>
      <td className={pod.state === 'stuck-terminating' ? 'sev-e' : undefined} title={STATE_WORDS[pod.state]} data-testid="pods-state">
        {pod.state === 'stuck-terminating' ? 'stuck terminating' : pod.state}
      </td>
      <td>
        {pod.worstSeverity ? <span className={`badge badge-incident sev-${pod.worstSeverity}`}>{pod.worstSeverity}</span> : null}
      </td>
      <td data-testid="pods-incidents">
        {pod.incidentKinds.map((k) => (
          <span key={k} className={`badge badge-incident sev-${pod.worstSeverity ?? 'info'}`}>
            {incidentTitle(k)}
          </span>
        ))}
      </td>
    </tr>
  );
}

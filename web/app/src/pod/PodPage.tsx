// One pod: who it is, its phases with durations, what went wrong, the timeline by lane, the raw
// log around a selected event, and every event in a table. Selection and zoom live in the URL.
import { useState, type ReactNode } from 'react';
import type { PodResponse, PodView } from '../../../api/types.js';
import { useApi } from '../api.js';
import { onLinkClick, setQuery } from '../router.js';
import { Empty, ErrorState, Loading } from '../components/States.js';
import { Tooltip, type TipState } from '../components/Tooltip.js';
import { phaseColor } from '../theme.js';
import { clockUs, dateTimeMs } from '../time.js';
import { windowFromQuery, windowToQuery } from '../overview/window.js';
import { EventTable } from './EventTable.js';
import { phaseLength } from './phase-length.js';
import { PodTimeline } from './PodTimeline.js';
import { RawLines } from './RawLines.js';
import { eventId, parseEventId } from './selection.js';

export function PodPage({ podKey, query }: { podKey: string; query: URLSearchParams }): ReactNode {
  const res = useApi<PodResponse>(`/api/pod/${encodeURIComponent(podKey)}`);
  if (res.state === 'error') {
    if (res.error.status === 404)
      return (
        <Empty title={`No pod ${podKey} in this database.`}>
          The link may come from another database, or the log was re-ingested under another key. Search the{' '}
          <a href={`/pods?text=${encodeURIComponent(podKey.slice(0, 8))}`} onClick={onLinkClick}>
            pod list
          </a>
          .
        </Empty>
      );
    return <ErrorState error={res.error} what={`pod ${podKey}`} />;
  }
  if (!res.data) return <Loading what={`pod ${podKey}`} />;
  return <Pod pod={res.data.pod} query={query} />;
}

function Pod({ pod, query }: { pod: PodView; query: URLSearchParams }): ReactNode {
  const [tip, setTip] = useState<TipState | null>(null);
  const selected = query.get('event');
  const sel = parseEventId(selected);
  const select = (id: string): void => setQuery({ event: id === selected ? undefined : id }, { replace: true });
  const title = pod.name !== undefined ? `${pod.namespace ?? '?'}/${pod.name}` : pod.key;
  return (
    <div className="pod-page" data-testid="pod-page" data-pod-key={pod.key}>
      <header className="pod-header">
        <h1 data-testid="pod-title">{title}</h1>
        <div className="badges">
          {pod.static ? <span className="badge">static pod</span> : null}
          {pod.mirrorOf ? <span className="badge">mirror of {pod.mirrorOf}</span> : null}
          {!pod.exact ? (
            <span className="badge" title="The log has no pod worker enter/exit lines (-v below 4): boundaries are inferred from other messages.">
              inferred phases
            </span>
          ) : null}
        </div>
        <dl className="facts">
          <dt>UID</dt>
          <dd className="mono">{pod.uid ?? '— (the log never names it)'}</dd>
          {pod.node ? (
            <>
              <dt>node</dt>
              <dd>{pod.node}</dd>
            </>
          ) : null}
          {pod.workload ? (
            <>
              <dt>workload</dt>
              <dd>{pod.workload}</dd>
            </>
          ) : null}
          <dt>seen</dt>
          <dd>
            {pod.first.timeUs !== undefined ? `${dateTimeMs(pod.first.timeUs)}` : `line ${pod.first.line}`} →{' '}
            {pod.last.timeUs !== undefined ? `${dateTimeMs(pod.last.timeUs)} UTC` : `line ${pod.last.line}`}
          </dd>
          <dt>finished</dt>
          <dd>{pod.finished ? `${pod.finished.timeUs !== undefined ? clockUs(pod.finished.timeUs) : ''} (line ${pod.finished.line}, ${pod.finished.evidence})` : 'not in this log'}</dd>
        </dl>
      </header>

      <section className="phase-cards" aria-label="phases">
        {pod.phases.length === 0 ? <div className="dim">No pod worker phase in this log: the pod only shows up in messages.</div> : null}
        {pod.phases.map((p, i) => (
          <button type="button" key={i} className="phase-card" style={{ borderColor: phaseColor(p.phase) }} onClick={() => select(eventId(p.start))} data-testid="phase-card" data-phase={p.phase}>
            <span className="phase-name" style={{ color: phaseColor(p.phase) }}>
              {p.phase}
            </span>
            <span className="phase-duration">{phaseLength(p)}</span>
            <span className="dim">
              L{p.start.line}–L{p.end.line} · {p.evidence}
              {p.calls > 1 ? ` · ${p.calls} calls` : ''}
              {p.gracePeriodS !== undefined ? ` · grace ${p.gracePeriodS}s` : ''}
            </span>
          </button>
        ))}
      </section>

      {pod.incidents.length ? (
        <section className="incidents" aria-label="incidents" data-testid="incidents">
          <h2>Incidents</h2>
          <ul>
            {pod.incidents.map((a, i) => (
              <li key={i} data-incident-kind={a.kind} data-severity={a.severity}>
                <button type="button" className="linklike" onClick={() => select(eventId(a))}>
                  <span className={`badge badge-incident sev-${a.severity}`}>{a.kind}</span> <span className="mono dim">L{a.line}</span>
                  {a.subject ? ` ${a.subject}:` : ''} {a.detail}
                  {a.lines > 1 ? <span className="dim"> ({a.lines} lines)</span> : null}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <PodTimeline pod={pod} window={windowFromQuery(query)} onWindow={(d) => setQuery(windowToQuery(d), { replace: true })} selected={selected} onSelect={select} onTip={setTip} />
      {sel ? <RawLines source={sel.source} line={sel.line} onClose={() => setQuery({ event: undefined }, { replace: true })} /> : null}
      <EventTable pod={pod} selected={selected} onSelect={select} />
      <Tooltip tip={tip} />
    </div>
  );
}

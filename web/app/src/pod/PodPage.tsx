// One pod: who it is, its phases with durations, what went wrong, the timeline by lane, every event
// in a table, and the selected event's details in a pane beside them. Selection and zoom live in
// the URL; the keyboard moves the selection.
import { useMemo, useState, type ReactNode } from 'react';
import type { IncidentView, PodCandidatesResponse, PodResponse, PodView } from '../../../api/types.js';
import { useApi } from '../api.js';
import { onLinkClick, podHref, setQuery } from '../router.js';
import { Empty, ErrorState, Loading } from '../components/States.js';
import { Tooltip, type TipState } from '../components/Tooltip.js';
import { phaseColor } from '../theme.js';
import { clockUs, dateTimeMs } from '../time.js';
import { windowFromQuery, windowToQuery, type Domain } from '../overview/window.js';
import { boundaryWords, incidentTitle } from '../words.js';
import { DetailPane, incidentsAt } from './DetailPane.js';
import { EventTable } from './EventTable.js';
import { phaseLength } from './phase-length.js';
import { beganBeforeLog } from '../../../../lifecycle/open-end.js';
import { phaseSpan, PodTimeline, positionOf, zoomTo } from './PodTimeline.js';
import { eventId, parseEventId } from './selection.js';
import { usePodEvents } from './usePodEvents.js';
import { usePodKeys } from './usePodKeys.js';

export function PodPage({ podKey, query }: { podKey: string; query: URLSearchParams }): ReactNode {
  const res = useApi<PodResponse | PodCandidatesResponse>(`/api/pod/${encodeURIComponent(podKey)}`);
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
  if ('candidates' in res.data) return <PodCandidates query={res.data.query} candidates={res.data.candidates} />;
  return <Pod res={res.data} query={query} />;
}

function Pod({ res, query }: { res: PodResponse; query: URLSearchParams }): ReactNode {
  const { pod: whole, kubelet, kubeletTotal } = res;
  const [tip, setTip] = useState<TipState | null>(null);
  const [paneOpen, setPaneOpen] = useState(true);
  const selected = query.get('event');
  const sel = parseEventId(selected);
  /** A click selects and opens; a click on the selected one lets go of it. */
  const select = (id: string): void => {
    setPaneOpen(true);
    setQuery({ event: id === selected ? undefined : id }, { replace: true });
  };
  /** Enter on a row, j/k: select (never let go) and show the pane. */
  const open = (id: string): void => {
    setPaneOpen(true);
    setQuery({ event: id }, { replace: true });
  };
  // a window by time lives in the URL; one by line numbers (a log without times) only here
  const { byLine, pos } = positionOf(whole);
  const [lineWindow, setLineWindow] = useState<Domain | null>(null);
  const win = byLine ? lineWindow : windowFromQuery(query);
  const setWindow = (d: Domain | null): void => (byLine ? setLineWindow(d) : setQuery(windowToQuery(d), { replace: true }));
  const minSpan = byLine ? 4 : 1000;
  // a busy pod's events are those of the window, a page at a time; the rest of the page is the whole pod's
  const shown = usePodEvents(res, win);
  const pod = useMemo<PodView>(() => (shown.complete ? whole : { ...whole, events: shown.events }), [whole, shown.complete, shown.events]);
  const more = shown.more;

  const selectEvent = (next: PodView['events'][number]): void => {
    const at = pos(next);
    // the timeline follows a selection that leaves its window (a busy pod's next page is still in it)
    const follow = win && at !== undefined && (at < win[0] || at > win[1]) ? centredOn(at, win) : undefined;
    if (follow) setWindow(follow);
    setQuery({ event: eventId(next) }, { replace: true });
  };

  usePodKeys({
    move: (delta) => {
      if (!pod.events.length) return;
      const i = pod.events.findIndex((e) => eventId(e) === selected);
      // past the last event loaded of a busy pod's window: its next page
      if (delta > 0 && i === pod.events.length - 1 && more) {
        void more().then((page) => {
          if (page[0]) selectEvent(page[0]);
        });
        return;
      }
      selectEvent(pod.events[i < 0 ? (delta > 0 ? 0 : pod.events.length - 1) : Math.min(pod.events.length - 1, Math.max(0, i + delta))]!);
    },
    open: () => {
      if (selected) setPaneOpen(true);
    },
    close: () => setPaneOpen(false),
  });

  const pane = sel !== null && paneOpen;
  const title = pod.name !== undefined ? `${pod.namespace ?? '?'}/${pod.name}` : pod.key;
  return (
    <div className={`pod-page${pane ? ' with-pane' : ''}`} data-testid="pod-page" data-pod-key={pod.key}>
      <div className="pod-main">
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
          <button
            type="button"
            key={i}
            className="phase-card"
            style={{ borderColor: phaseColor(p.phase) }}
            onClick={() => {
              const span = phaseSpan(p, pos, pos(pod.last));
              if (span) setWindow(zoomTo(span, minSpan));
            }}
            title="zoom the timeline to this phase"
            data-testid="phase-card"
            data-phase={p.phase}
            data-open={p.open}
            data-began-before-log={beganBeforeLog(p)}
          >
            <span className="phase-name" style={{ color: phaseColor(p.phase) }}>
              {p.phase}
            </span>
            <span className="phase-duration">{phaseLength(p)}</span>
            <span className="dim">
              L{p.start.line}–L{p.end.line} · start: {boundaryWords(p.startBy, 'start')}
              {p.calls > 1 ? ` · ${p.calls} calls` : ''}
              {p.gracePeriodS !== undefined ? ` · grace ${p.gracePeriodS}s` : ''}
            </span>
          </button>
        ))}
      </section>

      {pod.incidents.length ? (
        <section className="incidents" aria-label="incidents" data-testid="incidents">
          <h2>Incidents</h2>
          <IncidentList incidents={pod.incidents} onSelect={select} />
        </section>
      ) : null}
      {kubelet.length ? (
        <section className="incidents kubelet-incidents" aria-label="the kubelet while the pod lived" data-testid="kubelet-incidents">
          <h2>The kubelet while this pod lived</h2>
          {kubeletTotal > kubelet.length ? (
            <p className="dim" data-testid="kubelet-incidents-more">
              the first {kubelet.length.toLocaleString()} of {kubeletTotal.toLocaleString()} (kubelog node lists them all)
            </p>
          ) : null}
          <IncidentList incidents={kubelet} onSelect={select} />
        </section>
      ) : null}

      <PodTimeline pod={pod} kubelet={kubelet} density={shown.complete ? null : res.density} window={win} onWindow={setWindow} selected={selected} onSelect={select} onTip={setTip} />
      <EventTable
        pod={pod}
        selected={selected}
        onSelect={select}
        onOpen={open}
        paged={shown.complete ? null : { windowTotal: shown.windowTotal, podTotal: res.events.total, whole: win === null, loading: shown.loading, error: shown.error, more }}
      />
      </div>
      {pane ? (
        <DetailPane pod={pod} at={sel} event={pod.events.find((e) => eventId(e) === selected)} incidents={incidentsAt(pod, selected!)} onClose={() => setPaneOpen(false)} />
      ) : null}
      <Tooltip tip={tip} />
    </div>
  );
}

/** The same width of window, centred on a point that left it. */
const centredOn = (at: number, [a, b]: Domain): Domain => [at - (b - a) / 2, at + (b - a) / 2];

function IncidentList({ incidents, onSelect }: { incidents: IncidentView[]; onSelect: (id: string) => void }): ReactNode {
  return (
    <ul>
      {incidents.map((a, i) => (
        <li key={i} data-incident-kind={a.kind} data-severity={a.severity}>
          <button type="button" className="linklike" onClick={() => onSelect(eventId(a))}>
            <span className={`badge badge-incident sev-${a.severity}`}>{incidentTitle(a.kind)}</span> <span className="sev-word dim">{a.severity}</span> <span className="mono dim">L{a.line}</span>
            {a.subject ? ` ${a.subject}:` : ''} {a.detail}
            {a.lines > 1 ? <span className="dim"> ({a.lines} lines)</span> : null}
          </button>
        </li>
      ))}
    </ul>
  );
}

/** `/pod/ns/name` that more than one pod answers to (a name reused, a short UID prefix): which one? */
function PodCandidates({ query, candidates }: { query: string; candidates: PodCandidatesResponse['candidates'] }): ReactNode {
  return (
    <div className="pod-page" data-testid="pod-candidates">
      <h1>{candidates.length} pods match {query}</h1>
      <p className="dim">Pick one: the same name can belong to several incarnations of a pod, a static pod and its mirror, or pods of several nodes.</p>
      <table className="pods-table">
        <thead>
          <tr>
            <th>pod</th>
            <th>UID</th>
            <th>node</th>
            <th>state</th>
            <th>first seen (UTC)</th>
            <th>last seen (UTC)</th>
          </tr>
        </thead>
        <tbody>
          {candidates.map((c) => (
            <tr key={c.key} data-testid="pod-candidate" data-pod-key={c.key}>
              <td>
                <a href={podHref(c.key)} onClick={onLinkClick}>
                  {c.namespace ?? '?'}/{c.name ?? '?'}
                </a>
                {c.mirrorOf ? <span className="badge">mirror</span> : c.static ? <span className="badge">static</span> : null}
              </td>
              <td className="mono">{c.uid ?? '—'}</td>
              <td>{c.node ?? '—'}</td>
              <td>{c.state}</td>
              <td className="mono">{c.firstUs !== null ? dateTimeMs(c.firstUs) : '—'}</td>
              <td className="mono">{c.lastUs !== null ? dateTimeMs(c.lastUs) : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

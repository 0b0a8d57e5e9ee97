// The overview's rows: one pod each, its phases as bars on the shared time axis. Only the rows in
// view are rendered (fixed row height), so tens of thousands of pods scroll smoothly; a row whose
// page has not come yet is drawn empty until it does.
import { useEffect, useRef, useState, type ReactNode, type UIEvent } from 'react';
import type { ScaleTime } from 'd3';
import type { OverviewPod } from '../../../api/types.js';
import { navigate, podHref } from '../router.js';
import { phaseColor } from '../theme.js';
import { incidentGroup, incidentTitle, markPath, SEVERITY_FILL } from '../incidents.js';
import { Highlight, type Term } from '../components/Highlight.js';
import { clockUs, duration } from '../time.js';
import { hoverTip, type TipState } from '../components/Tooltip.js';
import { lowerBoundWhy } from '../words.js';

export const ROW_HEIGHT = 22;
const OVERSCAN = 10;

export const podLabel = (p: { namespace: string | null; name: string | null; key: string }): string => (p.name !== null ? `${p.namespace ?? '?'}/${p.name}` : p.key);

export function PodRows({
  query,
  count,
  podAt,
  want,
  x,
  labelWidth,
  height,
  onTip,
  showNode,
  terms,
}: {
  /** What the rows answer (filters, sort, window): another one starts at the top. */
  query: string;
  count: number;
  podAt: (index: number) => OverviewPod | undefined;
  /** The rows [first, last) are in view. */
  want: (first: number, last: number) => void;
  x: ScaleTime<number, number>;
  labelWidth: number;
  height: number;
  onTip: (t: TipState | null) => void;
  /** A database of several nodes: each row says its node. */
  showNode: boolean;
  /** What the filter matched, marked in the names. */
  terms: readonly Term[];
}): ReactNode {
  const [scrollTop, setScrollTop] = useState(0);
  const frame = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (frame.current) frame.current.scrollTop = 0;
    setScrollTop(0);
  }, [query]);
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  useEffect(() => {
    want(first, last);
  });
  const width = x.range()[1] ?? 0;
  const at = (us: number): number => x(new Date(us / 1000));
  const rows: ReactNode[] = [];
  for (let i = first; i < last; i++) {
    const p = podAt(i);
    if (!p) {
      rows.push(<div key={`loading-${i}`} className="row row-loading" style={{ top: i * ROW_HEIGHT, height: ROW_HEIGHT }} data-testid="pod-row-loading" />);
      continue;
    }
    rows.push(
      <div
        key={p.key}
        className={`row${p.incidents.length ? ` row-incidents worst-${worstOf(p)}` : ''} state-${p.state}`}
        style={{ top: i * ROW_HEIGHT, height: ROW_HEIGHT }}
        data-testid="pod-row"
        data-pod-key={p.key}
        data-state={p.state}
        onClick={() => navigate(podHref(p.key))}
        {...hoverTip(onTip, () => <PodTip pod={p} />)}
      >
        <div className="row-label" style={{ width: labelWidth }}>
          <a href={podHref(p.key)} onClick={(e) => e.preventDefault()} tabIndex={-1}>
            <Highlight text={podLabel(p)} terms={terms} />
          </a>
          {p.state === 'stuck-terminating' ? <span className="badge badge-stuck">stuck</span> : null}
          {p.incidents.length ? <span className={`badge badge-incident sev-${worstOf(p)}`}>{p.incidents.length}</span> : null}
          {showNode ? (
            <span className="row-node" data-testid="row-node">
              {p.node ?? 'no node name'}
            </span>
          ) : null}
        </div>
        <svg width={width} height={ROW_HEIGHT} className="row-track">
          {p.firstUs === null ? (
            <text x={6} y={ROW_HEIGHT / 2 + 4} className="untimed">
              no times in this log ({p.phases.map((ph) => ph[0]).join(' → ') || 'no phases'}): open it to see it by line
            </text>
          ) : null}
          {p.firstUs !== null && p.lastUs !== null ? <line x1={at(p.firstUs)} x2={at(p.lastUs)} y1={ROW_HEIGHT / 2} y2={ROW_HEIGHT / 2} className="lifespan" /> : null}
          {p.phases.map(([phase, s, e, open, exact, beganBefore], j) => {
            if (s === null) return null;
            const end = e ?? p.lastUs ?? s;
            const x0 = Math.max(-2, at(s));
            const x1 = Math.min(width + 2, at(end));
            if (x1 < -1 || x0 > width + 1) return null;
            const w = Math.max(2, x1 - x0);
            // a phase the log ends inside is drawn to the log's end, its length a lower bound; only
            // a stuck teardown is alarming, a pod running at the end is not
            const stuck = open && phase === 'terminating' && p.state === 'stuck-terminating';
            const label = `${open || beganBefore ? '≥ ' : ''}${duration(end - s)}`;
            return (
              <g key={j}>
                <rect
                  data-phase={phase}
                  data-open={open ? 'to-log-end' : undefined}
                  data-began-before-log={beganBefore ? '1' : undefined}
                  x={x0}
                  width={w}
                  y={4}
                  height={ROW_HEIGHT - 8}
                  style={{ fill: phaseColor(phase) }}
                  className={`phase${open ? (stuck ? ' phase-stuck' : ' phase-to-end') : ''}${exact ? '' : ' phase-inferred'}`}
                />
                {w >= label.length * 6 + 8 ? (
                  <text x={Math.max(x0, 0) + 4} y={ROW_HEIGHT / 2 + 4} className="phase-duration-label" data-testid="phase-duration">
                    {label}
                  </text>
                ) : null}
              </g>
            );
          })}
          {p.incidents.map(([kind, t, severity], j) =>
            t === null ? null : (
              <path
                key={`a${j}`}
                data-incident-kind={kind}
                d={markPath(incidentGroup(kind).shape, at(t), ROW_HEIGHT / 2)}
                style={{ fill: SEVERITY_FILL[severity] }}
                className={`incident-mark sev-${severity}`}
              />
            ),
          )}
        </svg>
      </div>,
    );
  }
  return (
    <div className="rows" ref={frame} style={{ height }} onScroll={(e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop)} data-testid="pod-rows">
      <div style={{ height: count * ROW_HEIGHT, position: 'relative' }}>{rows}</div>
    </div>
  );
}

function PodTip({ pod }: { pod: OverviewPod }): ReactNode {
  return (
    <div data-testid="pod-tip">
      <div className="tip-title">{podLabel(pod)}</div>
      {pod.uid ? <div className="mono dim">{pod.uid}</div> : null}
      {pod.node ? <div className="dim">node {pod.node}</div> : null}
      <table className="tip-table">
        <tbody>
          {pod.phases.map(([phase, s, e, open, exact, beganBefore], i) => {
            const why = lowerBoundWhy(open, beganBefore);
            return (
              <tr key={i}>
                <td className="nowrap">
                  <span className="swatch" style={{ background: phaseColor(phase) }} /> {phase}
                </td>
                <td className="mono nowrap">{s !== null && e !== null ? `${why ? '≥ ' : ''}${duration(e - s)}` : '—'}</td>
                <td className="dim">{[why ?? '', exact ? '' : 'start inferred'].filter(Boolean).join('; ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="dim">{STATE_WORDS[pod.state]}</div>
      {pod.incidents.length ? (
        <ul className="tip-incidents">
          {pod.incidents.map(([kind, t, severity], i) => (
            <li key={i}>
              <svg width={10} height={10} aria-hidden="true">
                <path d={markPath(incidentGroup(kind).shape, 5, 5)} style={{ fill: SEVERITY_FILL[severity] }} />
              </svg>{' '}
              {incidentTitle(kind)} <span className="dim">({severity}{t !== null ? `, ${clockUs(t)}` : ''})</span>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="dim">click to open</div>
    </div>
  );
}

/** What a pod's record ends in, in a few words (the state's meaning, lifecycle/model.ts PodState). */
export const STATE_WORDS: Record<OverviewPod['state'], string> = {
  running: 'running when the log ends',
  terminating: 'being torn down when the log ends',
  'stuck-terminating': 'stuck terminating: past its grace period when the log ends',
  terminated: 'cleaning up when the log ends',
  finished: 'finished',
  rejected: 'rejected at admission: it never ran',
  mirror: "mirror pod: the API's copy of a static pod",
  orphan: 'only its leftovers were cleaned up',
  unknown: 'no phase in the log',
};

const SEVERITY_ORDER = ['critical', 'error', 'warning', 'info'] as const;

/** The severity of a row's worst incident. */
function worstOf(p: OverviewPod): string {
  return SEVERITY_ORDER.find((s) => p.incidents.some((i) => i[2] === s)) ?? 'info';
}

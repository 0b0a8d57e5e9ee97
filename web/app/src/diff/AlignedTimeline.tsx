// One workload's pods on both sides, each moved so that the start of the chosen phase is at zero:
// on a shared axis of seconds, B's terminations that take the whole grace period stand out against
// A's that take two. d3 makes the scale and the axis; React draws the rows.
import { incidentTitle } from '../incidents.js';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { axisTop, scaleLinear, select, type ScaleLinear } from 'd3';
import type { DiffPodsResponse } from '../../../api/types.js';
import type { DurationStats } from '../../../../lifecycle/diff/types.js';
import { useApi } from '../api.js';
import { useSize } from '../hooks.js';
import { navigate, podHref, queryString } from '../router.js';
import { INCIDENT_COLOR, phaseColor } from '../theme.js';
import { duration } from '../time.js';
import { ErrorState, Loading } from '../components/States.js';
import { PhaseLegend } from '../components/PhaseLegend.js';
import { Tooltip, hoverTip, type TipState } from '../components/Tooltip.js';
import { podLabel } from '../overview/PodRows.js';
import { alignedDomain, alignedStats, alignPods, type AlignAt, type AlignedPhase, type AlignedPod, type Alignment } from './align.js';
import { lowerBoundWhy } from '../words.js';

const ROW = 18;
const LABEL = 260;
/** Rows drawn per side; the longest aligned phases come first, so the cut keeps what matters. */
const MAX_ROWS = 200;

export function AlignedTimeline({ a, b, workload, at }: { a: string; b: string; workload: string; at: AlignAt }): ReactNode {
  const ra = useApi<DiffPodsResponse>(`/api/diff/pods${queryString({ side: a, workload })}`);
  const rb = useApi<DiffPodsResponse>(`/api/diff/pods${queryString({ side: b, workload })}`);
  const [ref, size] = useSize<HTMLDivElement>();
  const [tip, setTip] = useState<TipState | null>(null);
  // a side's previous answer stays while the next loads: align only the pods of this side and workload
  const current = (r: typeof ra, side: string): DiffPodsResponse | undefined => (r.data && r.data.workload === workload && r.data.side === side ? r.data : undefined);
  const da = current(ra, a);
  const db = current(rb, b);
  const sides = useMemo(() => (da && db ? [alignPods(da.pods, at), alignPods(db.pods, at)] : null), [da, db, at]);
  const width = Math.max(200, size.width - LABEL - 2);
  const x = useMemo(
    () =>
      scaleLinear()
        .domain(sides ? alignedDomain(sides) : [0, 1])
        .range([0, width]),
    [sides, width],
  );

  const failed = ra.state === 'error' ? ra.error : rb.state === 'error' ? rb.error : null;
  return (
    <div className="aligned" ref={ref} data-testid="aligned-timeline" data-align={at}>
      {failed ? <ErrorState error={failed} what={`the pods of ${workload}`} /> : null}
      {!failed && !sides ? <Loading what={`the pods of ${workload}`} /> : null}
      {sides ? (
        <>
          <div className="aligned-legend dim">
            <PhaseLegend />
            <span>zero: the start of each pod's first {at} phase; pods sorted by its length, longest first</span>
          </div>
          <SidePanel tag="A" side={a} alignment={sides[0]!} x={x} at={at} onTip={setTip} />
          <SidePanel tag="B" side={b} alignment={sides[1]!} x={x} at={at} onTip={setTip} />
        </>
      ) : null}
      <Tooltip tip={tip} />
    </div>
  );
}

function SidePanel({
  tag,
  side,
  alignment,
  x,
  at,
  onTip,
}: {
  tag: 'A' | 'B';
  side: string;
  alignment: Alignment;
  x: ScaleLinear<number, number>;
  at: AlignAt;
  onTip: (t: TipState | null) => void;
}): ReactNode {
  const stats = alignedStats(alignment);
  const shown = alignment.pods.slice(0, MAX_ROWS);
  const width = x.range()[1]!;
  const height = shown.length * ROW;
  return (
    <section className="aligned-side" data-testid={`aligned-${tag.toLowerCase()}`} data-pods={alignment.pods.length}>
      <header>
        <strong>{tag}</strong> <span className="mono">{side}</span>
        <span className="dim">
          {' '}
          · {alignment.pods.length} pod{alignment.pods.length === 1 ? '' : 's'} with a {at} phase
          {alignment.without ? `, ${alignment.without} without` : ''}
          {alignment.pods.length > shown.length ? ` (the ${shown.length} longest drawn)` : ''}
        </span>
        <StatsText stats={stats} at={at} />
      </header>
      {shown.length ? (
        <div className="aligned-body">
          <div className="aligned-labels" style={{ width: LABEL, paddingBottom: 14 }}>
            <div style={{ height: 22 }} />
            {shown.map((p) => (
              <div key={p.pod.key} className="aligned-label" style={{ height: ROW }} title={podLabel(p.pod)}>
                {podLabel(p.pod)}
              </div>
            ))}
          </div>
          <svg width={width} height={height + 22 + 14} className="aligned-svg">
            <SecondsAxis x={x} />
            <g transform="translate(0,22)">
              {stats ? <QuantileLine x={x} us={stats.p50Us} height={height} label="p50" /> : null}
              {stats && stats.p90Us !== stats.p50Us ? <QuantileLine x={x} us={stats.p90Us} height={height} label="p90" /> : null}
              <line x1={x(0)} x2={x(0)} y1={0} y2={height} className="aligned-zero" />
              {shown.map((p, i) => (
                <AlignedRow key={p.pod.key} p={p} y={i * ROW} x={x} onTip={onTip} />
              ))}
            </g>
          </svg>
        </div>
      ) : (
        <div className="dim aligned-none">No pod of this workload has a {at} phase with a time on this side.</div>
      )}
    </section>
  );
}

function StatsText({ stats, at }: { stats: DurationStats | null; at: AlignAt }): ReactNode {
  if (!stats) return null;
  return (
    <span className="aligned-stats mono" data-testid="aligned-stats">
      {at} p50 {duration(stats.p50Us)} · p90 {duration(stats.p90Us)} · max {duration(stats.maxUs)} ({stats.count} ended)
    </span>
  );
}

function AlignedRow({ p, y, x, onTip }: { p: AlignedPod; y: number; x: ScaleLinear<number, number>; onTip: (t: TipState | null) => void }): ReactNode {
  const [left, right] = x.range() as [number, number];
  return (
    <g
      transform={`translate(0,${y})`}
      className="aligned-row"
      data-testid="aligned-row"
      data-pod-key={p.pod.key}
      data-length-us={p.lengthUs}
      data-open={p.open ? '1' : undefined}
      data-lower-bound={p.lowerBound ? '1' : undefined}
      onClick={() => navigate(podHref(p.pod.key))}
      {...hoverTip(onTip, () => <AlignedTip p={p} />)}
    >
      <rect x={left} width={right - left} height={ROW} className="aligned-hit" />
      {p.phases.map((ph, j) => {
        const x0 = Math.max(left - 2, x(ph.from));
        const x1 = Math.min(right + 2, x(ph.to));
        if (x1 < left || x0 > right) return null;
        return (
          <rect
            key={j}
            data-phase={ph.phase}
            x={x0}
            width={Math.max(2, x1 - x0)}
            y={3}
            height={ROW - 6}
            style={{ fill: phaseColor(ph.phase) }}
            className={`phase${ph.open ? ' phase-to-end' : ''}${ph.exact ? '' : ' phase-inferred'}`}
          />
        );
      })}
      {p.incidents.map((a, j) => {
        const ax = x(a.at);
        return ax < left || ax > right ? null : <path key={`a${j}`} data-incident-kind={a.kind} d={`M${ax},1 l4,7 l-8,0 z`} style={{ fill: INCIDENT_COLOR }} className="incident-mark" />;
      })}
    </g>
  );
}

function AlignedTip({ p }: { p: AlignedPod }): ReactNode {
  return (
    <div>
      <div className="tip-title">{podLabel(p.pod)}</div>
      {p.pod.uid ? <div className="mono dim">{p.pod.uid}</div> : null}
      <table className="tip-table">
        <tbody>
          {p.phases.map((ph, i) => (
            <tr key={i}>
              <td>
                <span className="swatch" style={{ background: phaseColor(ph.phase) }} /> {ph.phase}
              </td>
              <td className="mono">{signed(ph.from)}</td>
              <td className="mono">{lowerBoundLength(ph)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.incidents.length ? (
        <div className="sev-e">
          {p.incidents.map((a, i) => (
            <div key={i}>
              {incidentTitle(a.kind)} at {signed(a.at)}
            </div>
          ))}
        </div>
      ) : null}
      <div className="dim">click to open the pod</div>
    </div>
  );
}

const signed = (us: number): string => (us >= 0 ? `+${duration(us)}` : duration(us));

function QuantileLine({ x, us, height, label }: { x: ScaleLinear<number, number>; us: number; height: number; label: string }): ReactNode {
  const at = x(us);
  if (at < x.range()[0]! || at > x.range()[1]!) return null;
  return (
    <g className="aligned-quantile">
      <line x1={at} x2={at} y1={0} y2={height} />
      <text x={at} y={height + 11} textAnchor="middle">
        {label}
      </text>
    </g>
  );
}

/** Seconds from the alignment point, in d3's tick steps. */
function SecondsAxis({ x }: { x: ScaleLinear<number, number> }): ReactNode {
  const ref = useRef<SVGGElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const n = Math.max(2, Math.floor((x.range()[1] ?? 0) / 90));
    select(ref.current).call(
      axisTop(x)
        .ticks(n)
        .tickFormat((d) => (Number(d) === 0 ? '0' : signed(Number(d)))),
    );
  }, [x]);
  return <g ref={ref} className="axis" transform="translate(0,20)" />;
}

/** An aligned phase's length, `≥` with the reason when the log shows only part of it. */
function lowerBoundLength(ph: AlignedPhase): string {
  const why = lowerBoundWhy(ph.open, ph.beganBefore);
  return why ? `≥ ${duration(ph.to - ph.from)}, ${why.replace(/: at least this long$/, '')}` : duration(ph.to - ph.from);
}

// A pod's timeline: the pod worker's phases on top, incidents under them, then one lane per kind
// of event with a tick at each event's time, the kubelet's crashes and restarts across all of them,
// and a minimap of the whole pod below. Wheel zooms, a drag zooms to the span dragged over, a click
// on a phase zooms to it, the minimap's brush pans; hover a tick for its message and key/values,
// click it for the detail pane. A log without times (a trace pasted from a terminal) is drawn by
// line number instead. A busy pod's lanes show the density of all its events (per bucket, coloured
// by its worst severity) under the ticks of the window's events loaded.
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { brushX, scaleLinear, scaleUtc, select, type D3BrushEvent } from 'd3';
import type { IncidentView, PodEventDensity, PodView, ViewPoint } from '../../../api/types.js';
import { LineAxis, TimeAxis } from '../components/TimeAxis.js';
import { hoverTip, type TipState } from '../components/Tooltip.js';
import { useSize } from '../hooks.js';
import { valueText } from '../kv.js';
import { LANES, laneLabel, phaseColor, severityColor } from '../theme.js';
import { clockUs } from '../time.js';
import { boundaryWords, incidentTitle } from '../words.js';
import { phaseLength } from './phase-length.js';
import { beganBeforeLog } from '../../../../lifecycle/open-end.js';
import { useTimeZoom } from '../overview/useTimeZoom.js';
import type { Domain } from '../overview/window.js';
import { Minimap } from './Minimap.js';
import { eventId } from './selection.js';

const LABEL_W = 110;
const AXIS_H = 26;
const PHASE_H = 30;
const INCIDENT_H = 18;
const LANE_H = 22;

type Event = PodView['events'][number];

/** Where a point sits on the axis: its time, or its line for a log without times. */
export type Position = (p: ViewPoint) => number | undefined;

export const positionOf = (pod: PodView): { byLine: boolean; pos: Position } => (pod.first.timeUs === undefined ? { byLine: true, pos: (p) => p.line } : { byLine: false, pos: (p) => p.timeUs });

export function podSpan(pod: PodView, pos: Position, minSpan: number): Domain | null {
  const at = [pod.first, pod.last, ...pod.phases.flatMap((p) => [p.start, p.end]), ...pod.events].map((p) => (p ? pos(p) : undefined)).filter((t): t is number => t !== undefined);
  if (!at.length) return null;
  // a loop, not Math.min(...at): a pod that lives through the whole log can have 100k+ events
  let a = Infinity;
  let b = -Infinity;
  for (const t of at) {
    if (t < a) a = t;
    if (t > b) b = t;
  }
  const span = Math.max(b - a, minSpan);
  return [a - span * 0.03, a + span * 1.03];
}

/** A phase's span on the axis: from its start to its end (an open one: where the log or its kubelet stopped). */
export function phaseSpan(p: PodView['phases'][number], pos: Position, lastPos: number | undefined): Domain | null {
  const start = pos(p.start);
  if (start === undefined) return null;
  return [start, pos(p.end) ?? lastPos ?? start];
}

/** A span with a little air around it, never narrower than `minSpan`. */
export function zoomTo([a, b]: Domain, minSpan: number): Domain {
  const span = Math.max(b - a, minSpan);
  const mid = (a + b) / 2;
  return [mid - span * 0.55, mid + span * 0.55];
}

/** An incident's tooltip: its title and severity, what it was, where. */
const incidentTip = (a: IncidentView): ReactNode => (
  <div>
    <div className="tip-title sev-e">
      {incidentTitle(a.kind)} · {a.severity}
      {a.lines > 1 ? ` · ${a.lines} lines` : ''}
    </div>
    <div>{a.detail}</div>
    <div className="mono dim">
      {a.timeUs !== undefined ? `${clockUs(a.timeUs)} UTC · ` : ''}line {a.line}
    </div>
  </div>
);

export function PodTimeline({
  pod,
  kubelet,
  density = null,
  window: win,
  onWindow,
  selected,
  onSelect,
  onTip,
}: {
  pod: PodView;
  /** The kubelet's crashes and restarts while the pod lived. */
  kubelet: IncidentView[];
  /** A busy pod's events counted per lane and bucket (its `events` are then only the window's loaded). */
  density?: PodEventDensity | null;
  /** The window shown, null for the whole pod; by time or, for a log without times, by line. */
  window: Domain | null;
  onWindow: (d: Domain | null) => void;
  selected: string | null;
  onSelect: (id: string) => void;
  onTip: (t: TipState | null) => void;
}): ReactNode {
  const [ref, size] = useSize<HTMLDivElement>();
  const svgRef = useRef<SVGSVGElement>(null);
  const { byLine, pos } = positionOf(pod);
  const minSpan = byLine ? 4 : 1000;
  const full = useMemo(() => podSpan(pod, pos, byLine ? 10 : 100_000), [pod]);
  const width = Math.max(0, size.width - LABEL_W);
  // the wheel zooms; a drag is the brush's (drag-to-zoom), panning is the minimap's
  const domain = useTimeZoom(svgRef, { full, current: win, width, onCommit: onWindow, minSpan, filter: (e) => e.type === 'wheel' });
  const [d0, d1] = domain ?? [0, 1];
  const axis = useMemo(() => {
    if (byLine) {
      const s = scaleLinear().domain([d0, d1]).range([0, width]);
      return { at: (v: number) => s(v), node: <LineAxis scale={s} y={AXIS_H - 4} /> };
    }
    const s = scaleUtc()
      .domain([d0 / 1000, d1 / 1000])
      .range([0, width]);
    return { at: (v: number) => s(new Date(v / 1000)), node: <TimeAxis scale={s} y={AXIS_H - 4} /> };
  }, [byLine, d0, d1, width]);
  const at = axis.at;

  const lanes = useMemo(() => {
    const by = new Map<string, Event[]>();
    for (const e of pod.events) {
      const k = e.lane ?? 'other';
      let l = by.get(k);
      if (!l) by.set(k, (l = []));
      l.push(e);
    }
    const counted = new Map(density?.lanes.map((l) => [l.lane ?? 'other', l]) ?? []);
    return LANES.filter((l) => l.lane !== 'other' || by.has('other') || counted.has('other')).map((l) => {
      const c = counted.get(l.lane);
      return { ...l, events: by.get(l.lane) ?? [], total: density ? (c?.events ?? 0) : (by.get(l.lane)?.length ?? 0), buckets: c?.buckets ?? [] };
    });
  }, [pod, density]);
  /** The fullest bucket of any lane: bar heights are relative to it. */
  const densest = useMemo(() => Math.max(1, ...(density?.lanes.flatMap((l) => l.buckets.map((b) => b[1])) ?? [])), [density]);
  const untimed = byLine ? 0 : pod.events.filter((e) => e.timeUs === undefined).length;
  const lastPos = pos(pod.last);
  const sel = pod.events.find((e) => eventId(e) === selected);
  const selPos = sel ? pos(sel) : undefined;
  const top = AXIS_H + PHASE_H + INCIDENT_H;
  const height = top + lanes.length * LANE_H + 4;

  // drag-to-zoom: a brush over the plot, cleared once its span is the window
  const brushRef = useRef<SVGGElement>(null);
  const live = useRef({ d0, d1, width, onWindow, minSpan });
  live.current = { d0, d1, width, onWindow, minSpan };
  useEffect(() => {
    const g = brushRef.current;
    if (!g || width <= 0) return;
    const b = brushX<unknown>()
      .extent([
        [0, AXIS_H],
        [width, height],
      ])
      .on('end', (e: D3BrushEvent<unknown>) => {
        if (!e.sourceEvent) return;
        const s = e.selection as [number, number] | null;
        select(g).call(b.move, null);
        if (!s || s[1] - s[0] < 4) return;
        const { d0: a, d1: z, width: w, onWindow: commit, minSpan: least } = live.current;
        const at = (px: number): number => a + (px / w) * (z - a);
        const lo = at(s[0]);
        const hi = Math.max(at(s[1]), lo + least);
        commit([lo, hi]);
      });
    select(g).call(b);
    return () => {
      select(g).on('.brush', null);
    };
  }, [width, height]);
  const phaseSpans = useMemo(
    () => pod.phases.flatMap((p) => {
      const s = phaseSpan(p, pos, lastPos);
      return s ? [{ phase: p.phase, start: s[0], end: s[1] }] : [];
    }),
    [pod],
  );
  // the minimap's density: every event, or a busy pod's buckets
  const eventPositions = useMemo<Array<[number, number]>>(
    () =>
      density && density.fromUs !== null
        ? density.lanes.flatMap((l) => l.buckets.map(([i, n]): [number, number] => [density.fromUs! + (i + 0.5) * density.bucketUs, n]))
        : pod.events.flatMap((e): Array<[number, number]> => (pos(e) === undefined ? [] : [[pos(e)!, 1]])),
    [pod, density],
  );
  const marks = kubelet.flatMap((k) => (pos(k) === undefined ? [] : [{ k, at: pos(k)! }]));

  const eventTip = (e: Event): ReactNode => (
    <div>
      <div className="tip-title" style={{ color: severityColor(e.severity) }}>
        {e.msg}
      </div>
      <div className="mono dim">
        {e.timeUs !== undefined ? `${clockUs(e.timeUs)} UTC` : 'no time'} · line {e.line} · {laneLabel(e.lane)} lane
      </div>
      {Object.keys(e.kv).length ? (
        <table className="tip-table kv-table">
          <tbody>
            {Object.entries(e.kv)
              .slice(0, 14)
              .map(([k, v]) => (
                <tr key={k}>
                  <td className="mono">{k}</td>
                  <td className="mono">{valueText(v).slice(0, 300)}</td>
                </tr>
              ))}
          </tbody>
        </table>
      ) : null}
      <div className="dim">click for its details and the raw log</div>
    </div>
  );

  return (
    <div className="timeline" ref={ref} data-testid="pod-timeline">
      {width > 0 && domain ? (
        <svg width={size.width} height={height} ref={svgRef} className="timeline-svg" data-window={win ? `${Math.round(win[0])}:${Math.round(win[1])}` : ''}>
          <g transform={`translate(${LABEL_W},0)`}>{axis.node}</g>
          {byLine ? (
            <text x={4} y={12} className="lane-label dim">
              no times: by line
            </text>
          ) : null}
          <text x={4} y={AXIS_H + PHASE_H / 2 + 4} className="lane-label">
            phases
          </text>
          <text x={4} y={AXIS_H + PHASE_H + INCIDENT_H / 2 + 4} className="lane-label">
            incidents
          </text>
          {lanes.map((l, i) => (
            <g key={l.lane} transform={`translate(0,${top + i * LANE_H})`} className={l.total ? 'lane' : 'lane lane-empty'} data-lane={l.lane} data-events={l.events.length} data-total={l.total}>
              <rect x={0} y={0} width={size.width} height={LANE_H} className={i % 2 ? 'lane-bg odd' : 'lane-bg'} />
              <text x={4} y={LANE_H / 2 + 4} className="lane-label">
                {l.label} {l.total ? <tspan className="dim">({l.total.toLocaleString()})</tspan> : null}
              </text>
            </g>
          ))}
          <svg x={LABEL_W} y={0} width={width} height={height} className="plot">
            <g ref={brushRef} className="zoom-brush" data-testid="zoom-brush" />
            {pod.phases.map((p, i) => {
              const start = pos(p.start);
              if (start === undefined) return null;
              const end = pos(p.end) ?? lastPos ?? start;
              const x0 = at(start);
              const x1 = at(end);
              const w = Math.max(2, x1 - x0);
              const label = `${p.phase} ${phaseLength(p)}`;
              const grace = !byLine && p.phase === 'terminating' && p.gracePeriodS !== undefined ? at(start + p.gracePeriodS * 1e6) : null;
              return (
                <g
                  key={i}
                  data-testid="phase"
                  data-phase={p.phase}
                  data-open={p.open}
                  data-began-before-log={beganBeforeLog(p)}
                  data-evidence={p.evidence}
                  data-start-line={p.start.line}
                  data-end-line={p.end.line}
                  data-end-by={p.endBy.evidence}
                  data-label={label}
                  {...hoverTip(onTip, () => (
                    <div>
                      <div className="tip-title">
                        {p.phase}
                        {beganBeforeLog(p) ? ' (began before the log)' : ''}
                        {p.open ? ' (still open)' : ''}
                      </div>
                      {byLine ? null : (
                        <div>
                          {p.start.timeUs !== undefined ? clockUs(p.start.timeUs) : '?'} → {p.end.timeUs !== undefined ? clockUs(p.end.timeUs) : '?'}
                        </div>
                      )}
                      <div>{phaseLength(p)}</div>
                      <div className="dim">
                        lines {p.start.line}–{p.end.line} · start: {boundaryWords(p.startBy, 'start')} · end: {boundaryWords(p.endBy, 'end')} · {p.calls} call{p.calls === 1 ? '' : 's'}
                        {p.gracePeriodS !== undefined ? ` · grace period ${p.gracePeriodS}s` : ''}
                      </div>
                      <div className="dim">click to zoom to it</div>
                    </div>
                  ))}
                  onClick={() => onWindow(zoomTo([start, end], minSpan))}
                  className="phase-bar"
                >
                  <rect
                    x={x0}
                    y={AXIS_H + 4}
                    width={w}
                    height={PHASE_H - 8}
                    style={{ fill: phaseColor(p.phase) }}
                    className={`phase${p.open ? ' phase-open' : ''}${p.evidence === 'exact' ? '' : ' phase-inferred'}`}
                  />
                  {p.open ? <path d={`M${x0 + w},${AXIS_H + 2} l6,${(PHASE_H - 4) / 2} l-6,${(PHASE_H - 4) / 2} z`} style={{ fill: phaseColor(p.phase) }} className="phase-open-end" /> : null}
                  {/* the log begins inside it: its start points back past the first line */}
                  {beganBeforeLog(p) ? <path d={`M${x0},${AXIS_H + 2} l-6,${(PHASE_H - 4) / 2} l6,${(PHASE_H - 4) / 2} z`} style={{ fill: phaseColor(p.phase) }} className="phase-open-start" /> : null}
                  {w > label.length * 6.5 + 8 ? (
                    <text x={x0 + 5} y={AXIS_H + PHASE_H / 2 + 4} className="phase-label">
                      {label}
                    </text>
                  ) : null}
                  {grace !== null ? <line x1={grace} x2={grace} y1={AXIS_H + 1} y2={AXIS_H + PHASE_H - 1} className="grace-line" /> : null}
                </g>
              );
            })}
            {pod.incidents.map((a, i) =>
              pos(a) === undefined ? null : (
                <path
                  key={i}
                  data-testid="incident"
                  data-incident-kind={a.kind}
                  data-severity={a.severity}
                  data-line={a.line}
                  d={`M${at(pos(a)!)},${AXIS_H + PHASE_H + 2} l6,11 l-12,0 z`}
                  className={`incident-mark sev-${a.severity}`}
                  {...hoverTip(onTip, () => incidentTip(a))}
                  onClick={() => onSelect(eventId(a))}
                />
              ),
            )}
            {density && density.fromUs !== null
              ? lanes.map((l, i) => (
                  <g key={`d${l.lane}`} transform={`translate(0,${top + i * LANE_H})`} data-testid="lane-density" data-lane={l.lane}>
                    {l.buckets.map(([b, n, warnings, errors]) => {
                      const x0 = at(density.fromUs! + b * density.bucketUs);
                      const x1 = at(density.fromUs! + (b + 1) * density.bucketUs);
                      if (x1 < 0 || x0 > width) return null;
                      // errors stay visible however many events share their bucket
                      const h = Math.max(3, (n / densest) * (LANE_H - 4));
                      return (
                        <rect
                          key={b}
                          x={x0}
                          width={Math.max(1, x1 - x0 - 0.5)}
                          y={LANE_H - 2 - h}
                          height={h}
                          className="density-bar"
                          style={{ fill: severityColor(errors ? 'E' : warnings ? 'W' : 'I') }}
                          {...hoverTip(onTip, () => (
                            <div>
                              <div className="tip-title">
                                {n.toLocaleString()} {l.label} event{n === 1 ? '' : 's'}
                              </div>
                              {errors || warnings ? <div>{[errors ? `${errors} errors` : '', warnings ? `${warnings} warnings` : ''].filter(Boolean).join(', ')}</div> : null}
                              <div className="mono dim">from {clockUs(density.fromUs! + b * density.bucketUs)} UTC</div>
                              <div className="dim">drag over it or wheel to zoom: a narrow window shows each event</div>
                            </div>
                          ))}
                        />
                      );
                    })}
                  </g>
                ))
              : null}
            {lanes.map((l, i) => (
              <g key={l.lane} transform={`translate(0,${top + i * LANE_H})`}>
                {l.events.map((e) => {
                  const p = pos(e);
                  if (p === undefined) return null;
                  const id = eventId(e);
                  const xe = at(p);
                  return (
                    <g
                      key={id}
                      className={`tick${id === selected ? ' tick-selected' : ''}`}
                      data-testid="event-tick"
                      data-event={id}
                      {...hoverTip(onTip, () => eventTip(e))}
                      onClick={() => onSelect(id)}
                    >
                      <rect x={xe - 4} y={0} width={8} height={LANE_H} className="tick-hit" />
                      <line x1={xe} x2={xe} y1={4} y2={LANE_H - 4} style={{ stroke: severityColor(e.severity) }} />
                    </g>
                  );
                })}
              </g>
            ))}
            {marks.map(({ k, at: t }, i, all) => (
              <g
                key={`k${i}`}
                data-testid="kubelet-mark"
                data-kind={k.kind}
                data-line={k.line}
                className={`kubelet-mark sev-${k.severity}`}
                {...hoverTip(onTip, () => incidentTip(k))}
                onClick={() => onSelect(eventId(k))}
              >
                <line x1={at(t)} x2={at(t)} y1={AXIS_H} y2={height} className="kubelet-line" />
                <rect x={at(t) - 4} y={AXIS_H} width={8} height={height - AXIS_H} className="tick-hit" />
                {/* a label where the next mark leaves room for it (the tooltip names each) */}
                {i + 1 < all.length && at(all[i + 1]!.at) - at(t) < 100 ? null : (
                  <text x={at(t) + 3} y={AXIS_H + PHASE_H + INCIDENT_H - 3} className="kubelet-label">
                    {incidentTitle(k.kind)}
                  </text>
                )}
              </g>
            ))}
            {selPos !== undefined ? <line x1={at(selPos)} x2={at(selPos)} y1={AXIS_H} y2={height} className="selected-guide" /> : null}
          </svg>
        </svg>
      ) : null}
      {width > 0 && domain && full ? (
        <div className="minimap-row" style={{ paddingLeft: LABEL_W }}>
          <Minimap width={width} full={full} current={domain} events={eventPositions} phases={phaseSpans} marks={marks.map((m) => m.at)} onWindow={onWindow} />
        </div>
      ) : null}
      {untimed ? <div className="dim">{untimed} events have no time and are only in the table below.</div> : null}
      <div className="dim hint">
        Wheel to zoom, drag over the timeline to zoom to that span, click a phase to zoom to it; drag the window on the strip below to pan. j/k or arrows move between events, Enter opens one, Escape closes it.{' '}
        <button type="button" className="linklike" disabled={!win} onClick={() => onWindow(null)} data-testid="timeline-reset">
          Whole pod
        </button>
      </div>
    </div>
  );
}

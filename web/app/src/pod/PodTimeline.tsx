// A pod's timeline: the pod worker's phases on top, incidents under them, then one lane per kind
// of event with a tick at each event's time. Wheel zooms, drag pans; hover a tick for its message
// and key/values, click it for the raw log. A log without times (a trace pasted from a terminal)
// is drawn by line number instead.
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { scaleLinear, scaleUtc } from 'd3';
import type { PodView, ViewPoint } from '../../../api/types.js';
import { LineAxis, TimeAxis } from '../components/TimeAxis.js';
import { hoverTip, type TipState } from '../components/Tooltip.js';
import { useSize } from '../hooks.js';
import { valueText } from '../kv.js';
import { INCIDENT_COLOR, LANES, phaseColor, severityColor } from '../theme.js';
import { clockUs } from '../time.js';
import { phaseLength } from './phase-length.js';
import { useTimeZoom } from '../overview/useTimeZoom.js';
import type { Domain } from '../overview/window.js';
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

export function PodTimeline({
  pod,
  window: win,
  onWindow,
  selected,
  onSelect,
  onTip,
}: {
  pod: PodView;
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
  // a window by time lives in the URL; one by line numbers only here (the URL's window is a time)
  const [lineWindow, setLineWindow] = useState<Domain | null>(null);
  const domain = useTimeZoom(svgRef, { full, current: byLine ? lineWindow : win, width, onCommit: byLine ? setLineWindow : onWindow, minSpan });
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
    return LANES.filter((l) => l.lane !== 'other' || by.has('other')).map((l) => ({ ...l, events: by.get(l.lane) ?? [] }));
  }, [pod]);
  const untimed = byLine ? 0 : pod.events.filter((e) => e.timeUs === undefined).length;
  const lastPos = pos(pod.last);
  const sel = pod.events.find((e) => eventId(e) === selected);
  const selPos = sel ? pos(sel) : undefined;
  const top = AXIS_H + PHASE_H + INCIDENT_H;
  const height = top + lanes.length * LANE_H + 4;

  const eventTip = (e: Event): ReactNode => (
    <div>
      <div className="tip-title" style={{ color: severityColor(e.severity) }}>
        {e.msg}
      </div>
      <div className="mono dim">
        {e.timeUs !== undefined ? `${clockUs(e.timeUs)} UTC` : 'no time'} · line {e.line} · {e.lane ?? 'other'} · {e.kind}
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
      <div className="dim">click for the raw log</div>
    </div>
  );

  return (
    <div className="timeline" ref={ref} data-testid="pod-timeline">
      {width > 0 && domain ? (
        <svg width={size.width} height={height} ref={svgRef} className="timeline-svg">
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
            <g key={l.lane} transform={`translate(0,${top + i * LANE_H})`} className={l.events.length ? 'lane' : 'lane lane-empty'} data-lane={l.lane} data-events={l.events.length}>
              <rect x={0} y={0} width={size.width} height={LANE_H} className={i % 2 ? 'lane-bg odd' : 'lane-bg'} />
              <text x={4} y={LANE_H / 2 + 4} className="lane-label">
                {l.label} {l.events.length ? <tspan className="dim">({l.events.length})</tspan> : null}
              </text>
            </g>
          ))}
          <svg x={LABEL_W} y={0} width={width} height={height} className="plot">
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
                  data-evidence={p.evidence}
                  data-start-line={p.start.line}
                  data-end-line={p.end.line}
                  data-end-by={p.endBy.evidence}
                  {...hoverTip(onTip, () => (
                    <div>
                      <div className="tip-title">{p.phase}</div>
                      {byLine ? null : (
                        <div>
                          {p.start.timeUs !== undefined ? clockUs(p.start.timeUs) : '?'} → {p.end.timeUs !== undefined ? clockUs(p.end.timeUs) : '?'}
                        </div>
                      )}
                      <div>{phaseLength(p)}</div>
                      <div className="dim">
                        lines {p.start.line}–{p.end.line} · {p.startBy.evidence}
                        {p.startBy.by ? ` (${p.startBy.by})` : ''} → {p.endBy.evidence}
                        {p.endBy.by ? ` (${p.endBy.by})` : ''} · {p.calls} call{p.calls === 1 ? '' : 's'}
                        {p.gracePeriodS !== undefined ? ` · grace period ${p.gracePeriodS}s` : ''}
                      </div>
                    </div>
                  ))}
                  onClick={() => onSelect(eventId(p.start))}
                >
                  <rect
                    x={x0}
                    y={AXIS_H + 4}
                    width={w}
                    height={PHASE_H - 8}
                    fill={phaseColor(p.phase)}
                    className={`phase${p.open ? ' phase-open' : ''}${p.evidence === 'exact' ? '' : ' phase-inferred'}`}
                  />
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
                  fill={INCIDENT_COLOR}
                  className={`incident-mark sev-${a.severity}`}
                  {...hoverTip(onTip, () => (
                    <div>
                      <div className="tip-title sev-e">
                        {a.kind} · {a.severity}
                        {a.lines > 1 ? ` · ${a.lines} lines` : ''}
                      </div>
                      <div>{a.detail}</div>
                      <div className="mono dim">
                        {a.timeUs !== undefined ? `${clockUs(a.timeUs)} UTC · ` : ''}line {a.line}
                      </div>
                    </div>
                  ))}
                  onClick={() => onSelect(eventId(a))}
                />
              ),
            )}
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
                      <line x1={xe} x2={xe} y1={4} y2={LANE_H - 4} stroke={severityColor(e.severity)} />
                    </g>
                  );
                })}
              </g>
            ))}
            {selPos !== undefined ? <line x1={at(selPos)} x2={at(selPos)} y1={AXIS_H} y2={height} className="selected-guide" /> : null}
          </svg>
        </svg>
      ) : null}
      {untimed ? <div className="dim">{untimed} events have no time and are only in the table below.</div> : null}
      <div className="dim hint">
        Wheel to zoom, drag to pan.{' '}
        <button type="button" className="linklike" disabled={!(byLine ? lineWindow : win)} onClick={() => (byLine ? setLineWindow(null) : onWindow(null))} data-testid="timeline-reset">
          Whole pod
        </button>
      </div>
    </div>
  );
}

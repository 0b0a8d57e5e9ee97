// `kubelog pod` in a terminal: header, phase bars scaled to the width, incidents, then the events
// with times relative to the pod's first record. Pure: a view and a width in, text out.
import type { EventView, PhaseView, PodView, ViewPoint } from '../../lifecycle/view.js';
import { titleOf } from '../../lifecycle/incident-rules.js';
import { formatIsoUs } from '../../parser/time.js';
import { paint, type Palette } from './color.js';
import { safeText, terminalSafe } from './terminal-text.js';
import { beganBeforeLog, lengthIsLowerBound, openEndWords } from '../../lifecycle/open-end.js';
import { breakdownBars } from './render-breakdown.js';

export interface RenderOptions {
  width: number;
  color: boolean;
  raw: boolean;
}

/** Relative time `+12.345s`, or the record's line when the log has no times. */
export function rel(p: ViewPoint, origin: ViewPoint): string {
  if (p.timeUs !== undefined && origin.timeUs !== undefined) return `+${((p.timeUs - origin.timeUs) / 1e6).toFixed(3)}s`;
  return `L${p.line}`;
}

export function formatDuration(us: number | null): string {
  if (us === null) return '—';
  const s = us / 1e6;
  if (s < 1) return `${(us / 1000).toFixed(1)}ms`;
  if (s < 120) return `${s.toFixed(s < 10 ? 3 : 1)}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${(s / 3600).toFixed(1)}h`;
}

/** Position on the pod's own axis: time when every point has one, else the line number. */
function axis(view: PodView): (p: ViewPoint) => number {
  const timed = view.first.timeUs !== undefined && view.last.timeUs !== undefined;
  return timed ? (p) => p.timeUs ?? view.first.timeUs! : (p) => p.line;
}

export function renderPod(view: PodView, o: RenderOptions): string {
  return renderPodHead(view, view.events.length, o) + view.events.map((e) => renderPodEvent(e, view.first, o)).join('');
}

/** Everything above the events (the view's own, if any, are not read), down to their title: `events` of them follow (renderPodEvent). */
export function renderPodHead(view: PodView, events: number, o: RenderOptions): string {
  const c = paint(o.color);
  const out: string[] = [];
  // names, UIDs, workloads and nodes all come from the log
  const title = safeText(view.name ? `${view.namespace ? `${view.namespace}/` : ''}${view.name}` : view.key);
  const uid = view.uid === null ? c.dim('(not in the log)') : safeText(view.uid);
  out.push(`${c.bold(title)}  ${c.dim('uid')} ${uid}${view.static ? c.dim('  static pod') : ''}${view.mirrorOf ? c.dim(`  mirror of static pod ${safeText(view.mirrorOf)}`) : ''}`);
  const facts: string[] = [];
  if (view.workload) facts.push(`workload ${safeText(view.workload)}`);
  if (view.node) facts.push(`node ${safeText(view.node)}`);
  if (view.first.timeUs !== undefined) facts.push(`${formatIsoUs(view.first.timeUs)} → ${formatIsoUs(view.last.timeUs ?? view.first.timeUs)}`);
  facts.push(`${events} records`, view.exact ? 'boundaries from enter/exit lines' : 'boundaries inferred (no enter/exit lines: -v<4)');
  out.push(c.dim(facts.join('  ·  ')));
  out.push(`${c.dim('state')} ${stateText(view, c)}`);
  out.push('');
  out.push(...phaseBars(view, o, c));
  if (view.finished) out.push(`${'finished'.padEnd(12)} ${rel(view.finished, view.first).padStart(12)}  ${c.dim(view.finished.evidence)}`);
  out.push('');
  const steps = breakdownBars(view, barColumn(view, o.width), c);
  if (steps.length > 0) out.push(...steps, '');
  if (view.incidents.length > 0) {
    out.push(c.bold('incidents'));
    for (const a of view.incidents) {
      const sev = a.severity === 'critical' || a.severity === 'error' ? c.red : a.severity === 'warning' ? c.yellow : c.dim;
      const lines = a.lines > 1 ? c.dim(` (${a.lines} lines)`) : '';
      out.push(`  ${rel(a, view.first).padStart(12)}  ${sev(`${a.severity.padEnd(8)} ${titleOf(a.kind).padEnd(28)}`)}${a.subject ? ` ${safeText(a.subject)}:` : ''} ${clip(a.detail, o.width - 60)}${lines}`);
    }
    out.push('');
  }
  out.push(c.bold('events'));
  return terminalSafe(out.join('\n') + '\n');
}

/** One event's line (and with `raw`, its log lines), its time relative to the pod's first record. */
export function renderPodEvent(e: EventView, first: ViewPoint, o: RenderOptions): string {
  const c = paint(o.color);
  const sev = e.severity === 'E' || e.severity === 'F' ? c.red(e.severity) : e.severity === 'W' ? c.yellow(e.severity) : c.dim(e.severity ?? ' ');
  const out = [`  ${rel(e, first).padStart(12)} ${sev} ${c.cyan((e.lane ?? '·').padEnd(8))} ${clip(e.msg, o.width - 28)}`];
  if (o.raw && e.raw) for (const line of e.raw.split('\n')) out.push(c.dim(`      ${clip(line, o.width - 6)}`));
  return terminalSafe(out.join('\n') + '\n');
}

/** What a pod's record ends in, in words: a stuck teardown is the finding, a running pod is not. */
function stateText(view: PodView, c: Palette): string {
  const last = view.phases[view.phases.length - 1];
  const until = last?.open ? ` (${untilText(last)})` : '';
  switch (view.state) {
    case 'stuck-terminating':
      return c.red(`stuck terminating${until}`);
    case 'terminating':
      return c.yellow(`terminating${until}`);
    case 'running':
      return c.green(`running${until}`);
    case 'terminated':
      return `cleaning up${until}`;
    case 'rejected':
      return c.red('rejected at admission: it never ran');
    case 'mirror':
      return c.dim("mirror pod: the API's copy of a static pod (the kubelet runs the static pod)");
    case 'orphan':
      return c.dim('leftovers cleaned up: the pod itself is not in the log');
    case 'unknown':
      return c.dim('no phase in the log');
    default:
      return view.state;
  }
}

/** Where an open phase's record stops. */
const untilText = (ph: PhaseView): string => `when ${openEndWords(ph.endBy.evidence)}`;

/** A phase's length: `≥ 40m12s` when the log (or its kubelet) ended inside it, or the log began inside it. */
export function phaseLength(ph: Pick<PhaseView, 'durationUs' | 'open' | 'startBy'>): string {
  const d = formatDuration(ph.durationUs);
  return lengthIsLowerBound(ph) && ph.durationUs !== null ? `≥ ${d}` : d;
}

/** Where a point falls on the bars' columns: the pod's whole record across the width left of the labels. */
export function barColumn(view: PodView, width: number): (p: ViewPoint) => number {
  const pos = axis(view);
  const lo = pos(view.first);
  const hi = Math.max(pos(view.last), ...view.phases.map((ph) => pos(ph.end)), lo + 1);
  const label = 58;
  const barWidth = Math.max(10, width - label - 2);
  return (p: ViewPoint) => Math.round(((pos(p) - lo) / (hi - lo)) * (barWidth - 1));
}

function phaseBars(view: PodView, o: RenderOptions, c: Palette): string[] {
  const col = barColumn(view, o.width);
  const rows = [`${c.dim('phase'.padEnd(12))} ${c.dim('start'.padStart(12))} ${c.dim('duration'.padStart(11))} ${c.dim('evidence'.padEnd(9))} ${c.dim('ends'.padEnd(10))}`];
  for (const ph of view.phases) {
    const a = col(ph.start);
    const b = col(ph.end);
    // an open phase's bar fades where the record of it stops; one the log begins inside fades in
    const solid = Math.max(1, b - a + 1);
    const before = beganBeforeLog(ph) ? Math.min(2, solid - 1) : 0;
    const bar = ' '.repeat(a) + '▒'.repeat(before) + '█'.repeat(solid - before) + (ph.open ? '▒▒' : '');
    const colour = ph.phase === 'sync' ? c.green : ph.phase === 'terminating' ? c.yellow : c.blue;
    const evid = ph.evidence + (ph.calls > 1 ? ` ×${ph.calls}` : '');
    const ends = ph.open ? untilText(ph).replace('when the ', '').replace(' ends', ' end') : ph.endBy.evidence;
    // `≤`: the phase began at the log's first line or before it
    const start = `${beganBeforeLog(ph) ? '≤ ' : ''}${rel(ph.start, view.first)}`;
    rows.push(`${ph.phase.padEnd(12)} ${start.padStart(12)} ${phaseLength(ph).padStart(11)} ${evid.padEnd(9)} ${ends.padEnd(10)} ${colour(bar)}`);
  }
  if (view.phases.length === 0) rows.push(c.dim('(no phase boundaries in the log for this pod)'));
  return rows;
}

/** One line of log text, control characters neutralised (log text must not drive the terminal). */
function clip(s: string, n: number): string {
  const one = safeText(s.replace(/\n/g, '⏎'));
  return one.length > n ? one.slice(0, Math.max(0, n - 1)) + '…' : one;
}

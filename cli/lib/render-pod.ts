// `kubelog pod` in a terminal: header, phase bars scaled to the width, anomalies, then the events
// with times relative to the pod's first record. Pure: a view and a width in, text out.
import type { PodView, ViewPoint } from '../../lifecycle/view.js';
import { formatIsoUs } from '../../parser/time.js';
import { paint, type Palette } from './color.js';
import { safeText, terminalSafe } from './terminal-text.js';

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
  facts.push(`${view.events.length} records`, view.exact ? 'boundaries from enter/exit lines' : 'boundaries inferred (no enter/exit lines: -v<4)');
  out.push(c.dim(facts.join('  ·  ')));
  out.push('');
  out.push(...phaseBars(view, o, c));
  if (view.finished) out.push(`${'finished'.padEnd(12)} ${rel(view.finished, view.first).padStart(12)}  ${c.dim(view.finished.evidence)}`);
  out.push('');
  if (view.anomalies.length > 0) {
    out.push(c.bold('anomalies'));
    for (const a of view.anomalies) out.push(`  ${rel(a, view.first).padStart(12)}  ${c.red(a.kind.padEnd(22))} ${clip(a.detail, o.width - 40)}`);
    out.push('');
  }
  out.push(c.bold('events'));
  for (const e of view.events) {
    const sev = e.severity === 'E' || e.severity === 'F' ? c.red(e.severity) : e.severity === 'W' ? c.yellow(e.severity) : c.dim(e.severity ?? ' ');
    out.push(`  ${rel(e, view.first).padStart(12)} ${sev} ${c.cyan((e.lane ?? '·').padEnd(8))} ${clip(e.msg, o.width - 28)}`);
    if (o.raw && e.raw) for (const line of e.raw.split('\n')) out.push(c.dim(`      ${clip(line, o.width - 6)}`));
  }
  return terminalSafe(out.join('\n') + '\n');
}

function phaseBars(view: PodView, o: RenderOptions, c: Palette): string[] {
  const pos = axis(view);
  const lo = pos(view.first);
  const hi = Math.max(pos(view.last), lo + 1);
  const label = 46;
  const barWidth = Math.max(10, o.width - label - 2);
  const col = (p: ViewPoint) => Math.round(((pos(p) - lo) / (hi - lo)) * (barWidth - 1));
  const rows = [`${c.dim('phase'.padEnd(12))} ${c.dim('start'.padStart(12))} ${c.dim('duration'.padStart(10))} ${c.dim('evidence'.padEnd(9))}`];
  for (const ph of view.phases) {
    const a = col(ph.start);
    const b = ph.end ? col(ph.end) : barWidth - 1;
    const bar = ' '.repeat(a) + (ph.open ? '▒' : '█').repeat(Math.max(1, b - a + 1));
    const colour = ph.phase === 'sync' ? c.green : ph.phase === 'terminating' ? c.yellow : c.blue;
    const dur = ph.open ? 'open' : formatDuration(ph.durationUs);
    const evid = ph.evidence + (ph.calls > 1 ? ` ×${ph.calls}` : '');
    rows.push(`${ph.phase.padEnd(12)} ${rel(ph.start, view.first).padStart(12)} ${dur.padStart(10)} ${evid.padEnd(9)} ${colour(bar)}`);
  }
  if (view.phases.length === 0) rows.push(c.dim('(no phase boundaries in the log for this pod)'));
  return rows;
}

/** One line of log text, control characters neutralised (log text must not drive the terminal). */
function clip(s: string, n: number): string {
  const one = safeText(s.replace(/\n/g, '⏎'));
  return one.length > n ? one.slice(0, Math.max(0, n - 1)) + '…' : one;
}

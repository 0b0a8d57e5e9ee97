// `kubelog pod`: each startup and teardown as bars nested under the phases, on the same axis; the
// steps on the critical path marked `*`. Pure: a view in, lines out.
import type { BreakdownView, PodView, StepView, ViewPoint } from '../../lifecycle/view.js';
import type { Palette } from './color.js';
import { formatDuration, rel } from './render-pod.js';
import { safeText } from './terminal-text.js';

const NAME = 24;

export function breakdownBars(view: PodView, col: (p: ViewPoint) => number, c: Palette): string[] {
  const rows: string[] = [];
  const all = [...view.startup, ...view.teardown].sort((a, b) => a.start.line - b.start.line || (a.start.source ?? 0) - (b.start.source ?? 0));
  for (const b of all) {
    rows.push(header(view, b, col, c));
    for (const s of b.steps) rows.push(stepRow(view, s, col, c));
    if (b.hidden.length > 0) rows.push(c.dim(`  not logged by this kubelet (its version and -v): ${b.hidden.join(', ')}`));
    if (b.slo) {
      const figures = [b.slo.sloS !== undefined ? `podStartSLOduration ${b.slo.sloS.toFixed(3)}s` : '', b.slo.e2eS !== undefined ? `podStartE2EDuration ${b.slo.e2eS.toFixed(3)}s` : ''].filter(Boolean);
      rows.push(c.dim(`  kubelet: ${figures.join(', ')} (L${b.slo.at.line})`));
    }
  }
  return rows;
}

function header(view: PodView, b: BreakdownView, col: (p: ViewPoint) => number, c: Palette): string {
  const name = `${b.part}${b.seq > 0 ? ` #${b.seq + 1}` : ''}`;
  // a lower bound when the log ends inside it or begins after it started (`≤` at its start)
  const length = (b.open || b.beganBefore) && b.durationUs !== null ? `≥ ${formatDuration(b.durationUs)}` : formatDuration(b.durationUs);
  const start = `${b.beganBefore ? '≤ ' : ''}${rel(b.start, view.first)}`;
  return `${c.bold(name.padEnd(NAME))} ${start.padStart(12)} ${length.padStart(11)} ${''.padEnd(17)} ${bar(b.start, b.end, col, b.open, c.bold)}`;
}

function stepRow(view: PodView, s: StepView, col: (p: ViewPoint) => number, c: Palette): string {
  const mark = s.critical ? c.red('*') : ' ';
  const name = `${s.step}${s.subject !== undefined ? ` ${s.subject}` : ''}`;
  const clipped = name.length > NAME - 3 ? `${name.slice(0, NAME - 4)}…` : name;
  const length = s.endBy === 'open' && s.durationUs !== null ? `≥ ${formatDuration(s.durationUs)}` : formatDuration(s.durationUs);
  const how = `${s.startBy}/${s.endBy}`;
  const notes: string[] = [];
  if (s.present) notes.push('already present');
  if (s.pullUs !== undefined) notes.push(`pull ${formatDuration(s.pullUs)}`);
  if (s.gracePeriodS !== undefined) notes.push(`grace ${s.gracePeriodS}s`);
  if (s.exitCode !== undefined) notes.push(`exit ${s.exitCode}`);
  if (s.sigkill) notes.push('SIGKILL');
  const colour = s.critical ? c.yellow : c.dim;
  const tail = notes.length ? c.dim(`  ${notes.join(', ')}`) : '';
  return `${mark} ${safeText(clipped).padEnd(NAME - 2)} ${rel(s.start, view.first).padStart(12)} ${length.padStart(11)} ${how.padEnd(17)} ${colour(bar(s.start, s.end, col, s.endBy === 'open', (x) => x))}${tail}`;
}

function bar(start: ViewPoint, end: ViewPoint, col: (p: ViewPoint) => number, open: boolean, paint: (s: string) => string): string {
  const a = col(start);
  const b = col(end);
  return ' '.repeat(Math.max(0, a)) + paint('▆'.repeat(Math.max(1, b - a + 1)) + (open ? '▒' : ''));
}

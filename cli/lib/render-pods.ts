// `kubelog pods` as a table: name, UID, first seen, state, startup time, time in each phase, incidents. A table of any
// number of pods is written row by row: the column widths come from a first pass over the rows
// (PodsTable.measure), so neither pass holds them all.
import type { PodRow } from '../../pipeline/pods.js';
import { formatTableTime } from '../../parser/time.js';
import { lengthIsLowerBound } from '../../lifecycle/open-end.js';
import { paint, type Palette } from './color.js';
import { formatDuration } from './render-pod.js';
import { safeText, terminalSafe } from './terminal-text.js';

const HEAD = ['POD', 'UID', 'FIRST SEEN (UTC)', 'STATE', 'STARTUP', 'SYNC', 'TERMINATING', 'TERMINATED', 'INCIDENTS'];

/** Time in a phase; `≥` when the log (or its kubelet) ended inside it, or the log began inside it: a lower bound. */
function phaseCell(p: PodRow, phase: 'sync' | 'terminating' | 'terminated', total: number | null): string {
  const phases = p.phases.filter((x) => x.phase === phase);
  if (phases.length === 0) return '';
  const d = `${phases.some(lengthIsLowerBound) && total !== null ? '≥ ' : ''}${formatDuration(total)}`;
  return phases.length > 1 ? `${d} ×${phases.length}` : d;
}

/** One pod's cells, its names made safe for a terminal (they come from the log). */
function cells(p: PodRow): string[] {
  return [
    safeText(p.name ? `${p.namespace ? `${p.namespace}/` : ''}${p.name}` : p.key),
    p.uid ? safeText(p.uid.slice(0, 8)) : '—',
    p.firstUs === null ? '' : formatTableTime(p.firstUs),
    p.state,
    p.startupUs === null ? '' : `${p.startupOpen ? '≥ ' : ''}${formatDuration(p.startupUs)}`,
    phaseCell(p, 'sync', p.syncUs),
    phaseCell(p, 'terminating', p.terminatingUs),
    phaseCell(p, 'terminated', p.terminatedUs),
    safeText(p.incidentKinds.join(',')),
  ];
}

export class PodsTable {
  private readonly widths = HEAD.map((h) => h.length);
  private readonly c: Palette;

  constructor(private readonly o: { width: number; color: boolean }) {
    this.c = paint(o.color);
  }

  /** First pass: every row's cells widen the columns. */
  measure(p: PodRow): void {
    cells(p).forEach((v, i) => {
      if (v.length > this.widths[i]!) this.widths[i] = v.length;
    });
  }

  /** After measuring: the pod column gives way first on a narrow terminal. */
  private fitted(): number[] {
    const w = [...this.widths];
    const fixed = w.slice(1, 8).reduce((a, b) => a + b + 2, 0);
    w[0] = Math.max(20, Math.min(w[0]!, this.o.width - fixed - 12));
    return w;
  }

  private line(r: string[], widths: number[]): string {
    const fit = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w));
    return r.map((v, i) => (i === r.length - 1 ? v : fit(v, widths[i]!))).join('  ');
  }

  header(): string {
    return terminalSafe(this.c.bold(this.line(HEAD, this.fitted())) + '\n');
  }

  row(p: PodRow, widths = this.fitted()): string {
    const r = cells(p);
    const state = p.state === 'stuck-terminating' ? this.c.red : p.state === 'terminating' ? this.c.yellow : (s: string) => s;
    const worst = p.worstSeverity === 'critical' || p.worstSeverity === 'error' ? this.c.red : this.c.yellow;
    const fit = (v: string, w: number) => (v.length > w ? v.slice(0, w - 1) + '…' : v.padEnd(w));
    const cols = r.slice(0, 8).map((v, i) => (i === 3 ? state(fit(v, widths[i]!)) : fit(v, widths[i]!)));
    return terminalSafe(`${cols.join('  ')}${r[8] ? '  ' + worst(r[8]) : ''}`.trimEnd() + '\n');
  }

  /** Second pass: the rows, in chunks of text (a caller streams them out). */
  *rows(pods: Iterable<PodRow>): Generator<string> {
    const widths = this.fitted();
    for (const p of pods) yield this.row(p, widths);
  }

  footer(shown: number, total: number): string {
    return total > shown ? terminalSafe(this.c.dim(`… ${shown} of ${total} pods shown`) + '\n') : '';
  }
}

/** When no row is shown: what to say instead of a table. */
export function noPodsText(total: number): string {
  return total === 0 ? 'No pods match.\n' : `No pods on this page (${total} match).\n`;
}

/** A few pods at once (the candidates of an ambiguous `kubelog pod`). */
export function renderPods(pods: PodRow[], total: number, o: { width: number; color: boolean }): string {
  if (pods.length === 0) return noPodsText(total);
  const t = new PodsTable(o);
  for (const p of pods) t.measure(p);
  return t.header() + [...t.rows(pods)].join('') + t.footer(pods.length, total);
}

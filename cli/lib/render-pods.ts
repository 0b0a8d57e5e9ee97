// `kubelog pods` as a table: name, UID, first seen, time in each phase, anomalies.
import type { PodRow } from '../../store/pods.js';
import { formatIsoUs } from '../../parser/time.js';
import { paint, stripControls } from './color.js';
import { formatDuration } from './render-pod.js';

function phaseCell(p: PodRow, phase: 'sync' | 'terminating' | 'terminated', total: number | null): string {
  const phases = p.phases.filter((x) => x.phase === phase);
  if (phases.length === 0) return '';
  if (phases.some((x) => x.open)) return 'open';
  const d = formatDuration(total);
  return phases.length > 1 ? `${d} ×${phases.length}` : d;
}

export function renderPods(pods: PodRow[], total: number, o: { width: number; color: boolean }): string {
  const c = paint(o.color);
  if (pods.length === 0) return total === 0 ? 'No pods match.\n' : `No pods on this page (${total} match).\n`;
  const rows = pods.map((p) => [
    stripControls(p.name ? `${p.namespace ? `${p.namespace}/` : ''}${p.name}` : p.key),
    p.uid ? p.uid.slice(0, 8) : '—',
    p.firstUs === null ? '' : formatIsoUs(p.firstUs).slice(0, 23).replace('T', ' '),
    phaseCell(p, 'sync', p.syncUs),
    phaseCell(p, 'terminating', p.terminatingUs),
    phaseCell(p, 'terminated', p.terminatedUs),
    p.anomalyKinds.join(','),
  ]);
  const head = ['POD', 'UID', 'FIRST SEEN (UTC)', 'SYNC', 'TERMINATING', 'TERMINATED', 'ANOMALIES'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  // the pod column gives way first on a narrow terminal
  const fixed = widths.slice(1, 6).reduce((a, b) => a + b + 2, 0);
  widths[0] = Math.max(20, Math.min(widths[0]!, o.width - fixed - 12));
  const fit = (s: string, w: number) => (s.length > w ? s.slice(0, w - 1) + '…' : s.padEnd(w));
  const line = (r: string[], paintRow = (s: string) => s) => r.map((v, i) => (i === r.length - 1 ? v : fit(v, widths[i]!))).map(paintRow).join('  ');
  const out = [c.bold(line(head))];
  for (const r of rows) out.push(r[6] ? line(r.slice(0, 6)) + '  ' + c.red(r[6]) : line(r));
  if (total > pods.length) out.push(c.dim(`… ${pods.length} of ${total} pods shown`));
  return out.join('\n') + '\n';
}

// What an ingest did, for people: one line per input, the totals, the pods and the speed.
import type { Counts } from '../../ingest/ingest.js';
import type { IngestRunResult } from '../../pipeline/runs.js';
import { safeLines, safeText } from './terminal-text.js';
import { describeTimes } from './time-summary.js';

function breakdown(m: Record<string, number>): string {
  const parts = Object.entries(m)
    .filter(([, v]) => v)
    .map(([k, v]) => `${v} ${k}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function formatLineCounts(c: Counts): string {
  return `${c.linesRead} lines read: ${c.records} records in ${c.recordLines} lines, ${c.foreign} foreign${breakdown(c.foreignByKind)}, ${c.rejected} rejected${breakdown(c.rejectedByReason)}`;
}

export function renderSummary(r: IngestRunResult): string {
  const out: string[] = [];
  for (const s of r.sources) {
    const what = s.status === 'failed' ? 'failed' : s.status === 'unchanged' ? 'unchanged, nothing to add' : formatLineCounts(s.added);
    out.push(`${s.status.padEnd(11)} ${safeText(s.path)}${s.id !== null ? ` (source ${s.id})` : ''}: ${what}${s.note ? `; ${safeText(s.note)}` : ''}`);
    if (s.time) out.push(...describeTimes(s.time).map((l) => `            ${safeText(l)}`));
  }
  const t = r.totals;
  out.push(`${formatLineCounts(t)}; ${t.diagnostics} diagnostics`);
  for (const x of r.rejectedSamples) out.push(`  rejected ${safeText(x.input)}:${x.line}: ${x.code}: ${safeText(x.message)}`);
  if (t.rejected > r.rejectedSamples.length && r.rejectedSamples.length) out.push(`  … ${t.rejected - r.rejectedSamples.length} more rejected lines (table lines_other)`);
  const span = r.timeSpan.first ? `; ${r.timeSpan.first} … ${r.timeSpan.last}` : '';
  out.push(`${r.podsSeen} pods seen${span}`);
  if (r.lifecycle) {
    const l = r.lifecycle;
    out.push(`${l.pods} pod lifecycles, ${l.incidents} incidents (${l.seconds.toFixed(2)} s): kubelog pods --db ${r.db}`);
    // the kubelet's own failures come first for whoever reads the summary
    if (l.restarts || l.crashes) out.push(`the kubelet: ${[l.crashes ? `${l.crashes} crash${l.crashes === 1 ? '' : 'es'}` : '', l.restarts ? `${l.restarts} restart${l.restarts === 1 ? '' : 's'}` : ''].filter(Boolean).join(', ')}: kubelog node --db ${r.db}`);
  }
  if (r.indexes && r.indexes.blocks) out.push(`search index: ${r.indexes.blocks} blocks indexed (${r.indexes.searchSeconds.toFixed(2)} s)`);
  out.push(`${(t.contentBytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(2)} s (${r.mbPerSecond.toFixed(1)} MB/s) into ${r.db}`);
  // file names and diagnostics come from the inputs
  return safeLines(out.join('\n') + '\n');
}

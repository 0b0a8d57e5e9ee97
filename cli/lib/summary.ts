// The one-line account of what was read: every line is a record line, foreign, or rejected.
import type { ParseCounts } from '../../parser/index.js';

export function sumCounts(all: ParseCounts[]): ParseCounts {
  const t: ParseCounts = { linesRead: 0, bytesRead: 0, records: 0, recordLines: 0, foreign: 0, rejected: 0, foreignByKind: {}, rejectedByReason: {}, diagnostics: 0 };
  for (const c of all) {
    t.linesRead += c.linesRead;
    t.bytesRead += c.bytesRead;
    t.records += c.records;
    t.recordLines += c.recordLines;
    t.foreign += c.foreign;
    t.rejected += c.rejected;
    t.diagnostics += c.diagnostics;
    for (const [k, v] of Object.entries(c.foreignByKind)) t.foreignByKind[k as keyof ParseCounts['foreignByKind']] = (t.foreignByKind[k as keyof ParseCounts['foreignByKind']] ?? 0) + v;
    for (const [k, v] of Object.entries(c.rejectedByReason)) t.rejectedByReason[k as keyof ParseCounts['rejectedByReason']] = (t.rejectedByReason[k as keyof ParseCounts['rejectedByReason']] ?? 0) + v;
  }
  return t;
}

function breakdown(m: Record<string, number | undefined>): string {
  const parts = Object.entries(m).filter(([, v]) => v).map(([k, v]) => `${v} ${k}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function formatCounts(all: ParseCounts[], seconds: number): string {
  const t = sumCounts(all);
  const mb = t.bytesRead / 1e6;
  return (
    `${t.linesRead} lines read: ${t.records} records in ${t.recordLines} lines, ` +
    `${t.foreign} foreign${breakdown(t.foreignByKind)}, ${t.rejected} rejected${breakdown(t.rejectedByReason)}; ` +
    `${t.diagnostics} diagnostics; ${mb.toFixed(1)} MB in ${seconds.toFixed(2)} s`
  );
}

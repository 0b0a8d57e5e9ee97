// How an input's times were dated, for people: the year and zone assumed and why, and what in
// the log disagreed. The same words in `kubelog parse` and `kubelog ingest` summaries.
import type { TimeReport } from '../../parser/index.js';
import { safeText } from './terminal-text.js';

const YEAR_FROM = {
  option: 'from --year',
  content: 'from the log',
  'klog-file-header': "from the klog file's header",
  'journal-marker': "from the journal's marker",
  sibling: 'from another input of this node',
  mtime: "from the file's modification time: nothing in the log says (use --year)",
  clock: 'assumed, the current year: nothing in the log says (use --year)',
} as const;

const ZONE_FROM = {
  option: 'from --tz',
  content: 'from the log',
  'journal-marker': "from the journal's marker",
  sibling: 'from another input of this node',
  default: 'assumed: nothing in the log says (use --tz)',
} as const;

function where(line: number | undefined, evidence: string | undefined): string {
  if (line === undefined) return evidence === undefined ? '' : ` (${safeText(evidence)})`;
  return evidence === undefined ? ` (line ${line})` : ` (line ${line}: ${safeText(evidence)})`;
}

/** One line, then one indented line per kind of disagreement. */
export function describeTimes(t: TimeReport): string[] {
  const parts: string[] = [];
  if (t.year) parts.push(`year ${t.year.value} ${YEAR_FROM[t.year.from]}${where(t.year.line, t.year.evidence)}`);
  if (t.zone) {
    const same = t.year !== undefined && t.zone.line === t.year.line && t.zone.evidence === t.year.evidence && t.zone.from === t.year.from;
    parts.push(`zone ${safeText(t.zone.value)} ${same ? (t.zone.from === 'sibling' ? 'from that input too' : 'from the same time') : `${ZONE_FROM[t.zone.from]}${where(t.zone.line, t.zone.evidence)}`}`);
  }
  if (t.klogZone) parts.push(`klog times ${t.klogZone.transport === 'absolute' ? 'in zone' : 'at'} ${safeText(t.klogZone.value)} by their transport times (line ${t.klogZone.line})`);
  const out = [`times: ${parts.length ? parts.join(', ') : 'as the log states them, nothing assumed'}`];
  if (t.newestFirst) out.push(`  ${safeText(t.newestFirst.message)}`);
  const c = t.conflicts;
  if (c.count > 0 && c.first) out.push(`  ${c.count} ${c.count === 1 ? 'line says' : 'lines say'} otherwise, first line ${c.first.line}: ${safeText(c.first.message)}`);
  const k = t.klogOff;
  if (k.count > 0 && k.first) {
    out.push(`  ${k.count} klog ${k.count === 1 ? 'time' : 'times'} more than ${k.toleranceSeconds} s off the transport time, placed at it; first line ${k.first.line}: ${safeText(k.first.message)}`);
  }
  return out;
}

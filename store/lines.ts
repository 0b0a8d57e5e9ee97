// A stretch of one source's log as it was read: every entry (record, foreign or rejected line)
// overlapping a range of physical lines, decoded from the blocks that hold them.
import type { Db } from './db.js';
import { decodeEntries, decompressBlock, type Entry } from './codec.js';
import { LINE_BITS } from './writer.js';
import type { Severity } from '../parser/types.js';

export interface StoredLine {
  /** First physical line of the entry (a record can span several). */
  line: number;
  endLine: number;
  kind: 'record' | 'foreign' | 'rejected';
  /** Foreign kind or reject reason. */
  detail?: string;
  /** A record's klog severity (I, W, E, F), when it has one. */
  severity?: Severity;
  text: string;
}

/** Whose a record is, seen from one pod: its own, another pod's, or (absent) no pod's. */
export type LineOwner = 'this' | 'other';

function toStoredLine(e: Entry): StoredLine {
  if (e.kind === 'record') {
    const l: StoredLine = { line: e.record.line, endLine: e.record.endLine, kind: 'record', text: e.record.raw };
    if (e.record.severity) l.severity = e.record.severity;
    return l;
  }
  if (e.kind === 'foreign') return { line: e.foreign.line, endLine: e.foreign.line, kind: 'foreign', detail: e.foreign.kind, text: e.foreign.text };
  return { line: e.rejected.line, endLine: e.rejected.line, kind: 'rejected', detail: e.rejected.reason, text: e.rejected.text };
}

/** The entries of a source overlapping physical lines [fromLine, toLine], in line order. */
export function linesBetween(db: Db, sourceId: number, fromLine: number, toLine: number): StoredLine[] {
  const base = sourceId * LINE_BITS;
  // a record that starts above the range may run into it: start reading at its first line
  const above = db.prepare('SELECT id, span FROM records WHERE id <= ? AND id >= ? ORDER BY id DESC LIMIT 1').get(base + fromLine, base) as { id: number; span: number } | undefined;
  const startId = above && above.id + above.span >= base + fromLine ? above.id : base + fromLine;
  const firstBlock = db.prepare('SELECT max(first_id) FROM blocks WHERE source_id = ? AND first_id <= ?').pluck().get(sourceId, startId) as number | null;
  const blocks = db
    .prepare('SELECT data, format FROM blocks WHERE source_id = ? AND first_id >= ? AND first_id <= ? ORDER BY first_id')
    .all(sourceId, firstBlock ?? base, base + toLine) as Array<{ data: Buffer; format: number }>;
  const out: StoredLine[] = [];
  for (const b of blocks) {
    for (const e of decodeEntries(decompressBlock(b.data, b.format))) {
      const l = toStoredLine(e);
      if (l.line <= toLine && l.endLine >= fromLine) out.push(l);
    }
  }
  return out;
}

/**
 * Which of these lines of a source are the pod's (the model put them on its timeline) and which
 * name another pod's UID: the raw log around an event dims the others. Point lookups on the
 * primary keys of pod_events and records, a few hundred at most.
 */
export function lineOwners(db: Db, sourceId: number, podId: number, lines: readonly StoredLine[]): Map<number, LineOwner> {
  const base = sourceId * LINE_BITS;
  const ours = db.prepare('SELECT 1 FROM pod_events WHERE pod_id = ? AND record_id = ?').pluck();
  const namesOther = db
    .prepare('SELECT 1 FROM records r JOIN pod_uids u ON u.id = r.pod_uid_id WHERE r.id = ? AND u.uid IS NOT (SELECT uid FROM pods WHERE id = ?)')
    .pluck();
  const out = new Map<number, LineOwner>();
  for (const l of lines) {
    if (l.kind !== 'record') continue;
    if (ours.get(podId, base + l.line) !== undefined) out.set(l.line, 'this');
    else if (namesOther.get(base + l.line, podId) !== undefined) out.set(l.line, 'other');
  }
  return out;
}

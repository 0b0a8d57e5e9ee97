// A stretch of one source's log as it was read: every entry (record, foreign or rejected line)
// overlapping a range of physical lines, decoded from the blocks that hold them.
import type { Db } from './db.js';
import { decodeEntries, decompressBlock, type Entry } from './codec.js';
import { LINE_BITS } from './writer.js';

export interface StoredLine {
  /** First physical line of the entry (a record can span several). */
  line: number;
  endLine: number;
  kind: 'record' | 'foreign' | 'rejected';
  /** Foreign kind or reject reason. */
  detail?: string;
  text: string;
}

function toStoredLine(e: Entry): StoredLine {
  if (e.kind === 'record') return { line: e.record.line, endLine: e.record.endLine, kind: 'record', text: e.record.raw };
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

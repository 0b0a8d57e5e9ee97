// Source bookkeeping. A source is identified by its content: the sha256 of its first 64 KiB
// (after gunzip), so a rotated file renamed from `kubelet.log` to `kubelet.log-2024…`, later
// gzipped, is still the same source; its content hash and resume point decide whether there is
// anything new to read.
import { createHash } from 'node:crypto';
import type { ParseOptions, TimeAssumptions } from '../parser/index.js';
import type { Db } from './db.js';
import { clampIndexedTo, indexedTo } from './search-index.js';
import { BLOCK_FORMAT, compressBlock, decodeEntries, decompressBlock, encodeForeign, encodeRecord, encodeRejected, newDeltaState, searchText, SEP } from './codec.js';
import { zeroCounts, type LineCounts } from './batch.js';
import { LINE_BITS } from './writer.js';

export interface SourceRow {
  id: number;
  path: string;
  node: string | null;
  envelope: string | null;
  gzip: number;
  file_size: number | null;
  mtime_us: number | null;
  head_len: number;
  head_hash: string;
  complete: number;
  content_len: number | null;
  content_hash: string | null;
  lines_done: number;
  bytes_done: number;
  verify_len: number;
  verify_hash: string | null;
  lines_read: number;
  records: number;
  record_lines: number;
  foreign_lines: number;
  rejected_lines: number;
  diagnostics: number;
  foreign_by_kind: string;
  rejected_by_reason: string;
  resume: string;
  first_time_us: number | null;
  last_time_us: number | null;
  parse_options: string;
  created_at: number;
  updated_at: number;
}

export interface ResumeState {
  counts: LineCounts;
  lastTimeUs?: number;
}

export function resumeState(row: SourceRow): ResumeState {
  const r = JSON.parse(row.resume || '{}') as Partial<ResumeState>;
  return { counts: r.counts ?? zeroCounts(), ...(r.lastTimeUs !== undefined ? { lastTimeUs: r.lastTimeUs } : {}) };
}

/** Stored counts of a source, in the shape of the ingest's counts. */
export function storedCounts(row: SourceRow): LineCounts {
  return {
    lines: row.lines_read,
    records: row.records,
    recordLines: row.record_lines,
    foreign: row.foreign_lines,
    rejected: row.rejected_lines,
    diagnostics: row.diagnostics,
    foreignByKind: JSON.parse(row.foreign_by_kind) as Record<string, number>,
    rejectedByReason: JSON.parse(row.rejected_by_reason) as Record<string, number>,
  };
}

/** What `sources.parse_options` holds: the reading options of its first ingest, and what the parser assumed to date it. */
export interface StoredParseOptions extends Pick<ParseOptions, 'year' | 'tz' | 'fallbackYear'> {
  time?: TimeAssumptions;
}

export function parseOptionsOf(row: SourceRow): StoredParseOptions {
  return JSON.parse(row.parse_options || '{}') as StoredParseOptions;
}

/** Per code of `codes`: how many diagnostics a source has, and the first of them (lowest line). */
export function diagnosticsByCode(db: Db, sourceId: number, codes: readonly string[]): Array<{ code: string; count: number; line: number; message: string }> {
  const rows = db
    .prepare(`SELECT code, count(*) AS n, min(line) AS line FROM diagnostics WHERE source_id = ? AND code IN (${codes.map(() => '?').join(', ')}) GROUP BY code`)
    .all(sourceId, ...codes) as Array<{ code: string; n: number; line: number }>;
  const first = db.prepare('SELECT message FROM diagnostics WHERE source_id = ? AND code = ? AND line = ? LIMIT 1').pluck();
  return rows.map((r) => ({ code: r.code, count: r.n, line: r.line, message: first.get(sourceId, r.code, r.line) as string }));
}

export function getSource(db: Db, id: number): SourceRow | undefined {
  return db.prepare('SELECT * FROM sources WHERE id = ?').get(id) as SourceRow | undefined;
}

/** Records stored, of all sources. */
export function storedRecords(db: Db): number {
  return db.prepare('SELECT coalesce(sum(records), 0) FROM sources').pluck().get() as number;
}

export function listSources(db: Db): SourceRow[] {
  return db.prepare('SELECT * FROM sources ORDER BY id').all() as SourceRow[];
}

/** Sources whose records run newest first (diagnostic `newest-first`): their pods are read backwards. */
export function newestFirstSources(db: Db): Array<{ path: string; message: string }> {
  return db
    .prepare("SELECT s.path, d.message FROM diagnostics d JOIN sources s ON s.id = d.source_id WHERE d.code = 'newest-first' GROUP BY s.id ORDER BY s.id")
    .all() as Array<{ path: string; message: string }>;
}

/** The ids of those sources (the lifecycle rebuild reads their records in reverse). */
export function newestFirstSourceIds(db: Db): Set<number> {
  return new Set(db.prepare("SELECT DISTINCT source_id FROM diagnostics WHERE code = 'newest-first'").pluck().all() as number[]);
}

/** The id of the database's only source; undefined when it has none or several. */
export function soleSourceId(db: Db): number | undefined {
  const ids = db.prepare('SELECT id FROM sources LIMIT 2').pluck().all() as number[];
  return ids.length === 1 ? ids[0] : undefined;
}

/**
 * Sources whose content may be a prefix of (or equal to) a content starting with `head`: same
 * hash of the first 64 KiB, or — for sources shorter than that — of their whole head.
 */
export function findCandidates(db: Db, head: Buffer): SourceRow[] {
  const out: SourceRow[] = [];
  const lens = (db.prepare('SELECT DISTINCT head_len AS n FROM sources').all() as Array<{ n: number }>).map((r) => r.n);
  const byHash = db.prepare('SELECT * FROM sources WHERE head_len = ? AND head_hash = ? ORDER BY complete DESC, bytes_done DESC, id');
  for (const n of lens) {
    if (n > head.length) continue;
    const h = createHash('sha256').update(head.subarray(0, n)).digest('hex');
    out.push(...(byHash.all(n, h) as SourceRow[]));
  }
  return out.sort((a, b) => b.bytes_done - a.bytes_done || b.complete - a.complete || a.id - b.id);
}

export interface NewSource {
  path: string;
  node?: string | undefined;
  gzip: boolean;
  fileSize?: number | undefined;
  mtimeMs?: number | undefined;
  head: Buffer;
  parseOptions: object;
}

export function createSource(db: Db, s: NewSource): number {
  const now = Date.now();
  const info = db
    .prepare(
      `INSERT INTO sources (path, node, gzip, file_size, mtime_us, head_len, head_hash, parse_options, verify_hash, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      s.path,
      s.node ?? null,
      s.gzip ? 1 : 0,
      s.fileSize ?? null,
      s.mtimeMs !== undefined ? Math.round(s.mtimeMs * 1000) : null,
      s.head.length,
      createHash('sha256').update(s.head).digest('hex'),
      JSON.stringify(s.parseOptions),
      createHash('sha256').digest('hex'),
      now,
      now,
    );
  return Number(info.lastInsertRowid);
}

/** Where a source was last seen. */
export function touchSource(db: Db, id: number, p: { path: string; fileSize?: number | undefined; mtimeMs?: number | undefined; node?: string | undefined }): void {
  db.prepare('UPDATE sources SET path = ?, file_size = coalesce(?, file_size), mtime_us = coalesce(?, mtime_us), node = coalesce(?, node), updated_at = ? WHERE id = ?').run(
    p.path,
    p.fileSize ?? null,
    p.mtimeMs !== undefined ? Math.round(p.mtimeMs * 1000) : null,
    p.node ?? null,
    Date.now(),
    id,
  );
}

/**
 * Delete everything of a source from line `fromLine` on (a resumed ingest re-reads it). A block
 * holding lines on both sides is rewritten without the later ones: blocks hold exactly the
 * stored lines.
 */
export function deleteLinesFrom(db: Db, sourceId: number, fromLine: number): void {
  const lo = sourceId * LINE_BITS + fromLine;
  const hi = (sourceId + 1) * LINE_BITS;
  // only blocks the full-text index reached have rows there (search-index.ts)
  const indexed = indexedTo(db);
  db.prepare('DELETE FROM blocks_fts WHERE rowid IN (SELECT id FROM blocks WHERE source_id = ? AND first_id >= ? AND id <= ?)').run(sourceId, lo, indexed);
  db.prepare('DELETE FROM records WHERE id >= ? AND id < ?').run(lo, hi);
  db.prepare('DELETE FROM lines_other WHERE id >= ? AND id < ?').run(lo, hi);
  db.prepare('DELETE FROM diagnostics WHERE source_id = ? AND line >= ?').run(sourceId, fromLine);
  db.prepare('DELETE FROM blocks WHERE source_id = ? AND first_id >= ?').run(sourceId, lo);
  const straddling = db.prepare('SELECT id, first_id, format, data FROM blocks WHERE source_id = ? AND first_id < ? AND last_id >= ?').all(sourceId, lo, lo) as Array<{
    id: number;
    first_id: number;
    format: number;
    data: Buffer;
  }>;
  for (const b of straddling) {
    const st = newDeltaState();
    const parts: string[] = [];
    const texts: string[] = [];
    let last = b.first_id;
    for (const e of decodeEntries(decompressBlock(b.data, b.format))) {
      if (e.kind === 'record') {
        if (e.record.line >= fromLine) continue;
        parts.push(encodeRecord(st, e.record, e.record.line, e.record.offset, e.podUid));
        texts.push(searchText(e.record.raw, e.record.format, e.record.caller));
        last = sourceId * LINE_BITS + e.record.line;
      } else if (e.kind === 'foreign') {
        if (e.foreign.line >= fromLine) continue;
        parts.push(encodeForeign(st, e.foreign, e.foreign.line, e.foreign.offset));
        last = sourceId * LINE_BITS + e.foreign.line;
      } else {
        if (e.rejected.line >= fromLine) continue;
        parts.push(encodeRejected(st, e.rejected, e.rejected.line, e.rejected.offset));
        last = sourceId * LINE_BITS + e.rejected.line;
      }
    }
    db.prepare('UPDATE blocks SET last_id = ?, entries = ?, format = ?, data = ? WHERE id = ?').run(last, parts.length, BLOCK_FORMAT, compressBlock(parts.join(SEP)), b.id);
    if (b.id > indexed) continue;
    db.prepare('DELETE FROM blocks_fts WHERE rowid = ?').run(b.id);
    if (texts.length) db.prepare('INSERT INTO blocks_fts (rowid, text) VALUES (?, ?)').run(b.id, texts.join('\n'));
  }
  clampIndexedTo(db);
}

/**
 * Make a source ready to continue at its resume point: drop what is stored after it (a partial
 * tail, or the records that only the end of input completed) and restore the counts there.
 */
export function rewindToResumePoint(db: Db, row: SourceRow): ResumeState {
  const rs = resumeState(row);
  const c = rs.counts;
  deleteLinesFrom(db, row.id, row.lines_done + 1);
  db.prepare(
    `UPDATE sources SET complete = 0, content_len = NULL, content_hash = NULL, lines_read = ?, records = ?, record_lines = ?,
     foreign_lines = ?, rejected_lines = ?, diagnostics = ?, foreign_by_kind = ?, rejected_by_reason = ?, updated_at = ? WHERE id = ?`,
  ).run(c.lines, c.records, c.recordLines, c.foreign, c.rejected, c.diagnostics, JSON.stringify(c.foreignByKind), JSON.stringify(c.rejectedByReason), Date.now(), row.id);
  return rs;
}

export function deleteSource(db: Db, sourceId: number): void {
  deleteLinesFrom(db, sourceId, 0);
  db.prepare('DELETE FROM sources WHERE id = ?').run(sourceId);
}

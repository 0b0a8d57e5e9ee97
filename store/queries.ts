// Reading the store back: records (exactly the parser's LogRecord objects), foreign and rejected
// lines, by source, by the ids a query selected, or by full-text search. Blocks are decoded once per query.
import type { Statement } from 'better-sqlite3';
import type { ForeignLine, LogRecord, RejectedLine } from '../parser/index.js';
import type { Db } from './db.js';
import { decodeEntries, decompressBlock, searchText, type Entry } from './codec.js';
import { LINE_BITS } from './writer.js';
import { blockQuery, searchTooCostly } from './search-query.js';

export interface StoredRecord {
  id: number;
  sourceId: number;
  podUid?: string;
  record: LogRecord;
}

interface BlockRow {
  id: number;
  source_id: number;
  first_id: number;
  last_id: number;
  format: number;
  data: Buffer;
}

/** Decoded blocks, kept for the duration of one query. */
class BlockCache {
  private readonly cache = new Map<number, Map<number, Entry>>();
  private readonly stmt: Statement;
  constructor(db: Db) {
    this.stmt = db.prepare('SELECT id, source_id, first_id, last_id, format, data FROM blocks WHERE id = ?');
  }
  /** Entries of a block by line id. */
  get(blockId: number): Map<number, Entry> {
    let m = this.cache.get(blockId);
    if (m) return m;
    const row = this.stmt.get(blockId) as BlockRow | undefined;
    m = new Map();
    if (row) {
      const base = row.source_id * LINE_BITS;
      for (const e of decodeEntries(decompressBlock(row.data, row.format))) {
        const line = e.kind === 'record' ? e.record.line : e.kind === 'foreign' ? e.foreign.line : e.rejected.line;
        m.set(base + line, e);
      }
    }
    if (this.cache.size > 4096) this.cache.clear();
    this.cache.set(blockId, m);
    return m;
  }
}

function toStored(id: number, e: Entry | undefined): StoredRecord {
  if (!e || e.kind !== 'record') throw new Error(`record ${id}: missing from its block (damaged database?)`);
  const out: StoredRecord = { id, sourceId: Math.floor(id / LINE_BITS), record: e.record };
  if (e.podUid !== undefined) out.podUid = e.podUid;
  return out;
}

/** Records whose ids (and block ids) a query selected, decoded, in the query's order. */
export function loadRecords(db: Db, rows: Array<{ id: number; block_id: number }>): StoredRecord[] {
  const blocks = new BlockCache(db);
  return rows.map((r) => toStored(r.id, blocks.get(r.block_id).get(r.id)));
}

/** Every record of a source, in line order. */
export function sourceRecords(db: Db, sourceId: number): StoredRecord[] {
  const rows = db
    .prepare('SELECT id, block_id FROM records WHERE id >= ? AND id < ? ORDER BY id')
    .all(sourceId * LINE_BITS, (sourceId + 1) * LINE_BITS) as Array<{ id: number; block_id: number }>;
  return loadRecords(db, rows);
}

/** Foreign and rejected lines of a source, in line order. */
export function sourceOtherLines(db: Db, sourceId: number): { foreign: ForeignLine[]; rejected: RejectedLine[] } {
  const rows = db
    .prepare('SELECT id, block_id FROM lines_other WHERE id >= ? AND id < ? ORDER BY id')
    .all(sourceId * LINE_BITS, (sourceId + 1) * LINE_BITS) as Array<{ id: number; block_id: number }>;
  const blocks = new BlockCache(db);
  const foreign: ForeignLine[] = [];
  const rejected: RejectedLine[] = [];
  for (const r of rows) {
    const e = blocks.get(r.block_id).get(r.id);
    if (e?.kind === 'foreign') foreign.push(e.foreign);
    else if (e?.kind === 'rejected') rejected.push(e.rejected);
    else throw new Error(`line ${r.id}: missing from its block (damaged database?)`);
  }
  return { foreign, rejected };
}

/** A search query that FTS5 cannot read (unbalanced quotes, a stray operator, `word:` …). */
export class InvalidSearchError extends Error {
  constructor(
    readonly query: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(query)} is not a valid search query (${reason}). Use words, "exact phrases", prefix*, AND, OR, NOT; quote text with punctuation.`);
    this.name = 'InvalidSearchError';
  }
}

/** A query that would cost more than a search may (store/search-query.ts). */
export class CostlySearchError extends Error {
  constructor(
    readonly query: string,
    readonly reason: string,
  ) {
    super(`${JSON.stringify(query.length > 200 ? `${query.slice(0, 200)}…` : query)} would cost too much to search: ${reason}. Use fewer words, longer prefixes, or "an exact phrase".`);
    this.name = 'CostlySearchError';
  }
}

/** Where a search goes on: in block `block`, after record `afterId` (0: the whole block). */
export interface SearchCursor {
  block: number;
  afterId: number;
}

export interface SearchOptions {
  /** Hits to return at most. */
  limit: number;
  /** Blocks of the index to narrow to records at most (each is decoded and indexed again: ~5 ms on an idle core). */
  maxBlocks: number;
  /** Milliseconds after which no further block is begun (a busy machine narrows blocks several times slower). */
  maxMs?: number;
  after?: SearchCursor;
}

export interface SearchPage {
  hits: StoredRecord[];
  /** Where the next page starts; null when the search is complete. */
  next: SearchCursor | null;
  /** Blocks this page narrowed, and candidate blocks after it. */
  blocksSearched: number;
  blocksLeft: number;
}

/**
 * Full-text search (FTS5 query syntax: words, "phrases", prefix*, AND/OR/NOT, NEAR) over each
 * record's text after its envelope and klog header, one page at a time. The index is per block;
 * the blocks it names for the query without its NOTs (search-query.ts blockQuery: a block that
 * holds an excluded record holds others) are narrowed to the matching records with the whole
 * query on an in-memory table, so the answer is exactly the records that match. A page ends at `limit` hits,
 * after `maxBlocks` blocks or once `maxMs` have passed, whichever comes first: a query whose words are in every block but
 * never in one record otherwise decodes the whole log (seconds per 100 MB). Queries with too
 * many terms or too short a prefix are refused before they run (CostlySearchError).
 */
export function searchPage(db: Db, query: string, opts: SearchOptions): SearchPage {
  const costly = searchTooCostly(query);
  if (costly !== undefined) throw new CostlySearchError(query, costly);
  const after = opts.after ?? { block: 0, afterId: 0 };
  const until = opts.maxMs === undefined ? Infinity : performance.now() + opts.maxMs;
  db.exec("CREATE VIRTUAL TABLE IF NOT EXISTS temp.probe_fts USING fts5(text, tokenize='unicode61')");
  let blockIds: number[];
  try {
    // the query itself, read by FTS5 over the (empty) probe table: a mistake in it is said as such
    db.prepare('SELECT count(*) FROM temp.probe_fts WHERE probe_fts MATCH ?').pluck().get(query);
    // the blocks that may hold a match: what a NOT excludes is checked per record, not per block
    blockIds = db.prepare('SELECT rowid AS id FROM blocks_fts WHERE blocks_fts MATCH ? AND rowid >= ? ORDER BY rowid').pluck().all(blockQuery(query), after.block) as number[];
  } catch (e) {
    // the only SQL here is the MATCH: an error in it is the query's
    if ((e as { code?: unknown }).code === 'SQLITE_ERROR') throw new InvalidSearchError(query, (e as Error).message);
    throw e;
  }
  const page: SearchPage = { hits: [], next: null, blocksSearched: 0, blocksLeft: 0 };
  if (!blockIds.length) return page;
  const clear = db.prepare('DELETE FROM temp.probe_fts');
  const ins = db.prepare('INSERT INTO temp.probe_fts (rowid, text) VALUES (?, ?)');
  const match = db.prepare('SELECT rowid AS id FROM temp.probe_fts WHERE probe_fts MATCH ? AND rowid > ? ORDER BY rowid').pluck();
  const live = db.prepare('SELECT id, block_id FROM records WHERE id >= ? AND id <= ? AND block_id = ?');
  const blocks = new BlockCache(db);
  const firstLast = db.prepare('SELECT first_id, last_id FROM blocks WHERE id = ?');
  // one transaction per block: row by row, each insert would be its own (17 times slower)
  const probe = db.transaction((rows: Array<{ id: number }>, entries: Map<number, Entry>) => {
    clear.run();
    for (const r of rows) {
      const e = entries.get(r.id);
      if (e?.kind === 'record') ins.run(r.id, searchText(e.record.raw, e.record.format, e.record.caller));
    }
  });
  try {
    for (let k = 0; k < blockIds.length; k++) {
      const b = blockIds[k]!;
      if (page.blocksSearched >= opts.maxBlocks || (page.blocksSearched > 0 && performance.now() > until)) {
        page.next = { block: b, afterId: 0 };
        page.blocksLeft = blockIds.length - k;
        return page;
      }
      page.blocksSearched++;
      const range = firstLast.get(b) as { first_id: number; last_id: number } | undefined;
      if (!range) continue;
      const entries = blocks.get(b);
      probe(live.all(range.first_id, range.last_id, b) as Array<{ id: number }>, entries);
      const ids = match.all(query, b === after.block ? after.afterId : 0) as number[];
      for (let j = 0; j < ids.length; j++) {
        page.hits.push(toStored(ids[j]!, entries.get(ids[j]!)));
        if (page.hits.length < opts.limit) continue;
        // the rest of this block, or the blocks after it
        if (j + 1 < ids.length) page.next = { block: b, afterId: ids[j]! };
        else if (k + 1 < blockIds.length) page.next = { block: blockIds[k + 1]!, afterId: 0 };
        page.blocksLeft = page.next === null ? 0 : blockIds.length - k - (j + 1 < ids.length ? 0 : 1);
        return page;
      }
    }
    return page;
  } finally {
    clear.run();
  }
}

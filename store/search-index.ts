// The full-text index (blocks_fts), built after the records and the pod lifecycles are stored
// rather than while the records are written (schemas/migrations/0011_search_index.sql): the first
// views (the overview, the pods) do not need it, and the search text of a block is cheap to take
// from the block itself once it is stored. `search_state.indexed_to` says how far it goes: blocks
// above it are not indexed yet. Each step indexes the next blocks and moves the mark in one
// transaction, so a kill at any moment leaves a database that knows what is missing, and the next
// ingest or `kubelog rebuild` goes on from there.
import type { Db } from './db.js';
import { dec, decompressBlock, FOREIGN_FIELDS, RECORD_FIELDS, REJECTED_FIELDS, SEP, ABSENT, searchText } from './codec.js';

export interface SearchIndexState {
  /** Every stored block is in the index. */
  ready: boolean;
  /** Stored blocks, and those not indexed yet. */
  blocks: number;
  blocksLeft: number;
}

const hasStateTable = (db: Db): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'search_state'").get() !== undefined;

/** How far the index goes. A database written before 0011 (read-only, not migrated) indexed every block as it stored it. */
export function searchIndexState(db: Db): SearchIndexState {
  const blocks = db.prepare('SELECT count(*) FROM blocks').pluck().get() as number;
  if (!hasStateTable(db)) return { ready: true, blocks, blocksLeft: 0 };
  const left = db.prepare('SELECT count(*) FROM blocks WHERE id > (SELECT indexed_to FROM search_state WHERE id = 1)').pluck().get() as number;
  return { ready: left === 0, blocks, blocksLeft: left };
}

/** The last block id the index covers. */
export function indexedTo(db: Db): number {
  return db.prepare('SELECT indexed_to FROM search_state WHERE id = 1').pluck().get() as number;
}

/**
 * Call in the transaction that deletes blocks: a block id above every stored one may be given to a
 * new block again (the writer numbers from the largest), and that block is not indexed.
 */
export function clampIndexedTo(db: Db): void {
  db.prepare('UPDATE search_state SET indexed_to = min(indexed_to, (SELECT coalesce(max(id), 0) FROM blocks)) WHERE id = 1').run();
}

/**
 * The text a block is searched by: the search text of each of its records (codec.ts searchText),
 * one per line. Only the three fields it needs are decoded (not the key/values' JSON).
 */
export function blockSearchText(payload: string): string {
  const p = payload.split(SEP);
  const texts: string[] = [];
  let i = 0;
  while (i < p.length) {
    const tag = p[i];
    if (tag === 'r') {
      const caller = p[i + 10]!;
      texts.push(searchText(dec(p[i + 22]!), p[i + 6]!, caller === ABSENT ? undefined : dec(caller)));
      i += RECORD_FIELDS;
    } else if (tag === 'f') i += FOREIGN_FIELDS;
    else if (tag === 'x') i += REJECTED_FIELDS;
    else throw new Error(`corrupt block: unexpected field ${JSON.stringify(tag)} at ${i}`);
  }
  return texts.join('\n');
}

export interface IndexProgress {
  blocksDone: number;
  blocksLeft: number;
}

/**
 * Index every block above the mark, `chunk` blocks a transaction (the caller holds the write
 * lock). Stopping it is killing its thread: what was committed stays.
 */
export function buildSearchIndex(db: Db, o: { chunk?: number; onProgress?: (p: IndexProgress) => void } = {}): IndexProgress {
  const chunk = o.chunk ?? 256;
  const next = db.prepare('SELECT id, format, data FROM blocks WHERE id > ? ORDER BY id LIMIT ?');
  const insert = db.prepare('INSERT INTO blocks_fts (rowid, text) VALUES (?, ?)');
  const mark = db.prepare('UPDATE search_state SET indexed_to = ? WHERE id = 1');
  const progress: IndexProgress = { blocksDone: 0, blocksLeft: searchIndexState(db).blocksLeft };
  const step = db.transaction((): number => {
    const rows = next.all(indexedTo(db), chunk) as Array<{ id: number; format: number; data: Buffer }>;
    for (const b of rows) {
      const text = blockSearchText(decompressBlock(b.data, b.format));
      if (text.length) insert.run(b.id, text);
    }
    if (rows.length) mark.run(rows[rows.length - 1]!.id);
    return rows.length;
  });
  for (;;) {
    const n = step.immediate();
    if (!n) break;
    progress.blocksDone += n;
    progress.blocksLeft = Math.max(0, progress.blocksLeft - n);
    o.onProgress?.(progress);
  }
  return progress;
}

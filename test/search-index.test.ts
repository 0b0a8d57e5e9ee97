// The full-text index built after the ingest (store/search-index.ts), on the real samples: the text
// it takes from each stored block is exactly what the full decoder gives (codec.ts searchText of
// every record), an ingest that leaves it for later says so until it is built, and the records a
// search then finds are those of an ingest that built it at once.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeEntries, decompressBlock, searchText } from '../store/codec.js';
import { openDatabase, type Db } from '../store/db.js';
import { ingest } from '../ingest/ingest.js';
import { searchPage } from '../store/queries.js';
import { blockSearchText, buildSearchIndex, searchIndexState } from '../store/search-index.js';
import { realDir } from './helpers/samples.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-search-index-'));

const found = (db: Db, query: string): Array<[number, number]> => searchPage(db, query, { limit: 1e9, maxBlocks: 1e9 }).hits.map((h) => [h.sourceId, h.record.line]);

describe('the search index built after the ingest', () => {
  it('takes from each block what the full decoder gives, and finds what an index built at once finds', async () => {
    const later = path.join(dir, 'later.db');
    const atOnce = path.join(dir, 'at-once.db');
    // small blocks: many of them, some of foreign lines only
    await ingest({ db: later, args: [realDir], year: 2024, blockEntries: 7, deferIndexes: true });
    await ingest({ db: atOnce, args: [realDir], year: 2024, blockEntries: 7 });
    const db = openDatabase(later, { keepDeferredIndexes: true });
    const ref = openDatabase(atOnce);
    try {
      const blocks = db.prepare('SELECT id, format, data FROM blocks ORDER BY id').all() as Array<{ id: number; format: number; data: Buffer }>;
      expect(blocks.length).toBeGreaterThan(100);
      let recordBlocks = 0;
      for (const b of blocks) {
        const payload = decompressBlock(b.data, b.format);
        const texts = decodeEntries(payload).flatMap((e) => (e.kind === 'record' ? [searchText(e.record.raw, e.record.format, e.record.caller)] : []));
        if (texts.length) recordBlocks++;
        expect(blockSearchText(payload), `block ${b.id}`).toBe(texts.join('\n'));
      }
      expect(recordBlocks).toBeLessThan(blocks.length);
      // not built yet: the database says so, and nothing is found
      expect(searchIndexState(db)).toEqual({ ready: false, blocks: blocks.length, blocksLeft: blocks.length });
      expect(found(db, 'SyncLoop')).toEqual([]);
      expect(buildSearchIndex(db, { chunk: 50 })).toEqual({ blocksDone: blocks.length, blocksLeft: 0 });
      expect(searchIndexState(db)).toEqual({ ready: true, blocks: blocks.length, blocksLeft: 0 });
      expect(searchIndexState(ref)).toEqual({ ready: true, blocks: blocks.length, blocksLeft: 0 });
      for (const q of ['SyncLoop', '"Killing container with a grace period"', 'nginx AND container*', 'volume* NOT mount']) {
        expect(found(db, q).length, q).toBeGreaterThan(0);
        expect(found(db, q), q).toEqual(found(ref, q));
      }
      // built: a second run has nothing to do
      expect(buildSearchIndex(db)).toEqual({ blocksDone: 0, blocksLeft: 0 });
    } finally {
      db.close();
      ref.close();
    }
  });
});

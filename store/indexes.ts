// Secondary indexes of `records` during a large ingest: maintaining those whose keys arrive in
// random order (pod UID, message) costs several times more than building them once at the end
// (measured: ~6-16 µs vs ~1.5 µs per row), so a large ingest drops them first and builds them
// again when it ends. Their SQL is kept in
// `deferred_indexes` meanwhile, so an ingest killed in between leaves a database that still opens
// and queries (slower), and the next write-open builds them again.
import type { Db } from './db.js';

/** Indexes kept up to date during an ingest: their keys arrive in time order (appends are cheap). */
const KEEP = new Set(['records_time', 'records_severe_time']);

/** Drop the secondary indexes of `records` (but those in KEEP), remembering their SQL. */
export function deferRecordIndexes(db: Db): number {
  const rows = (
    db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' AND sql IS NOT NULL").all() as Array<{ name: string; sql: string }>
  ).filter((r) => !KEEP.has(r.name));
  if (!rows.length) return 0;
  db.transaction(() => {
    for (const r of rows) {
      db.prepare('INSERT OR REPLACE INTO deferred_indexes (name, sql) VALUES (?, ?)').run(r.name, r.sql);
      db.exec(`DROP INDEX ${quote(r.name)}`);
    }
  }).immediate();
  return rows.length;
}

/** Build every deferred index again (idempotent). */
export function restoreDeferredIndexes(db: Db): number {
  const rows = db.prepare('SELECT name, sql FROM deferred_indexes').all() as Array<{ name: string; sql: string }>;
  if (!rows.length) return 0;
  db.transaction(() => {
    for (const r of rows) {
      db.exec(r.sql.replace(/^CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS)/i, 'CREATE $1INDEX IF NOT EXISTS '));
      db.prepare('DELETE FROM deferred_indexes WHERE name = ?').run(r.name);
    }
  }).immediate();
  return rows.length;
}

function quote(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

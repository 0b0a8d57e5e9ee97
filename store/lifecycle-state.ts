// Whether the pod lifecycles are those of the stored records (schemas/migrations/0006_writer_state.sql).
// The ingest marks them stale in the same transaction as its first change to the records, the
// rebuild marks them current in the transaction that stores them: a kill anywhere in between
// leaves them marked stale.
import type { Db } from './db.js';
import { storedRecords } from './sources.js';

const hasTable = (db: Db, name: string): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;

/** Call inside the transaction that changes the records. */
export function markLifecyclesStale(db: Db): void {
  db.prepare('UPDATE lifecycle_state SET stale = 1, since_ms = CASE WHEN stale = 1 THEN since_ms ELSE ? END WHERE id = 1').run(Date.now());
}

/** Call inside the transaction that stores the lifecycles. */
export function markLifecyclesCurrent(db: Db): void {
  db.prepare('UPDATE lifecycle_state SET stale = 0, since_ms = NULL WHERE id = 1').run();
}

export interface LifecycleState {
  stale: boolean;
  /** Epoch ms when they became stale, when known. */
  sinceMs: number | null;
}

export function lifecycleState(db: Db): LifecycleState {
  const row = hasTable(db, 'lifecycle_state') ? (db.prepare('SELECT stale, since_ms FROM lifecycle_state WHERE id = 1').get() as { stale: number | null; since_ms: number | null } | undefined) : undefined;
  if (row && row.stale !== null) return { stale: row.stale === 1, sinceMs: row.since_ms };
  // a database from before the marker: current when the last rebuild replayed what is stored
  const stored = storedRecords(db);
  const built = hasTable(db, 'lifecycle_runs') ? (db.prepare('SELECT records FROM lifecycle_runs ORDER BY id DESC LIMIT 1').pluck().get() as number | undefined) : undefined;
  return { stale: (built ?? 0) !== stored, sinceMs: null };
}

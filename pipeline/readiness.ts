// What of a database is ready to answer, for `kubelog serve` (/api/status, /api/search) and the
// commands that read it: the pods (their lifecycles are current with the records) and full-text
// search (every stored block is indexed). Read only.
import type { Db } from '../store/db.js';
import { lifecycleState } from '../store/lifecycle-state.js';
import { searchIndexState, type SearchIndexState } from '../store/search-index.js';

export interface Readiness {
  pods: { ready: boolean };
  search: SearchIndexState;
}

export function readiness(db: Db): Readiness {
  return { pods: { ready: !lifecycleState(db).stale }, search: searchIndexState(db) };
}

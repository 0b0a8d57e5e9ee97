// What the ingest builds after the pod lifecycles (index-thread.ts starts it): the full-text index
// of the blocks not indexed yet, then the records' secondary indexes a large ingest dropped. Its
// own connection, on its own thread: `kubelog serve FILE` answers requests meanwhile.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/db.js';
import { restoreDeferredIndexes } from '../store/indexes.js';
import { buildSearchIndex } from '../store/search-index.js';
import type { IndexReply } from './index-thread.js';
import { toThreadError } from '../ingest/thread-errors.js';

const { dbPath } = workerData as { dbPath: string };
let reply: IndexReply;
try {
  const db = openDatabase(dbPath, { keepDeferredIndexes: true });
  try {
    const started = performance.now();
    const search = buildSearchIndex(db, { onProgress: (p) => parentPort!.postMessage({ progress: p } satisfies IndexReply) });
    const searchMs = performance.now() - started;
    const indexes = restoreDeferredIndexes(db);
    reply = { ok: { blocks: search.blocksDone, searchSeconds: +(searchMs / 1000).toFixed(3), indexes, seconds: +((performance.now() - started) / 1000).toFixed(3) } };
  } finally {
    db.close();
  }
} catch (e) {
  reply = { error: toThreadError(e) };
}
parentPort!.postMessage(reply);

// The lifecycle rebuild in a worker thread (rebuild-thread.ts starts it): its own connection, its
// own bounded heap.
import { parentPort, workerData } from 'node:worker_threads';
import { openDatabase } from '../store/db.js';
import { rebuildLifecycles } from './rebuild.js';
import type { RebuildReply } from './rebuild-thread.js';
import { toThreadError } from '../ingest/thread-errors.js';

const { dbPath, podsPerPartition } = workerData as { dbPath: string; podsPerPartition: number };
let reply: RebuildReply;
try {
  // the records' secondary indexes an ingest deferred are built after the lifecycles (index-thread.ts)
  const db = openDatabase(dbPath, { keepDeferredIndexes: true });
  try {
    reply = { ok: rebuildLifecycles(db, { podsPerPartition }) };
  } finally {
    db.close();
  }
} catch (e) {
  reply = { error: toThreadError(e) };
}
parentPort!.postMessage(reply);

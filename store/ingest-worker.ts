// The ingest in a worker thread (ingest-thread.ts starts it): progress and the result go back as
// messages, an abort comes in as one; its stdin is what the main thread pipes in.
import { parentPort, workerData } from 'node:worker_threads';
import { ingest } from './ingest.js';
import type { FromIngestWorker, IngestJob, ToIngestWorker } from './ingest-thread.js';
import { toThreadError } from './thread-errors.js';

const { progress, ...opts } = workerData as IngestJob;
const abort = new AbortController();
const port = parentPort!;
port.on('message', (m: ToIngestWorker) => {
  if (m.type === 'abort') abort.abort();
});
const send = (m: FromIngestWorker) => port.postMessage(m);
try {
  const result = await ingest({ ...opts, signal: abort.signal, ...(progress ? { onProgress: (p) => send({ type: 'progress', progress: p }) } : {}) });
  send({ type: 'done', result });
} catch (e) {
  send({ type: 'error', error: toThreadError(e) });
}
// the abort listener would keep the thread alive
port.close();

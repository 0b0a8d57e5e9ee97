// The ingest in a worker thread (ingest-thread.ts starts it): progress and the result go back as
// messages, an abort and the caller's write lock come in as one; its stdin is what the main thread
// pipes in.
import { parentPort, workerData } from 'node:worker_threads';
import { ingest } from './ingest.js';
import type { FromIngestWorker, IngestJob, ToIngestWorker } from './ingest-thread.js';
import { fromThreadError, toThreadError } from './thread-errors.js';

const { progress, callerLocks, ...opts } = workerData as IngestJob;
const abort = new AbortController();
const port = parentPort!;
let lockReply: { resolve: (token: string) => void; reject: (e: Error) => void } | undefined;
port.on('message', (m: ToIngestWorker) => {
  if (m.type === 'abort') abort.abort();
  else if (m.type === 'lock') lockReply?.resolve(m.token);
  else lockReply?.reject(fromThreadError(m.error));
});
const send = (m: FromIngestWorker) => port.postMessage(m);
/** The caller's thread takes the write lock and keeps it after this thread ends. */
const takeLock = () =>
  new Promise<string>((resolve, reject) => {
    lockReply = { resolve, reject };
    send({ type: 'want-lock' });
  });
try {
  const result = await ingest({
    ...opts,
    signal: abort.signal,
    ...(callerLocks ? { takeLock } : {}),
    ...(progress ? { onProgress: (p) => send({ type: 'progress', progress: p }) } : {}),
  });
  send({ type: 'done', result });
} catch (e) {
  send({ type: 'error', error: toThreadError(e) });
}
// the abort listener would keep the thread alive
port.close();

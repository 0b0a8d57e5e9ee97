// The ingest `kubelog serve FILE` runs while it serves: runIngest, with where it is for
// /api/status (web/api/types.ts IngestStatus) — the step, the bytes and lines read, how it ended.
import type { IngestResult } from '../../ingest/ingest.js';
import type { IngestStatus } from '../../web/api/types.js';
import { runIngest, type IngestRun } from './ingest-run.js';

export class ServeIngest {
  readonly status: IngestStatus = { step: 'records', bytes: 0, totalBytes: null, lines: 0, error: null };

  async run(o: Omit<IngestRun, 'onStep' | 'onProgress'>): Promise<IngestResult> {
    const s = this.status;
    try {
      const r = await runIngest({
        ...o,
        onStep: (step) => (s.step = step),
        onProgress: (p) => {
          s.bytes = p.bytes;
          s.totalBytes = p.totalBytes ?? null;
          s.lines = p.lines;
        },
      });
      s.step = r.interrupted ? 'interrupted' : 'done';
      s.bytes = r.totals.bytes;
      s.lines = r.totals.linesRead;
      return r;
    } catch (e) {
      s.step = 'failed';
      s.error = (e as Error).message;
      throw e;
    }
  }
}

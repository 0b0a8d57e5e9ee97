// A line under the header while the server's database is not all there yet: the ingest's progress,
// then the pod lifecycles being built, then the search index; or what to run when an ingest
// stopped before it finished.
import type { ReactNode } from 'react';
import type { StatusResponse } from '../../../api/types.js';

const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

function describe(s: StatusResponse): { text: string; bad?: boolean } | null {
  const search = `search answers once its index is built (${s.search.blocksLeft.toLocaleString()} of ${s.search.blocks.toLocaleString()} blocks left)`;
  const i = s.ingest;
  if (i) {
    if (i.step === 'failed') return { text: `The ingest failed: ${i.error ?? 'see the terminal running kubelog serve'}.`, bad: true };
    if (i.step === 'records') {
      const part = i.totalBytes ? `${Math.floor((100 * i.bytes) / Math.max(1, i.totalBytes))}% (${mb(i.bytes)} of ${mb(i.totalBytes)})` : mb(i.bytes);
      return { text: `Ingesting the log: ${part}, ${i.lines.toLocaleString()} lines read. The pods appear once every record is stored.` };
    }
    if (i.step === 'lifecycles') return { text: 'Every record is stored; building the pod lifecycles. The pods appear in a moment.' };
    if (!s.search.ready) return { text: `The pods are ready; ${search}.` };
    return null;
  }
  if (!s.pods.ready && s.writer) return { text: `${s.writer} is writing to this database: its pods appear when it is done. Reload then.` };
  if (!s.search.ready && s.writer) return { text: `The pods are ready; ${search}.` };
  if (!s.search.ready) return { text: `The search index is incomplete (${s.search.blocksLeft.toLocaleString()} blocks left): an ingest stopped before it finished it. Run the same kubelog ingest again, or kubelog rebuild --db ${s.db}.`, bad: true };
  return null;
}

export function IngestStatus({ status }: { status: StatusResponse | undefined }): ReactNode {
  const d = status ? describe(status) : null;
  if (!status || !d) return null;
  return (
    <div className={`ingest-status${d.bad ? ' bad' : ''}`} role="status" data-testid="ingest-status" data-step={status.ingest?.step ?? ''} data-pods-ready={String(status.pods.ready)} data-search-ready={String(status.search.ready)}>
      {d.bad ? null : <span className="spinner" aria-hidden="true" />} {d.text}
    </div>
  );
}

// The log around an event, every line as the file has it (records, foreign and rejected lines).
import { useEffect, useRef, type ReactNode } from 'react';
import type { LinesResponse } from '../../../api/types.js';
import { useApi } from '../api.js';
import { queryString } from '../router.js';
import { ErrorState, Loading } from '../components/States.js';

export function RawLines({ source, line, onClose }: { source: number | undefined; line: number; onClose: () => void }): ReactNode {
  const res = useApi<LinesResponse>(`/api/lines${queryString({ source, line, before: 12, after: 12 })}`);
  const hit = useRef<HTMLDivElement>(null);
  // a block body: an effect's return value is its cleanup, and scrollIntoView returns a promise in
  // newer browsers (React would call it when the lines close, and the page would go blank)
  useEffect(() => {
    hit.current?.scrollIntoView({ block: 'nearest' });
  }, [res.data]);
  return (
    <section className="raw-lines" data-testid="raw-lines" aria-label="raw log lines">
      <header>
        <strong>Raw log</strong> <span className="mono dim">{res.data ? `${res.data.path}:${line}` : `line ${line}`}</span>
        <button type="button" onClick={onClose} aria-label="close the raw log">
          ×
        </button>
      </header>
      {res.state === 'error' ? <ErrorState error={res.error} what="the raw lines" /> : null}
      {!res.data && res.state === 'loading' ? <Loading what="raw lines" /> : null}
      {res.data ? (
        <div className="raw-body">
          {res.data.lines.map((l) => {
            const at = l.line <= line && line <= l.endLine;
            return (
              <div key={l.line} ref={at ? hit : undefined} className={`raw-line raw-${l.kind}${at ? ' raw-hit' : ''}`} data-line={l.line} data-kind={l.kind}>
                <span className="raw-no">{l.line}</span>
                <span className="raw-text">{l.text}</span>
                {l.kind !== 'record' ? <span className="raw-kind">{l.detail ? `${l.kind}: ${l.detail}` : l.kind}</span> : null}
              </div>
            );
          })}
        </div>
      ) : null}
    </section>
  );
}

// The log around an event, every line as the file has it (records, foreign and rejected lines),
// with a context the reader widens a step at a time. The pod's own records are marked, other pods'
// dimmed, errors and warnings coloured; long lines wrap.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { LinesResponse, RawLine } from '../../../api/types.js';
import { useApi } from '../api.js';
import { queryString } from '../router.js';
import { ErrorState, Loading } from '../components/States.js';

/** Lines either side at first, the step of each widening, and the most the API gives. */
const FIRST = 8;
const STEP = 20;
const MOST = 200;

const lineClass = (l: RawLine, hit: boolean): string =>
  ['raw-line', `raw-${l.kind}`, l.severity ? `raw-sev-${l.severity}` : '', l.pod ? `raw-pod-${l.pod}` : '', hit ? 'raw-hit' : ''].filter(Boolean).join(' ');

export function ContextLines({ source, line, podKey }: { source: number | undefined; line: number; podKey: string }): ReactNode {
  // the pane keys this by event: a new event starts from the first context again
  const [around, setAround] = useState({ before: FIRST, after: FIRST });
  const res = useApi<LinesResponse>(`/api/lines${queryString({ source, line, before: around.before, after: around.after, pod: podKey })}`);
  const hit = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLDivElement>(null);
  const widened = useRef(false);
  // the event's line in the middle of the lines' own scroll (not the page's, nor the pane's: the
  // message and key/values above stay in view); a widening keeps what the reader looks at
  useEffect(() => {
    const b = body.current;
    const h = hit.current;
    if (b && h && !widened.current) b.scrollTop = h.offsetTop - b.offsetTop - b.clientHeight / 2 + h.clientHeight / 2;
    widened.current = false;
  }, [res.data]);
  const widen = (side: 'before' | 'after'): void => {
    widened.current = true;
    setAround((a) => ({ ...a, [side]: Math.min(MOST, a[side] + STEP) }));
  };
  const data = res.data;
  const first = data?.lines[0]?.line ?? line;
  const last = data?.lines.at(-1)?.endLine ?? line;
  // fewer lines than asked for: the log ends (the API stops at its last line)
  const atEnd = last < line + around.after;
  return (
    <section className="context-lines" data-testid="raw-lines" aria-label="raw log lines">
      <header>
        <strong>Raw log</strong> <span className="mono dim">{data ? `${data.path}:${line}` : `line ${line}`}</span>
        {data ? (
          <span className="dim" data-testid="raw-range">
            lines {first}–{last}
          </span>
        ) : null}
      </header>
      {res.state === 'error' ? <ErrorState error={res.error} what="the raw lines" /> : null}
      {!data && res.state === 'loading' ? <Loading what="raw lines" /> : null}
      {data ? (
        <>
          <button type="button" className="widen" data-testid="more-before" disabled={first <= 1 || around.before >= MOST} onClick={() => widen('before')}>
            {first <= 1 ? 'the log begins here' : around.before >= MOST ? `${MOST} lines before at most` : `▲ ${STEP} more lines before`}
          </button>
          <div className="raw-body" ref={body}>
            {data.lines.map((l) => {
              const at = l.line <= line && line <= l.endLine;
              return (
                <div key={l.line} ref={at ? hit : undefined} className={lineClass(l, at)} data-line={l.line} data-kind={l.kind} data-pod={l.pod ?? ''} data-severity={l.severity ?? ''}>
                  <span className="raw-no">{l.line}</span>
                  <span className="raw-text">{l.text}</span>
                  {l.kind !== 'record' ? <span className="raw-kind">{l.detail ? `${l.kind}: ${l.detail}` : l.kind}</span> : null}
                </div>
              );
            })}
          </div>
          <button type="button" className="widen" data-testid="more-after" disabled={atEnd || around.after >= MOST} onClick={() => widen('after')}>
            {atEnd ? 'the log ends here' : around.after >= MOST ? `${MOST} lines after at most` : `▼ ${STEP} more lines after`}
          </button>
        </>
      ) : null}
    </section>
  );
}

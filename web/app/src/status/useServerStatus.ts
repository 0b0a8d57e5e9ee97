// What the server says is ready (/api/status), asked again every second while something is under
// way: `kubelog serve FILE` ingests while it serves, so the pods come after the records, and
// search after the pods. When what is ready changes, the answers kept so far (api.ts) describe a
// database that has moved on: they are forgotten and the pages ask again (`generation`).
import { useEffect, useState } from 'react';
import type { StatusResponse } from '../../../api/types.js';
import { forgetAnswers, getJson } from '../api.js';

const POLL_MS = 1000;

/** Something the app waits for is still being built. */
export function underWay(s: StatusResponse): boolean {
  if (s.ingest) return !['done', 'interrupted', 'failed'].includes(s.ingest.step) || (s.ingest.step === 'done' && !s.search.ready);
  return s.writer !== null && (!s.pods.ready || !s.search.ready);
}

/** What a change of it means for the pages: new pods, search answering, the ingest's end. */
const readiness = (s: StatusResponse): string => `${s.pods.ready}|${s.search.ready}|${s.ingest?.step ?? ''}`;

export function useServerStatus(): { status: StatusResponse | undefined; generation: number } {
  const [status, setStatus] = useState<StatusResponse>();
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let seen: string | undefined;
    const poll = async (): Promise<void> => {
      let next = POLL_MS;
      try {
        const s = await getJson<StatusResponse>('/api/status');
        if (stopped) return;
        setStatus(s);
        const now = readiness(s);
        if (seen !== undefined && now !== seen) {
          forgetAnswers();
          setGeneration((g) => g + 1);
        }
        seen = now;
        if (!underWay(s)) return;
      } catch {
        next = 3 * POLL_MS; // the pages say what is wrong with the server
      }
      if (!stopped) timer = setTimeout(() => void poll(), next);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  return { status, generation };
}

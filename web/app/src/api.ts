// Reading the server's JSON API: one hook that fetches, cancels what is stale, and reports
// loading and errors in words a user can act on.
import { useEffect, useState } from 'react';
import type { ApiError } from '../../api/types.js';

export class ApiFailure extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message);
  }
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { signal: signal ?? null, headers: { accept: 'application/json' } });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiFailure('The kubelog server does not answer. Is `kubelog serve` still running? Start it again and reload.', 0, 'unreachable');
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiFailure(`The server answered ${res.status} with something that is not JSON.`, res.status, 'not-json');
  }
  if (!res.ok) {
    const err = body as Partial<ApiError>;
    throw new ApiFailure(err.error ?? `The server answered ${res.status}.`, res.status, err.code ?? String(res.status));
  }
  return body as T;
}

// Answers are kept until the page is reloaded: going back to a page or a pod is instant, and the
// header, pod list and search ask for /api/sources once. The cost: what another `kubelog ingest`
// adds to the database while the page is open shows after a reload.
const answers = new Map<string, unknown>();
const MAX_ANSWERS = 64;

/** The database has changed under the app (an ingest it serves while it runs): ask again. */
export function forgetAnswers(): void {
  answers.clear();
}

function remember(path: string, data: unknown): void {
  answers.delete(path);
  answers.set(path, data);
  if (answers.size > MAX_ANSWERS) answers.delete(answers.keys().next().value!);
}

export type Loaded<T> = { state: 'loading'; data?: T } | { state: 'error'; error: ApiFailure; data?: T } | { state: 'ready'; data: T };

/** Fetches `path` whenever it changes; keeps the previous data while the next loads. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [result, setResult] = useState<Loaded<T>>(() => (path !== null && answers.has(path) ? { state: 'ready', data: answers.get(path) as T } : { state: 'loading' }));
  useEffect(() => {
    if (path === null) return;
    if (answers.has(path)) {
      setResult({ state: 'ready', data: answers.get(path) as T });
      return;
    }
    const ctl = new AbortController();
    setResult((r) => ({ state: 'loading', ...(r.data !== undefined ? { data: r.data } : {}) }));
    getJson<T>(path, ctl.signal).then(
      (data) => {
        remember(path, data);
        setResult({ state: 'ready', data });
      },
      (e: unknown) => {
        if ((e as Error).name === 'AbortError') return;
        const error = e instanceof ApiFailure ? e : new ApiFailure(String((e as Error).message ?? e), 0, 'client');
        setResult((r) => ({ state: 'error', error, ...(r.data !== undefined ? { data: r.data } : {}) }));
      },
    );
    return () => ctl.abort();
  }, [path]);
  return result;
}

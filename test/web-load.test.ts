// A server under a bounded burst of concurrent requests: the real `kubelog serve` over the
// database of a generated node (fixed seed), slow searches in flight, and the other endpoints
// still answering within a bound. better-sqlite3 is synchronous: when the server queried SQLite
// on its own thread, one broad search held every other request for seconds. And the query pool
// itself: deadlines, a bound on waiting, a worker replaced when it overruns.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PodsResponse, SearchResponse } from '../web/api/types.js';
import { HttpError } from '../web/server/errors.js';
import { QueryPool } from '../web/server/query-pool.js';
import { runCli } from './helpers/cli.js';
import { repoRoot } from './helpers/samples.js';
import { serve, type Served } from './helpers/serve.js';

// words that many blocks of the log hold, but no one record: each page narrows its whole budget
const SLOW_SEARCHES = ['probe AND volume', 'SyncLoop AND Killing', 'volume AND kill*', '"Probe failed" AND "SyncLoop ADD"'];
// the search: 16 one-letter prefixes (seconds of work per 100 MB)
const COSTLY = 'abcdefghijklmnop'.split('').map((c) => `${c}*`).join(' ');

let dir: string;
let db: string;
let server: Served;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-web-load-'));
  const log = path.join(dir, 'node.log');
  const gen = spawnSync(process.execPath, [path.join(repoRoot, 'dist/samples/generator/cli.js'), '--out', log, '--size', '40MB', '--seed', '11', '--version', '1.28', '--verbosity', '4'], { encoding: 'utf8' });
  expect(gen.status, gen.stderr).toBe(0);
  db = path.join(dir, 'node.db');
  const r = await runCli(['ingest', '-q', '--db', db, '--year', '2024', log]);
  expect(r.code, r.stderr).toBe(0);
  server = await serve(['--db', db]);
}, 180_000);

afterAll(async () => {
  expect(await server?.stop()).toBe(0);
});

async function timed(p: string): Promise<{ path: string; status: number; ms: number; body: unknown }> {
  const t = performance.now();
  const res = await fetch(server.url + p);
  const body: unknown = await res.json();
  return { path: p, status: res.status, ms: performance.now() - t, body };
}

/** `n` requests from `make`, at most `concurrency` at a time. */
async function burst<T>(n: number, concurrency: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        out[i] = await make(i);
      }
    }),
  );
  return out;
}

describe('a server under a bounded burst of concurrent requests', () => {
  it('answers the quick endpoints within 2 s while slow searches are in flight; every request is answered', async () => {
    const pods = ((await timed('/api/pods?limit=20')).body as PodsResponse).pods.map((p) => p.key);
    expect(pods).toHaveLength(20);
    // eight slow searches at once, and the costly one twice
    const searches = [...SLOW_SEARCHES, ...SLOW_SEARCHES, COSTLY, COSTLY].map((q) => timed(`/api/search?q=${encodeURIComponent(q)}`));
    await new Promise((r) => setTimeout(r, 100));
    const quick = [
      () => '/api/sources',
      (i: number) => `/api/pods?limit=50&offset=${(i * 7) % 300}&sort=terminating&desc=1`,
      (i: number) => `/api/overview?buckets=0&limit=200&offset=${(i * 13) % 400}`,
      (i: number) => `/api/lines?line=${1 + ((i * 997) % 50_000)}&before=12&after=12`,
      (i: number) => `/api/overview?limit=0&buckets=240&from=${1717718400000000 + i * 60_000_000}&to=${1717718400000000 + (i + 30) * 60_000_000}`,
    ];
    const answered = await burst(60, 8, (i) => timed(quick[i % quick.length]!(i)));
    const slow = await Promise.all(searches);
    for (const a of answered) expect([a.path, a.status], JSON.stringify(a.body).slice(0, 300)).toEqual([a.path, 200]);
    const worst = answered.reduce((w, a) => (a.ms > w.ms ? a : w));
    expect(worst.ms, `slowest quick answer: ${worst.path} in ${Math.round(worst.ms)} ms`).toBeLessThan(2000);
    // the slow searches answer a bounded page each, with where to go on; the costly one is refused at once
    for (const s of slow.slice(0, 8)) {
      expect([s.path, s.status]).toEqual([s.path, 200]);
      const page = s.body as SearchResponse;
      expect(page.blocks.searched).toBeLessThanOrEqual(64);
      expect(page.next === null || page.blocks.left > 0).toBe(true);
    }
    for (const s of slow.slice(8)) expect([s.status, (s.body as { code: string }).code]).toEqual([400, 'search-too-costly']);
    expect(pods.length).toBe(20);
  }, 120_000);
});

describe('the query pool', () => {
  it('answers 503 past a deadline and replaces the worker; refuses at once beyond its waiting bound; a slow answer never takes every worker', async () => {
    const pool = new QueryPool({ dbPath: db, size: 2, maxWaiting: 6 });
    const fail = (p: Promise<string>): Promise<HttpError | string> => p.then(
      (json) => json,
      (e: unknown) => e as HttpError,
    );
    try {
      // a search page is at least 64 blocks (~0.3 s on an idle core) or half a second: past 100 ms
      const late = await fail(pool.run('search', { q: SLOW_SEARCHES[0]!, limit: 100 }, { deadlineMs: 100 }));
      expect(late).toBeInstanceOf(HttpError);
      expect([(late as HttpError).status, (late as HttpError).code]).toEqual([503, 'timeout']);
      expect((late as HttpError).message).toBe('answering search took longer than 0.1 s and was stopped: narrow it (a time window, fewer or longer search words)');
      // the worker that overran is replaced: the pool answers on
      expect(JSON.parse((await pool.run('sources', {})) as string)).toMatchObject({ db, records: expect.any(Number) });

      // one slow search runs, six wait for the one worker slow answers may take, the eighth is refused at once
      const slow = SLOW_SEARCHES.concat(SLOW_SEARCHES).map((q) => fail(pool.run('search', { q, limit: 100 })));
      const t = performance.now();
      const lines = await pool.run('lines', { line: 1, before: 0, after: 0 });
      expect(JSON.parse(lines)).toMatchObject({ line: 1, lines: [{ line: 1 }] });
      // the quick answer did not wait behind the searches
      const quickMs = performance.now() - t;
      const outcomes = await Promise.all(slow);
      const refused = outcomes.filter((o) => o instanceof HttpError);
      expect(refused.map((e) => [(e as HttpError).status, (e as HttpError).code])).toEqual([[503, 'busy']]);
      expect((refused[0] as HttpError).message).toBe('the server has 6 slow requests waiting already: try again in a moment');
      expect(outcomes.filter((o) => typeof o === 'string')).toHaveLength(7);
      expect(outcomes.at(-1)).toBe(refused[0]);
      expect(quickMs).toBeLessThan(1500);
    } finally {
      await pool.close();
    }
    await expect(pool.run('sources', {})).rejects.toMatchObject({ status: 503, code: 'closing' });
  }, 120_000);
});

// The ingest as `kubelog ingest` runs it, in a worker thread (ingest/ingest-thread.ts): the same
// result as in-process, progress and stdin across the boundary, an abort, and errors that keep
// their class (the command picks its exit code by class).
import { createReadStream, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { ingest, type IngestProgress } from '../ingest/ingest.js';
import { ingestInWorker } from '../ingest/ingest-thread.js';
import { InputReadError } from '../ingest/input-error.js';
import { StoreError } from '../store/errors.js';
import { fromThreadError, toThreadError } from '../ingest/thread-errors.js';

const tmp = (name: string) => mkdtempSync(path.join(tmpdir(), `kubelog-${name}-`));
const SAMPLE = path.resolve('samples/real/06-aks-journald-structured-liveness-restart.log');
const count = (db: string, sql: string) => (new Database(db, { readonly: true }).prepare(sql).get() as { n: number }).n;

describe('ingest in a worker thread', () => {
  it('stores what the in-process ingest stores, and reports progress', async () => {
    const a = path.join(tmp('it-a'), 'k.db');
    const b = path.join(tmp('it-b'), 'k.db');
    const inProcess = await ingest({ db: a, args: [SAMPLE], year: 2024 });
    const progress: IngestProgress[] = [];
    const threaded = await ingestInWorker({ db: b, args: [SAMPLE], year: 2024, onProgress: (p) => progress.push(p) });
    const strip = (r: typeof inProcess) => ({ ...r, db: '', seconds: 0, mbPerSecond: 0 });
    expect(strip(threaded)).toEqual(strip(inProcess));
    expect(threaded.totals.records).toBeGreaterThan(0);
    for (const db of [a, b]) expect(count(db, 'SELECT count(*) AS n FROM records')).toBe(threaded.totals.records);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ inputs: 1, inputsDone: 1, lines: threaded.totals.linesRead });
  });

  it('reads the stdin stream it is given, piped into the thread', async () => {
    const db = path.join(tmp('it-stdin'), 'k.db');
    const fromFile = await ingest({ db: path.join(tmp('it-file'), 'k.db'), args: [SAMPLE], year: 2024 });
    const r = await ingestInWorker({ db, args: [], year: 2024, stdin: createReadStream(SAMPLE) });
    expect(r.sources.map((s) => [s.path, s.status])).toEqual([['-', 'new']]);
    expect(r.totals).toEqual(fromFile.totals);
  });

  it('an aborted ingest comes back interrupted, and stores nothing half-written', async () => {
    const db = path.join(tmp('it-abort'), 'k.db');
    const abort = new AbortController();
    abort.abort();
    const r = await ingestInWorker({ db, args: [SAMPLE], year: 2024, signal: abort.signal });
    expect(r.interrupted).toBe(true);
    // stopped before it took the write lock: no database was even created
    expect(r.sources).toEqual([]);
    expect(existsSync(db)).toBe(false);
  });

  it('errors keep their class: a database that is not one, a missing input', async () => {
    const dir = tmp('it-err');
    const notDb = path.join(dir, 'text.db');
    writeFileSync(notDb, 'not a database, just text\n'.repeat(200));
    const e1 = await ingestInWorker({ db: notDb, args: [SAMPLE] }).catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(StoreError);
    expect((e1 as StoreError).code).toBe('SQLITE_NOTADB');
    expect((e1 as Error).message).toContain(notDb);
    const missing = path.join(dir, 'nope.log');
    const e2 = await ingestInWorker({ db: path.join(dir, 'k.db'), args: [missing] }).catch((e: unknown) => e);
    expect(e2).toBeInstanceOf(InputReadError);
    expect((e2 as InputReadError).input).toBe(missing);
  });

  it('thread errors round-trip their class, code and input', () => {
    const s = fromThreadError(toThreadError(new StoreError('db: full', 'SQLITE_FULL')));
    expect(s).toBeInstanceOf(StoreError);
    expect([s.message, (s as StoreError).code]).toEqual(['db: full', 'SQLITE_FULL']);
    const i = fromThreadError(toThreadError(new InputReadError('x.gz: corrupt', 'x.gz')));
    expect(i).toBeInstanceOf(InputReadError);
    expect((i as InputReadError).input).toBe('x.gz');
    const p = fromThreadError(toThreadError(new TypeError('boom')));
    expect([p.constructor, p.message]).toEqual([Error, 'boom']);
  });
});

// An ingest killed at any moment leaves a database that opens and queries, holding a consistent
// prefix; running the same command again completes it without duplicates. A real `kubelog ingest`
// of a generated ~50 MB log is killed (SIGKILL, then SIGINT) once it has committed some batches,
// and once it has stored them all and is building the pod lifecycles: readers of what it left say
// the pods are out of date (never "No pods match."), and the next ingest builds them.
// The log has no year and its zone (+08:00) only in its content, and crosses New Year after the
// kill: the resumed run must date it as one uninterrupted parse does, from the stored assumptions.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { KubeletLogParser, type LogRecord, type ParseCounts, type TimeAssumptions } from '../parser/index.js';
import { generateLog } from '../samples/generator/index.js';
import { loadRecords, searchPage } from '../store/queries.js';
import { kubelogBin, runCli } from './helpers/cli.js';

interface SourceRow {
  id: number;
  complete: number;
  lines_done: number;
  lines_read: number;
  records: number;
  record_lines: number;
  foreign_lines: number;
  rejected_lines: number;
}

const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-kill-'));
const log = path.join(dir, 'kubelet.log');
/** What the parser reads: counts, every record's first and last line, and every 997th record. */
const want = {
  counts: undefined as unknown as ParseCounts,
  time: undefined as unknown as TimeAssumptions,
  lines: [] as number[],
  spans: [] as number[],
  sample: new Map<number, LogRecord>(),
  last: 0,
};
/** `kubelog pods --json` of the log ingested without interruption. */
let wantPods: string;

beforeAll(async () => {
  const fd = openSync(log, 'w');
  const gen = { seed: 11, targetBytes: 50_000_000, kubeletVersion: '1.28' as const, envelope: 'journal-short' as const, verbosity: 4 as const };
  await generateLog({ ...gen, tz: '+08:00', start: '2024-12-31T13:00:00Z' }, (c) => {
    writeSync(fd, c);
  });
  closeSync(fd);
  const parser = new KubeletLogParser({ fallbackYear: 1999 }, (e) => {
    if (e.type !== 'record') return;
    if (want.lines.length % 997 === 0) want.sample.set(e.record.line, e.record);
    want.lines.push(e.record.line);
    want.last = e.record.timeUs!;
    want.spans.push(e.record.endLine - e.record.line);
  });
  parser.push(readFileSync(log));
  want.counts = parser.end();
  const ref = path.join(dir, 'ref.db');
  expect((await runCli(['ingest', '-q', '--db', ref, log])).code).toBe(0);
  wantPods = await podsJson(ref);
  want.time = parser.settledTimes()!;
  // local New Year (+08:00) falls in the part a resumed run reads
  expect(want.last).toBeGreaterThan(Date.UTC(2024, 11, 31, 16) * 1000);
}, 300_000);

/** What `kubelog pods --json` answers, but the database's name. */
async function podsJson(db: string): Promise<string> {
  const r = await runCli(['pods', '--json', '--db', db]);
  expect(r.code, r.stdout).toBe(0);
  return JSON.stringify({ ...(JSON.parse(r.stdout) as object), db: undefined });
}

/** Readers of a database whose ingest stopped before the pods were rebuilt: they say so, and fail. */
async function expectStalePods(db: string): Promise<void> {
  const text = await runCli(['pods', '--db', db]);
  expect(text.code).toBe(1);
  expect(text.stdout).toBe('');
  expect(text.stderr).toBe(
    `error: ${db}: the pods are out of date: an ingest stopped before it rebuilt them from the stored records. Run the same kubelog ingest again to finish it, or kubelog rebuild --db ${db}.\n`,
  );
  const json = await runCli(['pods', '--json', '--db', db]);
  expect(json.code).toBe(1);
  expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'LIFECYCLES_STALE', exit: 1, input: db } });
  expect((await runCli(['pod', '--db', db, 'anything'])).code).toBe(1);
}

function writerState(db: string): { stale: number | null; lockPid: number | undefined; runs: number } {
  const d = new Database(db, { readonly: true });
  try {
    return {
      stale: d.prepare('SELECT stale FROM lifecycle_state').pluck().get() as number | null,
      lockPid: d.prepare('SELECT pid FROM writer_lock').pluck().get() as number | undefined,
      runs: d.prepare('SELECT count(*) FROM lifecycle_runs').pluck().get() as number,
    };
  } finally {
    d.close();
  }
}

function start(db: string, env?: NodeJS.ProcessEnv): { child: ChildProcess; done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> } {
  const child = spawn(process.execPath, [kubelogBin, 'ingest', '--db', db, log], { stdio: ['ignore', 'ignore', 'pipe'], env: env && { ...process.env, ...env } });
  const err: Buffer[] = [];
  child.stderr!.on('data', (d: Buffer) => err.push(d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr: Buffer.concat(err).toString('utf8') })),
  );
  return { child, done };
}

/** Wait until the ingest has committed a few batches (read through a second connection). */
async function committed(db: string, minLines: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      const d = new Database(db, { readonly: true, fileMustExist: true });
      try {
        const row = d.prepare('SELECT lines_done FROM sources').get() as { lines_done: number } | undefined;
        if (row && row.lines_done >= minLines) return;
      } finally {
        d.close();
      }
    } catch {
      // not created yet, or busy
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the ingest committed nothing within a minute');
}

/** What a killed ingest left: opens, queries, and is exactly a prefix with its accounting. */
function checkPrefix(db: string): SourceRow {
  const d = new Database(db);
  try {
    expect(d.pragma('quick_check', { simple: true })).toBe('ok');
    const s = d.prepare('SELECT * FROM sources').get() as SourceRow;
    expect(s.complete).toBe(0);
    expect(s.lines_read).toBe(s.lines_done);
    expect(s.lines_read).toBe(s.record_lines + s.foreign_lines + s.rejected_lines);
    const stored = d.prepare('SELECT count(*) AS n, coalesce(sum(span + 1), 0) AS spanned, max(line) AS last FROM records').get() as { n: number; spanned: number; last: number };
    expect(stored.n).toBe(s.records);
    expect(stored.last).toBeLessThanOrEqual(s.lines_done);
    // it is the parser's prefix: the same records, up to where it stopped
    const prefix = want.lines.filter((l) => l <= s.lines_done).length;
    expect(stored.n).toBe(prefix);
    expect(s.record_lines).toBe(want.spans.slice(0, prefix).reduce((a, x) => a + x + 1, 0));
    // and it answers queries
    expect((d.prepare("SELECT count(*) AS n FROM records_view WHERE msg = 'SyncLoop (housekeeping)'").get() as { n: number }).n).toBeGreaterThan(0);
    // the full-text index comes after the pods: none yet, and the database says so
    expect(searchState(d)).toEqual({ indexedTo: 0, blocksLeft: d.prepare('SELECT count(*) FROM blocks').pluck().get() });
    expect(matches(d, 'housekeeping')).toEqual([]);
    return s;
  } finally {
    d.close();
  }
}

/** How far the full-text index goes (store/search-index.ts): blocks above indexed_to are not in it. */
function searchState(d: Database.Database): { indexedTo: number; blocksLeft: number } {
  const indexedTo = d.prepare('SELECT indexed_to FROM search_state').pluck().get() as number;
  return { indexedTo, blocksLeft: d.prepare('SELECT count(*) FROM blocks WHERE id > ?').pluck().get(indexedTo) as number };
}

/** The lines of the records a search finds, through the full-text index. */
function matches(d: Database.Database, query: string): number[] {
  return searchPage(d, query, { limit: 1e9, maxBlocks: 1e9 }).hits.map((h) => h.record.line);
}

function checkComplete(db: string): void {
  const d = new Database(db, { readonly: true });
  try {
    const s = d.prepare('SELECT * FROM sources').all() as SourceRow[];
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({
      complete: 1,
      lines_read: want.counts.linesRead,
      records: want.counts.records,
      record_lines: want.counts.recordLines,
      foreign_lines: want.counts.foreign,
      rejected_lines: want.counts.rejected,
    });
    const lines = d.prepare('SELECT line FROM records ORDER BY id').pluck().all() as number[];
    expect(lines).toEqual(want.lines);
    // dated as one uninterrupted parse dates it, and says so
    expect((JSON.parse(d.prepare('SELECT parse_options FROM sources').pluck().get() as string) as { time: unknown }).time).toEqual(want.time);
    expect(want.time).toMatchObject({ year: { value: 2024, from: 'content' }, zone: { value: '+08:00', from: 'content' } });
    // exact records, decoded from their blocks, on a sample across the whole input
    const rows = d
      .prepare(`SELECT id, block_id FROM records WHERE line IN (${[...want.sample.keys()].join(',')}) ORDER BY id`)
      .all() as Array<{ id: number; block_id: number }>;
    expect(loadRecords(d, rows).map((r) => r.record)).toEqual([...want.sample.values()]);
    expect(d.prepare('SELECT count(*) FROM deferred_indexes').pluck().get()).toBe(0);
    // the full-text index covers every block, as that of the log ingested without interruption
    expect(searchState(d).blocksLeft).toBe(0);
    expect(searchState(d).indexedTo).toBe(d.prepare('SELECT max(id) FROM blocks').pluck().get());
    const ref = new Database(path.join(dir, 'ref.db'), { readonly: true });
    try {
      for (const query of ['housekeeping', '"Killing container with a grace period"', 'volume* AND mount*']) {
        expect(matches(d, query).length, query).toBeGreaterThan(0);
        expect(matches(d, query), query).toEqual(matches(ref, query));
      }
    } finally {
      ref.close();
    }
  } finally {
    d.close();
  }
}

describe('an interrupted ingest', () => {
  it('SIGKILL leaves a consistent prefix; the same command completes it without duplicates', { timeout: 300_000 }, async () => {
    const db = path.join(dir, 'killed.db');
    const { child, done } = start(db);
    await committed(db, 20_000);
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    // the dead ingest's lock is still there; its records have no pods yet
    expect(writerState(db)).toEqual({ stale: 1, lockPid: child.pid, runs: 0 });
    const prefix = checkPrefix(db);
    expect(prefix.lines_done).toBeLessThan(want.counts.linesRead);
    await expectStalePods(db);
    const again = await runCli(['ingest', '--json', '--db', db, log]);
    expect(again.code).toBe(0);
    const res = JSON.parse(again.stdout) as { sources: Array<{ status: string; added: { linesRead: number } }> };
    expect(res.sources[0]!.status).toBe('resumed');
    expect(res.sources[0]!.added.linesRead).toBe(want.counts.linesRead - prefix.lines_read);
    checkComplete(db);
    expect(writerState(db)).toEqual({ stale: 0, lockPid: undefined, runs: 1 });
    expect(await podsJson(db)).toBe(wantPods);
  });

  it('SIGINT stores what is complete, says how to continue, and exits non-zero', { timeout: 300_000 }, async () => {
    const db = path.join(dir, 'interrupted.db');
    const { child, done } = start(db);
    await committed(db, 20_000);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted: .*kubelet\.log: stored up to line \d+; run the same command again to continue/);
    checkPrefix(db);
    // the indexes a large ingest drops while it runs are back
    const d = new Database(db, { readonly: true });
    expect(d.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' ORDER BY name").pluck().all()).toEqual(['records_printf_time', 'records_severe_time', 'records_time']);
    d.close();
  });
});

/** Wait until `reached` holds of the database (read through a second connection) while the ingest runs. */
async function until(db: string, reached: (d: Database.Database) => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    try {
      const d = new Database(db, { readonly: true, fileMustExist: true });
      try {
        if (reached(d)) return;
      } finally {
        d.close();
      }
    } catch {
      // not created yet, or busy
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the ingest did not ${what} within 4 minutes`);
}

/** An ingest into a fresh `name`.db, SIGKILLed once `reached` resolves. */
async function killedAt(name: string, reached: (db: string) => Promise<void>): Promise<{ db: string; pid: number | undefined }> {
  const db = path.join(dir, `${name}.db`);
  const { child, done } = start(db);
  await reached(db);
  child.kill('SIGKILL');
  expect((await done).signal).toBe('SIGKILL');
  return { db, pid: child.pid };
}

/** Every record is stored: the ingest is rebuilding the pod lifecycles. */
const rebuilding = (db: string) => until(db, (d) => d.prepare('SELECT complete FROM sources').pluck().get() === 1, 'store its records');

describe('an ingest interrupted while it builds the pod lifecycles', () => {
  it('SIGKILL: the records are all stored, the pods marked out of date; the next ingest builds them', { timeout: 300_000 }, async () => {
    const { db, pid } = await killedAt('killed-rebuild', rebuilding);
    // killed before the rebuild committed
    expect(writerState(db)).toEqual({ stale: 1, lockPid: pid, runs: 0 });
    await expectStalePods(db);
    const again = await runCli(['ingest', '--json', '--db', db, log]);
    expect(again.code).toBe(0);
    const res = JSON.parse(again.stdout) as { sources: Array<{ status: string }>; lifecycle?: { pods: number } };
    expect(res.sources.map((s) => s.status)).toEqual(['unchanged']);
    expect(res.lifecycle?.pods).toBeGreaterThan(0);
    checkComplete(db);
    expect(await podsJson(db)).toBe(wantPods);
  });

  it('SIGKILL in a rebuild by partitions of pods: its scratch files go with the next ingest, which builds what one pass builds', { timeout: 300_000 }, async () => {
    // a few hundred pods, 40 a partition: the path of a log of more pods than PODS_PER_PARTITION
    const partitioned = { KUBELOG_PODS_PER_PARTITION: '40' };
    const db = path.join(dir, 'killed-partitioned.db');
    const { child, done } = start(db, partitioned);
    const census = `.${path.basename(db)}.census-${child.pid}.db`;
    const deadline = Date.now() + 240_000;
    while (!readdirSync(dir).includes(census)) {
      if (Date.now() > deadline) throw new Error('the ingest never began a partitioned rebuild');
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill('SIGKILL');
    expect((await done).signal).toBe('SIGKILL');
    expect(writerState(db)).toEqual({ stale: 1, lockPid: child.pid, runs: 0 });
    await expectStalePods(db);
    // the killed rebuild's census is still there (SQLite cannot write a file unlinked while open)
    expect(readdirSync(dir).filter((f) => f.startsWith(`.${path.basename(db)}.`))).toContain(census);
    const again = await runCli(['ingest', '--json', '--db', db, log], { env: { ...process.env, ...partitioned } });
    expect(again.code, again.stderr).toBe(0);
    const res = JSON.parse(again.stdout) as { lifecycle?: { pods: number } };
    expect(res.lifecycle?.pods).toBeGreaterThan(200);
    checkComplete(db);
    // pod row ids follow the order pods are written in, partition by partition: all else is the same
    const withoutIds = (json: string) => (JSON.parse(json) as { pods: object[] }).pods.map((p) => ({ ...p, id: undefined }));
    expect(withoutIds(await podsJson(db))).toEqual(withoutIds(wantPods));
    expect(readdirSync(dir).filter((f) => f.startsWith(`.${path.basename(db)}.`))).toEqual([]);
  });

  it('SIGINT: says so and exits 130; the pods stay marked out of date until the next ingest', { timeout: 300_000 }, async () => {
    const db = path.join(dir, 'interrupted-rebuild.db');
    const { child, done } = start(db);
    await rebuilding(db);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain('interrupted while building the pod lifecycles: run the same command again to build them\n');
    // the lock was given up on the way out
    expect(writerState(db)).toEqual({ stale: 1, lockPid: undefined, runs: 0 });
    await expectStalePods(db);
    expect((await runCli(['ingest', '-q', '--db', db, log])).code).toBe(0);
    expect(await podsJson(db)).toBe(wantPods);
  });
});

/** The pod lifecycles are stored: the ingest is building the search index. */
const indexing = (db: string) =>
  until(db, (d) => d.prepare('SELECT complete FROM sources').pluck().get() === 1 && d.prepare('SELECT stale FROM lifecycle_state').pluck().get() === 0, 'store its pods');

/** The pods answer; the search index is incomplete, and the database knows how much is left. */
async function expectPodsWithoutSearch(db: string): Promise<void> {
  expect(await podsJson(db)).toBe(wantPods);
  const d = new Database(db, { readonly: true });
  try {
    const left = searchState(d).blocksLeft;
    expect(left).toBeGreaterThan(0);
    // the blocks above the mark have no rows in the index: nothing of them is found yet
    const lastIndexed = searchState(d).indexedTo;
    expect(d.prepare('SELECT count(*) FROM blocks_fts WHERE rowid > ?').pluck().get(lastIndexed)).toBe(0);
  } finally {
    d.close();
  }
}

describe('an ingest interrupted while it builds the search index', () => {
  it('SIGKILL: the records and pods are all stored, the index incomplete and said so; the next ingest completes it', { timeout: 300_000 }, async () => {
    const { db, pid } = await killedAt('killed-index', indexing);
    expect(writerState(db)).toEqual({ stale: 0, lockPid: pid, runs: 1 });
    await expectPodsWithoutSearch(db);
    const again = await runCli(['ingest', '--json', '--db', db, log]);
    expect(again.code, again.stderr).toBe(0);
    const res = JSON.parse(again.stdout) as { sources: Array<{ status: string }>; lifecycle?: unknown; indexes?: { blocks: number } };
    expect(res.sources.map((s) => s.status)).toEqual(['unchanged']);
    // the pods were current: not built again
    expect(res.lifecycle).toBeUndefined();
    expect(res.indexes?.blocks).toBeGreaterThan(0);
    checkComplete(db);
    expect(writerState(db)).toEqual({ stale: 0, lockPid: undefined, runs: 1 });
  });

  it('SIGINT: says so and exits 130; kubelog rebuild completes the index', { timeout: 300_000 }, async () => {
    const db = path.join(dir, 'interrupted-index.db');
    const { child, done } = start(db);
    await indexing(db);
    child.kill('SIGINT');
    const r = await done;
    expect(r.code).toBe(130);
    expect(r.stderr).toContain(`interrupted while building the search index: the pods are ready; run the same command again (or kubelog rebuild --db ${db}) to finish it\n`);
    expect(writerState(db)).toEqual({ stale: 0, lockPid: undefined, runs: 1 });
    await expectPodsWithoutSearch(db);
    const rebuilt = await runCli(['rebuild', '--db', db]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toMatch(/^search index: \d+ blocks added; \d indexes built again \(\d+\.\d\d s\)$/m);
    checkComplete(db);
  });
});

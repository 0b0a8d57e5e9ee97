// One writer at a time. Two real `kubelog ingest` processes started together into one new database
// store the log once: the second is refused with a message naming the first (or, started after
// the first ended, finds the log unchanged) — never a duplicate, never a raw SQLite error. A lock
// whose holder is dead (gone, its pid reused, or silent for minutes where its pid cannot be
// checked) is taken over; a live one is not.
import { spawn } from 'node:child_process';
import { closeSync, copyFileSync, existsSync, mkdtempSync, openSync, readFileSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { KubeletLogParser, type ParseCounts } from '../parser/index.js';
import { generateLog } from '../samples/generator/index.js';
import { HEARTBEAT_DEAD_MS, self } from '../store/write-lock.js';
import { kubelogBin, runCli, type CliResult } from './helpers/cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-concurrent-'));
const log = path.join(dir, 'kubelet.log');
const ref = path.join(dir, 'ref.db');
let want: ParseCounts;
let wantPods: number;

beforeAll(async () => {
  const fd = openSync(log, 'w');
  await generateLog({ seed: 21, targetBytes: 3_000_000, kubeletVersion: '1.28', envelope: 'journal-short', verbosity: 4 }, (c) => {
    writeSync(fd, c);
  });
  closeSync(fd);
  const parser = new KubeletLogParser({ year: 2024 }, () => undefined);
  parser.push(readFileSync(log));
  want = parser.end();
  expect((await runCli(['ingest', '-q', '--db', ref, '--year', '2024', log])).code).toBe(0);
  // left in rollback-journal mode: the file alone is the whole database, to copy
  expect(existsSync(`${ref}-wal`)).toBe(false);
  wantPods = (JSON.parse((await runCli(['pods', '--db', ref, '--json'])).stdout) as { total: number }).total;
  expect(wantPods).toBeGreaterThan(40);
}, 180_000);

/** Both processes are spawned before either is waited for. */
function both(args: string[]): Promise<CliResult[]> {
  const one = () =>
    new Promise<CliResult>((resolve) => {
      const child = spawn(process.execPath, [kubelogBin, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
    });
  return Promise.all([one(), one()]);
}

function stored(db: string): { sources: number; records: number; lines: number } {
  const d = new Database(db, { readonly: true });
  try {
    return d.prepare('SELECT count(*) AS sources, coalesce(sum(records), 0) AS records, coalesce(sum(lines_read), 0) AS lines FROM sources').get() as {
      sources: number;
      records: number;
      lines: number;
    };
  } finally {
    d.close();
  }
}

const REFUSED = /^error: .*: another kubelog is writing to it \(kubelog ingest, pid \d+, since \d{4}-\d\d-\d\dT[\d:.]+Z\); wait for it to finish, or use another --db\.\n$/;

describe('two real concurrent ingests', () => {
  it('store the log once: the second is refused, naming the first', { timeout: 300_000 }, async () => {
    for (let round = 0; round < 3; round++) {
      const db = path.join(dir, `both-${round}.db`);
      const runs = await both(['ingest', '-q', '--db', db, '--year', '2024', log]);
      for (const r of runs) {
        if (r.code === 0) expect(r.stderr).toBe('');
        else {
          expect(r.code).toBe(1);
          expect(r.stderr).toMatch(REFUSED);
        }
      }
      expect(runs.some((r) => r.code === 0)).toBe(true);
      expect(stored(db)).toEqual({ sources: 1, records: want.records, lines: want.linesRead });
      const pods = await runCli(['pods', '--db', db, '--json']);
      expect(pods.code).toBe(0);
      expect((JSON.parse(pods.stdout) as { total: number }).total).toBe(wantPods);
    }
  });

  it('--json: the refused one says LOCKED', { timeout: 120_000 }, async () => {
    const db = path.join(dir, 'both-json.db');
    const runs = await both(['ingest', '--json', '--db', db, '--year', '2024', log]);
    const refused = runs.filter((r) => r.code !== 0);
    for (const r of refused) {
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'LOCKED', exit: 1, input: db } });
    }
    expect(stored(db)).toEqual({ sources: 1, records: want.records, lines: want.linesRead });
  });
});

describe('the write lock', () => {
  /** A database with the log stored, and its lock row set as given. */
  function lockedBy(name: string, row: Partial<Record<string, string | number | null>>): string {
    const db = path.join(dir, `${name}.db`);
    copyFileSync(ref, db);
    const me = self();
    const full = { token: 'their-token', command: 'ingest', pid: me.pid, host: me.host, boot_id: me.bootId, pid_ns: me.pidNs, proc_start: me.procStart, started_ms: Date.now(), beat_ms: Date.now(), ...row };
    const d = new Database(db);
    d.prepare(
      'INSERT INTO writer_lock (id, token, command, pid, host, boot_id, pid_ns, proc_start, started_ms, beat_ms) VALUES (1, @token, @command, @pid, @host, @boot_id, @pid_ns, @proc_start, @started_ms, @beat_ms)',
    ).run(full);
    // as an ingest leaves it between storing records and rebuilding the pods
    d.prepare('UPDATE lifecycle_state SET stale = 1').run();
    d.close();
    return db;
  }

  it('held by a live process (this one): ingest and rebuild are refused, readers told the pods are being rebuilt', async () => {
    const db = lockedBy('live', {});
    const r = await runCli(['ingest', '--db', db, '--year', '2024', log]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^error: .*live\\.db: another kubelog is writing to it \\(kubelog ingest, pid ${process.pid}, since `));
    const rebuild = await runCli(['rebuild', '--db', db, '--json']);
    expect(rebuild.code).toBe(1);
    expect(JSON.parse(rebuild.stdout)).toMatchObject({ error: { code: 'LOCKED' } });
    const pods = await runCli(['pods', '--db', db]);
    expect(pods.code).toBe(1);
    expect(pods.stdout).toBe('');
    expect(pods.stderr).toMatch(new RegExp(`live\\.db: an ingest is writing to it \\(kubelog ingest, pid ${process.pid}, .*\\); its pods are rebuilt when it ends`));
  });

  it('held by a pid now reused by another process: taken over', async () => {
    const db = lockedBy('reused', { proc_start: '1' });
    const r = await runCli(['ingest', '--json', '--db', db, '--year', '2024', log]);
    expect(r.code).toBe(0);
    // nothing new to store; the pods the dead ingest left stale are rebuilt
    const out = JSON.parse(r.stdout) as { sources: { status: string }[]; lifecycle?: { pods: number } };
    expect(out.sources.map((s) => s.status)).toEqual(['unchanged']);
    expect(out.lifecycle?.pods).toBe(wantPods);
  });

  it('held from another pid namespace: alive while its heartbeat is fresh, taken over once it is not', async () => {
    const fresh = lockedBy('other-ns', { pid_ns: 'pid:[1]', pid: 1 });
    const r = await runCli(['ingest', '--db', fresh, '--year', '2024', log]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/another kubelog is writing to it \(kubelog ingest, pid 1, since /);
    const silent = lockedBy('other-ns-silent', { pid_ns: 'pid:[1]', pid: 1, beat_ms: Date.now() - HEARTBEAT_DEAD_MS - 1000 });
    expect((await runCli(['ingest', '-q', '--db', silent, '--year', '2024', log])).code).toBe(0);
    expect((await runCli(['pods', '--db', silent, '--limit', '1'])).code).toBe(0);
  });
});

// Readers read: `kubelog pods`, `pod`, `diff` and `serve` leave no -wal or -shm file beside the
// database, refuse a database from a newer kubelog as ingest does, and answer from a database on a
// read-only mount (a real `mount --bind -o ro` when this runs as root and may mount; else the
// directory and file made read-only for a user who is not root).
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubelogBin, runCli, type CliResult } from './helpers/cli.js';
import { repoRoot, samplePath } from './helpers/samples.js';
import { serve } from './helpers/serve.js';

let dir: string;
/** A database as `kubelog ingest` leaves it, alone in its directory. */
let base: string;
let wantPods: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-readonly-'));
  chmodSync(dir, 0o755);
  mkdirSync(path.join(dir, 'base'));
  base = path.join(dir, 'base', 'k.db');
  const r = await runCli(['ingest', '-q', '--db', base, '--year', '2024', samplePath('00'), samplePath('06')]);
  expect(r.code).toBe(0);
  wantPods = (await runCli(['pods', '--db', base])).stdout;
  expect(wantPods).toMatch(/^POD /);
});

const files = (d: string) => readdirSync(d).sort();

describe('readers leave nothing beside the database', () => {
  it('after ingest, pods, pod, diff and serve: the database file alone', async () => {
    const d = path.join(dir, 'alone');
    mkdirSync(d);
    const db = path.join(d, 'k.db');
    copyFileSync(base, db);
    expect(files(d)).toEqual(['k.db']);
    expect((await runCli(['pods', '--db', db])).stdout).toBe(wantPods);
    expect((await runCli(['pods', '--db', db, '--json'])).code).toBe(0);
    expect((await runCli(['pod', '--db', db, '4f3761db'])).code).toBe(0);
    expect((await runCli(['diff', db, db, '--json'])).code).toBe(0);
    const s = await serve(['--db', db]);
    expect((await fetch(`${s.url}/api/pods?limit=1`)).status).toBe(200);
    await s.stop();
    expect(files(d)).toEqual(['k.db']);
    // and ingest itself leaves none either
    expect((await runCli(['ingest', '-q', '--db', db, '--year', '2024', samplePath('13')])).code).toBe(0);
    expect(files(d)).toEqual(['k.db']);
  });
});

describe('a database from a newer kubelog', () => {
  it('pods, pod, diff and serve refuse it, as ingest does', async () => {
    const d = path.join(dir, 'future');
    mkdirSync(d);
    const db = path.join(d, 'k.db');
    copyFileSync(base, db);
    const f = new Database(db);
    f.pragma('user_version = 99');
    f.close();
    const message = new RegExp(`^error: ${db.replace(/[.]/g, '\\.')}: written by a newer kubelog \\(schema version 99; this kubelog knows up to \\d+\\)\\. Upgrade kubelog, or use --db to choose another database\\.\\n$`);
    for (const args of [['pods'], ['pod', '4f3761db'], ['serve', '--port', '0'], ['rebuild']]) {
      const r = await runCli([...args, '--db', db]);
      expect({ args, code: r.code, stdout: r.stdout }).toEqual({ args, code: 1, stdout: '' });
      expect(r.stderr).toMatch(message);
    }
    const diff = await runCli(['diff', db, base]);
    expect(diff.code).toBe(1);
    expect(diff.stderr).toMatch(message);
  });
});

/** A read-only view of `src` at `at`, and how to run kubelog so that it cannot write there. */
function readOnly(src: string, at: string): { run: (args: string[]) => Promise<CliResult>; undo: () => void; how: string } {
  mkdirSync(at);
  const root = process.getuid?.() === 0;
  if (root && spawnSync('mount', ['--bind', src, at]).status === 0) {
    if (spawnSync('mount', ['-o', 'remount,bind,ro', at]).status === 0) return { run: (a) => runCli(a), undo: () => spawnSync('umount', [at]), how: 'mount -o ro' };
    spawnSync('umount', [at]);
  }
  // no mount: the directory and its files read-only, for a user the modes apply to
  rmSync(at, { recursive: true });
  copyDir(src, at);
  chmodSync(at, 0o555);
  for (const f of readdirSync(at)) chmodSync(path.join(at, f), 0o444);
  const run = (args: string[]) => (root ? runAs(65534, args) : runCli(args));
  return { run, undo: () => chmodSync(at, 0o755), how: root ? 'chmod, as nobody' : 'chmod' };
}

function copyDir(src: string, to: string): void {
  mkdirSync(to);
  for (const f of readdirSync(src)) copyFileSync(path.join(src, f), path.join(to, f));
}

function runAs(uid: number, args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    const env = { ...process.env, HOME: dir }; // oclif looks for its data directory under HOME
    const child = spawn(process.execPath, [kubelogBin, ...args], { cwd: repoRoot, uid, gid: uid, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }));
  });
}

describe('on a read-only mount', () => {
  const undo: Array<() => void> = [];
  afterAll(() => {
    for (const u of undo.reverse()) u();
  });

  it('a database as ingest left it, and one left in WAL mode: pods answers, nothing is created', async () => {
    const src = path.join(dir, 'ro-src');
    mkdirSync(src);
    copyFileSync(base, path.join(src, 'k.db'));
    // WAL mode in its header, as a writer killed before it could leave it (or an older kubelog) leaves it
    copyFileSync(base, path.join(src, 'wal.db'));
    const w = new Database(path.join(src, 'wal.db'));
    w.pragma('journal_mode = WAL');
    w.close();
    expect(files(src)).toEqual(['k.db', 'wal.db']);
    const ro = readOnly(src, path.join(dir, 'ro'));
    undo.push(ro.undo);
    for (const name of ['k.db', 'wal.db']) {
      const r = await ro.run(['pods', '--db', path.join(dir, 'ro', name)]);
      expect({ how: ro.how, name, code: r.code, stderr: r.stderr }).toEqual({ how: ro.how, name, code: 0, stderr: '' });
      expect(r.stdout).toBe(wantPods);
      const json = await ro.run(['pod', '--db', path.join(dir, 'ro', name), '4f3761db', '--json']);
      expect(json.code).toBe(0);
      expect((JSON.parse(json.stdout) as { uid: string }).uid).toBe('4f3761db-ee39-4974-a2cc-9bf0a48e5c13');
    }
    expect(files(path.join(dir, 'ro'))).toEqual(['k.db', 'wal.db']);
  });

  it('a database whose last writes are in its -wal: an error that says what to do', async () => {
    const src = path.join(dir, 'ro-wal-src');
    mkdirSync(src);
    // what a writer killed mid-ingest leaves: committed pages in k.db-wal, no checkpoint
    const live = path.join(dir, 'live.db');
    copyFileSync(base, live);
    const w = new Database(live);
    w.pragma('journal_mode = WAL');
    w.pragma('wal_autocheckpoint = 0');
    w.prepare("UPDATE sources SET node = 'n2'").run();
    copyFileSync(live, path.join(src, 'k.db'));
    copyFileSync(`${live}-wal`, path.join(src, 'k.db-wal'));
    w.close();
    const ro = readOnly(src, path.join(dir, 'ro-wal'));
    undo.push(ro.undo);
    const db = path.join(dir, 'ro-wal', 'k.db');
    const r = await ro.run(['pods', '--db', db, '--json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toEqual({
      error: {
        message: `${db}: its last writes are in ${db}-wal, which cannot be read where the directory is read-only (SQLite needs to create k.db-shm beside it). Copy the database with its -wal file to a writable place.`,
        code: 'WAL_UNREADABLE',
        exit: 1,
        input: db,
      },
    });
  });
});

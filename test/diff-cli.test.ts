// `kubelog diff` as a real subprocess: logs ingested into temporary databases, databases given as
// sides, selectors over --db, --json checked against schemas/diff.schema.json, text for people, errors.
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DiffResult } from '../lifecycle/diff/index.js';
import { runCli } from './helpers/cli.js';
import { expectNoDifferences, writeGenerated, type GeneratedLog } from './helpers/diff.js';
import { validateSchema } from './helpers/json-schema.js';
import { samplePath } from './helpers/samples.js';

const AKS = 'aks-nodepool1-29985679-vmss00000A';

let dir: string;
let logA: GeneratedLog;
let logB: GeneratedLog;
let tmpEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-diff-cli-'));
  // the command's temporary databases go here, to check they are removed
  tmpEnv = { TMPDIR: mkdtempSync(path.join(tmpdir(), 'kubelog-diff-tmp-')) };
  const frontend = { match: 'frontend', weight: 3, meanLifetimeSeconds: 90 };
  [logA, logB] = await Promise.all([
    writeGenerated(dir, 'a.log', { seed: 9, targetBytes: 1_500_000, workloads: [frontend], anomalies: { killFailure: 0 } }),
    writeGenerated(dir, 'b.log', {
      seed: 9,
      targetBytes: 1_500_000,
      workloads: [{ ...frontend, terminationSeconds: 30 }],
      anomalies: { killFailure: 0.3 },
      extraPeriodic: [{ everySeconds: 10, message: 'Image garbage collection skipped', severity: 'W' }],
    }),
  ]);
});

const json = (stdout: string) => JSON.parse(stdout) as DiffResult;

describe('kubelog diff A.log B.log', () => {
  it('--json: a result the schema accepts, its differences on top, no temporary files left', async () => {
    const r = await runCli(['diff', logA.file, logB.file, '--json', '--year', '2024'], { env: tmpEnv });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(validateSchema('diff.schema.json', out)).toEqual([]);
    expect([out.a.label, out.b.label]).toEqual([logA.file, logB.file]);
    expect(out.lifecycle.workloads.items[0]!.workload).toBe('shop/frontend');
    expect(out.lifecycle.workloads.items[0]!.b.terminating!.p50Us).toBeGreaterThanOrEqual(30_000_000);
    // B's frontend containers use their whole 30 s grace period, and some of B's kills fail
    expect(out.lifecycle.incidents.items.slice(0, 2).map((i) => [i.kind, i.a, i.b > 0])).toEqual([
      ['grace-exceeded', 0, true],
      ['kill-failed', 0, true],
    ]);
    expect(out.messages.new.items[0]).toMatchObject({ template: 'Image garbage collection skipped', a: 0 });
    expect(readdirSync(tmpEnv.TMPDIR!)).toEqual([]);
  });

  it('a log against itself: no differences (each side ingested on its own)', async () => {
    const r = await runCli(['diff', logA.file, logA.file, '--json', '--top', '3'], { env: tmpEnv });
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(validateSchema('diff.schema.json', out)).toEqual([]);
    expectNoDifferences(out);
    expect(out.samePods.compared).toBeGreaterThan(20);
  });

  it('prints sections for people, without colours when not on a terminal', async () => {
    const r = await runCli(['diff', samplePath('06'), samplePath('13'), '--year', '2024']);
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).not.toMatch(/\x1b\[/);
    expect(out).toMatch(/^A {2}\S+06-aks-journald-structured-liveness-restart\.log {2}aks-nodepool1-29985679-vmss00000A {2}2024-05-16 18:34:04 → 2024-05-16 18:35:21 UTC/);
    expect(out).toMatch(/^ {4}I \/ W \/ E \/ F \*\s+11 \/ 0 \/ 0 \/ 0\s+11 \/ 0 \/ 1 \/ 0$/m);
    expect(out).toMatch(/^ {2}workloads only in A \(1\): default\/liveness-exec \(1\)$/m);
    expect(out).toMatch(/^ {4}probe-restart\s+1 → 0\s+1 → 0 pods/m);
    // a minute or two of log each: counts per record, never per hour, and why
    expect(out).toMatch(/^ {4}1×\s+\S+\/rec {2}E {2}RemoveStaleState: removing container$/m);
    expect(out).toMatch(/rates per record, not per hour: A spans [\d.]+s, B \S+, and a rate per hour over less than 10m00s is a few lines multiplied up; ranked by G-test/);
    expect(out.split('\n').filter((l) => /^(Overview|Lifecycle by workload|Messages) /.test(l))).toHaveLength(3);
  });
});

describe('kubelog diff A.db B.db: databases kubelog ingest wrote, one side each', () => {
  let dbA: string;
  let dbB: string;
  beforeAll(async () => {
    dbA = path.join(dir, 'a.db');
    dbB = path.join(dir, 'b.db');
    const ingested = await Promise.all([
      runCli(['ingest', '-q', '--db', dbA, '--year', '2024', logA.file]),
      runCli(['ingest', '-q', '--db', dbB, '--year', '2024', logB.file]),
    ]);
    expect(ingested.map((r) => r.code)).toEqual([0, 0]);
  });

  it('gives what the two logs give, a database and a log too', async () => {
    const [files, dbs, mixed] = await Promise.all([
      runCli(['diff', logA.file, logB.file, '--json', '--year', '2024']),
      runCli(['diff', dbA, dbB, '--json']),
      runCli(['diff', dbA, logB.file, '--json', '--year', '2024']),
    ]);
    expect(dbs.stderr).toBe('');
    expect([files.code, dbs.code, mixed.code]).toEqual([0, 0, 0]);
    const [f, d, m] = [json(files.stdout), json(dbs.stdout), json(mixed.stdout)];
    expect(validateSchema('diff.schema.json', d)).toEqual([]);
    expect([d.a.label, d.b.label, m.a.label, m.b.label]).toEqual([dbA, dbB, dbA, logB.file]);
    expect(d.a.sources.map((s) => s.path)).toEqual([logA.file]);
    for (const r of [d, m]) {
      expect(r.overview).toEqual(f.overview);
      expect(r.lifecycle).toEqual(f.lifecycle);
      expect(r.messages).toEqual(f.messages);
      expect(r.samePods).toEqual(f.samePods);
    }
    expect(d.lifecycle.workloads.items[0]!.workload).toBe('shop/frontend');
  });

  it('a database against itself: no differences', async () => {
    const r = await runCli(['diff', dbA, dbA, '--json']);
    expect(r.code).toBe(0);
    expectNoDifferences(json(r.stdout));
  });

  it('an SQLite file that is not kubelog\'s is an error naming it', async () => {
    const other = path.join(dir, 'other.sqlite');
    const d = new Database(other);
    d.exec('CREATE TABLE t (x)');
    d.close();
    const r = await runCli(['diff', other, dbA]);
    expect(r.code).toBe(2);
    // oclif wraps the message to the terminal width
    expect(r.stderr.replace(/\s*\n[\s›]*/g, ' ')).toContain(`${other}: an SQLite database, but not one kubelog wrote`);
  });
});

describe('kubelog diff with selectors in --db', () => {
  let db: string;
  beforeAll(async () => {
    db = path.join(dir, 'both.db');
    const r = await runCli(['ingest', '-q', '--db', db, '--year', '2024', samplePath('06'), samplePath('13')]);
    expect(r.code).toBe(0);
  });

  it('node:NAME and source:ID give what the files give', async () => {
    const files = json((await runCli(['diff', samplePath('06'), samplePath('13'), '--json', '--year', '2024'])).stdout);
    const nodes = json((await runCli(['diff', `node:${AKS}`, 'source:1', '--db', db, '--json'])).stdout);
    expect(validateSchema('diff.schema.json', nodes)).toEqual([]);
    expect(nodes.lifecycle).toEqual(files.lifecycle);
    expect(nodes.messages).toEqual(files.messages);
    expect(nodes.overview).toEqual(files.overview);
    expect(nodes.a).toMatchObject({ label: `node:${AKS}`, nodes: [AKS] });
  });

  it('says what is wrong with a selector', async () => {
    const noNode = await runCli(['diff', 'node:nope', 'source:1', '--db', db]);
    expect(noNode.code).toBe(2);
    expect(noNode.stderr).toMatch(/node:nope: no sources of node "nope" \(nodes: /);
    const noSource = await runCli(['diff', 'source:7', 'source:1', '--db', db]);
    expect(noSource.code).toBe(2);
    expect(noSource.stderr).toMatch(/source:7: no source 7 \(sources: 1, 2\)/);
    const bad = await runCli(['diff', 'source:one', 'source:1', '--db', db]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/source ids are numbers/);
    const noDb = await runCli(['diff', 'source:1', 'source:2', '--db', path.join(dir, 'none.db')]);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/no such database/);
  });

  it('a missing log is an error naming it, and leaves nothing behind', async () => {
    const missing = path.join(dir, 'missing.log');
    const r = await runCli(['diff', missing, logA.file], { env: tmpEnv });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(missing);
    expect(existsSync(missing)).toBe(false);
    expect(readdirSync(tmpEnv.TMPDIR!)).toEqual([]);
  });
});

// `kubelog diff` on two generator logs that differ in known ways: node B's frontend pods take
// the whole 30 s grace period to terminate, B has kill failures (A has none), and B logs a warning
// A never does. Everything else is the same options and seed (the logs still differ in detail:
// the generator's random choices part once the options do). Those three differences must top
// their sections; a log diffed against itself must show none.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GeneratorOptions, GroundTruth, WorkloadOverride } from '../samples/generator/index.js';
import { openDatabase, type Db } from '../store/db.js';
import type { DiffResult } from '../lifecycle/diff/index.js';
import { durationStats } from '../lifecycle/diff/stats.js';
import { diffOf, expectNoDifferences, expectSameSides, ingestInto, withoutStoredFacts, writeGenerated, type GeneratedLog } from './helpers/diff.js';
import { loadDiffSide } from '../pipeline/diff-side.js';
import { parseText } from '../parser/index.js';

const FRONTEND: WorkloadOverride = { match: 'frontend', weight: 3, meanLifetimeSeconds: 90 };
const BASE: GeneratorOptions = { seed: 5, targetBytes: 3_000_000, workloads: [FRONTEND], anomalies: { killFailure: 0 } };
const NEW_MESSAGE = 'Watch cache of pods fell behind';
const OPTS_B: GeneratorOptions = {
  ...BASE,
  workloads: [{ ...FRONTEND, terminationSeconds: 30 }],
  anomalies: { killFailure: 0.3 },
  extraPeriodic: [{ everySeconds: 15, message: NEW_MESSAGE, severity: 'W', kv: { resource: 'pods' } }],
};

let logA: GeneratedLog;
let logB: GeneratedLog;
let dbA: Db;
let dbB: Db;
let diff: DiffResult;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-diff-gen-'));
  [logA, logB] = await Promise.all([writeGenerated(dir, 'a.log', BASE), writeGenerated(dir, 'b.log', OPTS_B)]);
  await Promise.all([ingestInto(path.join(dir, 'a.db'), [logA.file]), ingestInto(path.join(dir, 'b.db'), [logB.file])]);
  dbA = openDatabase(path.join(dir, 'a.db'), { readonly: true });
  dbB = openDatabase(path.join(dir, 'b.db'), { readonly: true });
  diff = diffOf({ db: dbA }, { db: dbB }).result;
});

afterAll(() => {
  dbA?.close();
  dbB?.close();
});

/** The truth's closed terminating phases of a workload, in µs. */
function truthTerminating(truth: GroundTruth, workload: string): number[] {
  return truth.pods
    .filter((p) => p.workloadKey === `Deployment/${workload}`)
    .flatMap((p) => p.phases.filter((ph) => ph.phase === 'terminating' && ph.endUs !== null).map((ph) => ph.endUs! - ph.startUs));
}

describe('two generator logs that differ in known ways', () => {
  it('puts the workload whose terminations take the full grace period first, by significance', () => {
    const top = diff.lifecycle.workloads.items[0]!;
    expect(top.workload).toBe('shop/frontend');
    // its 13 kill failures against none are the more significant change (G 20.8), the full grace
    // periods of all its 8 terminations on B against none on A the next (Mann-Whitney z² 10.9)
    expect(top.changes.map((c) => [c.what, Number(c.significance.toFixed(1))])).toEqual([
      ['incidents', 20.8],
      ['terminating', 10.9],
    ]);
    // the same percentiles as the generator's own phases of those pods, to the microsecond
    expect(top.a.terminating).toEqual(durationStats(truthTerminating(logA.truth, 'shop/frontend')));
    expect(top.b.terminating).toEqual(durationStats(truthTerminating(logB.truth, 'shop/frontend')));
    expect(top.b.terminating!.p50Us).toBeGreaterThanOrEqual(30_000_000);
    expect(top.b.terminating!.p50Us).toBeLessThan(30_500_000);
    expect(top.a.terminating!.p90Us).toBeLessThan(2_500_000);
    expect(top.b.terminating!.count).toBe(8);
  });

  it('puts kill failures first among incidents: none on A, on B as many pods as the generator failed', () => {
    const kill = diff.lifecycle.incidents.items[0]!;
    expect(kill.kind).toBe('kill-failed');
    const failedPods = new Set(logB.truth.anomalies.filter((a) => a.kind === 'kill-failed').map((a) => a.uid));
    expect(failedPods.size).toBe(8);
    // one incident per failed kill, its two lines (`Container termination failed with gracePeriod`,
    // `Kill container failed`) its evidence
    const failures = logB.truth.anomalies.filter((a) => a.kind === 'kill-failed').length;
    expect(failures).toBe(9); // one pod's kill failed twice
    expect(kill).toMatchObject({ a: 0, b: failures, podsA: 0, podsB: failedPods.size });
    expect(kill.p).toBeLessThan(0.01);
  });

  it('lists the message only B logs first among the new templates, with its count and rate', () => {
    const first = diff.messages.new.items[0]!;
    const count = logB.text.split('\n').filter((l) => l.includes(`"${NEW_MESSAGE}"`)).length;
    expect(count).toBe(76);
    expect(first).toMatchObject({ template: NEW_MESSAGE, severity: 'W', a: 0, b: count });
    expect(first.rateB).toBeCloseTo(count / diff.messages.exposureB, 9);
    // the kill failures' messages are new on B too, after it
    expect(diff.messages.new.items.map((t) => t.template)).toEqual(expect.arrayContaining(['Kill container failed', 'Container termination failed with gracePeriod']));
  });

  it('shows the difference in the overview: B logs more warnings and errors', () => {
    const sev = diff.overview.differences.filter((d) => d.field === 'severity.W' || d.field === 'severity.E');
    // the generator's own counts of what it wrote
    const a = logA.truth.totals.recordsBySeverity;
    const b = logB.truth.totals.recordsBySeverity;
    expect(sev).toEqual([
      expect.objectContaining({ field: 'severity.E', a: a.E, b: b.E }),
      expect.objectContaining({ field: 'severity.W', a: a.W, b: b.W }),
    ]);
    expect(diff.overview.a.kubeletVersions).toEqual(['v1.28.7']);
    expect(diff.overview.a.restarts).toBe(logA.truth.restarts.length);
    expect(diff.overview.b.restarts).toBe(logB.truth.restarts.length);
  });

  it('reads the same sides from a database whose lifecycles an older kubelog built (no stored facts)', () => {
    const old = withoutStoredFacts(dbB, path.join(dir, 'b-schema3.db'));
    try {
      for (const sel of ['all', { sources: [1] }, { node: 'node-1' }] as const) expectSameSides(loadDiffSide(old, sel, 'B'), loadDiffSide(dbB, sel, 'B'));
    } finally {
      old.close();
    }
  });

  it('startup comes from podStartSLOduration for every pod the generator started', () => {
    const { a } = diffOf({ db: dbA }, { db: dbA });
    const started = [...a.pods()].filter((p) => p.startupFrom === 'slo');
    expect(started.length).toBeGreaterThan(40);
    expect([...a.pods()].filter((p) => p.startupFrom === 'pleg')).toEqual([]);
  });
});

describe('startup where the log has no podStartSLOduration (kubelet 1.23)', () => {
  it('is the first sync start to the first PLEG ContainerStarted, as the parsed log and the ground truth say', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-diff-startup-'));
    const log = await writeGenerated(dir, 'v123.log', { seed: 3, targetBytes: 800_000, kubeletVersion: '1.23' });
    await ingestInto(path.join(dir, 'v123.db'), [log.file]);
    const db = openDatabase(path.join(dir, 'v123.db'), { readonly: true });
    try {
      const side = loadDiffSide(db, 'all', 'v123');
      expect([...side.pods()].filter((p) => p.startupFrom === 'slo')).toEqual([]);
      // the same from the blocks, as for a database whose lifecycles an older kubelog built
      const old = withoutStoredFacts(db, path.join(dir, 'v123-schema3.db'));
      expectSameSides(loadDiffSide(old, 'all', 'v123'), side);
      old.close();
      // independently: the truth's first sync phase, then the parser's first ContainerStarted of that UID
      const records = parseText(log.text, { year: 2024 }).records;
      const started = (uid: string, fromUs: number) =>
        records.find((r) => r.msg === 'SyncLoop (PLEG): event for pod' && (r.kv.event as { ID?: string; Type?: string }).ID === uid && (r.kv.event as { Type?: string }).Type === 'ContainerStarted' && r.timeUs! > fromUs);
      let checked = 0;
      for (const truth of log.truth.pods) {
        const sync = truth.phases[0];
        const pod = [...side.pods()].find((p) => p.uid === truth.uid);
        if (!pod || !sync || sync.phase !== 'sync' || truth.addedUs === null) continue;
        const first = started(truth.uid, sync.startUs);
        if (!first || (sync.endUs !== null && first.timeUs! > sync.endUs)) continue;
        expect([truth.name, pod.startupFrom, pod.startupUs]).toEqual([truth.name, 'pleg', first.timeUs! - sync.startUs]);
        checked++;
      }
      expect(checked).toBeGreaterThan(15);
    } finally {
      db.close();
    }
  });
});

describe('a log against itself', () => {
  it('has no differences in any section', () => {
    const { result } = diffOf({ db: dbB }, { db: dbB });
    expectNoDifferences(result);
    expect(result.samePods.compared).toBe(result.overview.a.pods); // every pod has a UID (the node's ~node-1 was none)
  });
});

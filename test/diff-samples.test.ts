// `kubelog diff` on two real logs: an AKS node restarting a container after its liveness probe
// failed (sample 06) against a kubeadm node starting an nginx pod (sample 13). What it says about
// them must be true of the logs, line for line.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.js';
import type { DiffResult, DiffSide } from '../lifecycle/diff/index.js';
import { diffOf, expectNoDifferences, ingestInto } from './helpers/diff.js';
import { samplePath } from './helpers/samples.js';

const AKS = 'aks-nodepool1-29985679-vmss00000A';
const KUBEADM = '8rnr7mhj-nhcz55ua';

let dbA: Db;
let dbB: Db;
let both: Db;
let diff: DiffResult;
let a: DiffSide;
let b: DiffSide;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-diff-real-'));
  await Promise.all([
    ingestInto(path.join(dir, 'a.db'), [samplePath('06')]),
    ingestInto(path.join(dir, 'b.db'), [samplePath('13')]),
    ingestInto(path.join(dir, 'both.db'), [samplePath('06'), samplePath('13')]),
  ]);
  dbA = openDatabase(path.join(dir, 'a.db'), { readonly: true });
  dbB = openDatabase(path.join(dir, 'b.db'), { readonly: true });
  both = openDatabase(path.join(dir, 'both.db'), { readonly: true });
  ({ result: diff, a, b } = diffOf({ db: dbA }, { db: dbB }));
});

afterAll(() => {
  for (const db of [dbA, dbB, both]) db?.close();
});

describe('sample 06 (AKS, liveness restart) against sample 13 (kubeadm, nginx start)', () => {
  it('counts their records by severity and their pods', () => {
    expect(diff.a.nodes).toEqual([AKS]);
    expect(diff.b.nodes).toEqual([KUBEADM]);
    // 06: 11 records and the `..` line between them; 13: 12 records, one an E (RemoveStaleState)
    expect(diff.overview.a).toMatchObject({ linesRead: 12, records: 11, foreignLines: 1, severity: { I: 11, W: 0, E: 0, F: 0, none: 0 }, pods: 1, restarts: 0 });
    expect(diff.overview.b).toMatchObject({ linesRead: 12, records: 12, foreignLines: 0, severity: { I: 11, W: 0, E: 1, F: 0, none: 0 }, pods: 2, restarts: 0 });
    // 18:34:04.558677 → 18:35:21.078268 and 19:46:19.298368 → 19:46:20.296305
    expect([diff.overview.a.spanUs, diff.overview.b.spanUs]).toEqual([76_519_591, 997_937]);
    // neither log has the kubelet's start-up lines
    expect([diff.overview.a.kubeletVersions, diff.overview.a.verbosity, diff.overview.b.kubeletVersions, diff.overview.b.verbosity]).toEqual([[], null, [], null]);
  });

  it('has no pod and no workload in common', () => {
    const l = diff.lifecycle;
    expect(l.compared).toBe(0);
    expect(l.onlyA.items).toEqual([{ workload: 'default/liveness-exec', pods: 1, incidents: 1 }]);
    expect(l.onlyB.items.map((w) => w.workload).sort()).toEqual(['(unnamed pods)', 'default/nginx']);
    expect(l.podsOnlyA.items.map((p) => [p.key, p.pod])).toEqual([['93e17ecc-ab55-461a-b526-29248d2554ad', 'default/liveness-exec']]);
    expect(l.podsOnlyB.items.map((p) => [p.key, p.pod]).sort()).toEqual([
      ['2e6143f6-fb20-4707-8497-5613b46f6292', null], // only named by `RemoveStaleState` lines
      ['d054e76b-1d9b-4788-9fc7-b35165ab02fb', 'default/nginx-cb8956d5f-c5zh8'],
    ]);
    expect(diff.samePods.compared).toBe(0);
  });

  it('reads each pod start from its podStartSLOduration', () => {
    expect([...a.pods()].map((p) => [p.name, p.startupUs, p.startupFrom])).toEqual([['liveness-exec', 2_066_691, 'slo']]);
    expect([...b.pods()].find((p) => p.name === 'nginx-cb8956d5f-c5zh8')).toMatchObject({ startupUs: 1_296_280, startupFrom: 'slo' });
  });

  it('the probe failures and the restart they caused, one incident, are on A only', () => {
    expect(diff.lifecycle.incidents.items.map((x) => [x.kind, x.a, x.b])).toEqual([['probe-restart', 1, 0]]);
    expect(diff.messages.gone.items.find((t) => t.template === 'Probe failed')).toMatchObject({ a: 3, b: 0 });
    expect(diff.messages.new.items.find((t) => t.template === 'RemoveStaleState: removing container')).toMatchObject({ a: 0, b: 1, severity: 'E' });
    // the message both have: one pod start each
    expect(diff.messages.changed.items).toEqual([]);
  });
});

describe('sides selected in one database', () => {
  it('source against source and node against node say what the two files say', () => {
    const strip = (r: DiffResult) => ({ overview: r.overview, lifecycle: r.lifecycle, messages: r.messages, samePods: r.samePods });
    // a set is read oldest first: 13 (April) is source 1, 06 (May) source 2
    const bySource = diffOf({ db: both, sel: { sources: [2] } }, { db: both, sel: { sources: [1] } }).result;
    const byNode = diffOf({ db: both, sel: { node: AKS } }, { db: both, sel: { node: KUBEADM } }).result;
    expect(strip(bySource)).toEqual(strip(diff));
    expect(strip(byNode)).toEqual(strip(diff));
    expect(bySource.a.sources.map((s) => [s.id, s.node])).toEqual([[2, AKS]]);
  });

  it('a node against itself has no differences', () => {
    expectNoDifferences(diffOf({ db: both, sel: { node: KUBEADM } }, { db: both, sel: { sources: [1] } }).result);
  });
});

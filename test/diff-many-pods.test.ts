// `kubelog diff` of sides with more pods than a side reads at a time (pipeline/diff-side.ts reads
// 2,048 pods a chunk, and asks the other side's database whether it has each pod): the result must
// be what the same pods give when held in memory, and true of the logs.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../store/db.js';
import { loadDiffSide } from '../pipeline/diff-side.js';
import { diffSides, podsInMemory, type DiffSide } from '../lifecycle/diff/index.js';
import { workloadOrder } from '../lifecycle/diff/side-pods.js';
import { ingestInto } from './helpers/diff.js';

const uid = (i: number) => `7c${String(i).padStart(6, '0')}-1c2d-4e5f-8a9b-${String(i).padStart(12, '0')}`;
const at = (s: number) => `${String(6 + Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor(s / 60) % 60).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;

/**
 * Pods `from` to `to - 1`, a second apart: each added, synced, and terminated; terminating takes
 * `terminatingMs` (a pod's own pace: A's pods take 1 s, B's 5 s).
 */
function log(from: number, to: number, terminatingMs: number): string {
  const out: string[] = [];
  for (let i = from; i < to; i++) {
    const t = at(i);
    const pod = `pod="default/job-${i}" podUID="${uid(i)}"`;
    const end = `${at(i + Math.floor(terminatingMs / 1000))}.${String((terminatingMs % 1000) * 1000).padStart(6, '0')}`;
    out.push(
      `I0607 ${t}.000000    1234 kubelet.go:2440] "SyncLoop ADD" source="api" pods=["default/job-${i}"]`,
      `I0607 ${t}.000100    1234 pod_workers.go:1230] "syncPod enter" ${pod}`,
      `I0607 ${t}.000200    1234 pod_workers.go:1233] "syncPod exit" ${pod} isTerminal=false`,
      `I0607 ${t}.000300    1234 pod_workers.go:1298] "syncTerminatingPod enter" ${pod}`,
      `I0607 ${end}    1234 pod_workers.go:1318] "syncTerminatingPod exit" ${pod}`,
    );
  }
  return out.join('\n') + '\n';
}

const A = [0, 5000] as const;
const B = [2000, 7000] as const;
let dbA: Db;
let dbB: Db;
let both: Db;

beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-diff-many-'));
  writeFileSync(path.join(dir, 'a.log'), log(...A, 1000));
  writeFileSync(path.join(dir, 'b.log'), log(...B, 5000));
  await Promise.all([
    ingestInto(path.join(dir, 'a.db'), [path.join(dir, 'a.log')]),
    ingestInto(path.join(dir, 'b.db'), [path.join(dir, 'b.log')]),
    ingestInto(path.join(dir, 'both.db'), [path.join(dir, 'a.log'), path.join(dir, 'b.log')]),
  ]);
  dbA = openDatabase(path.join(dir, 'a.db'), { readonly: true });
  dbB = openDatabase(path.join(dir, 'b.db'), { readonly: true });
  both = openDatabase(path.join(dir, 'both.db'), { readonly: true });
}, 120_000);

afterAll(() => {
  for (const db of [dbA, dbB, both]) db?.close();
});

/** The same side with its pods read once into a list and looked up in a Set. */
const inMemory = (s: DiffSide): DiffSide => ({ ...s, ...podsInMemory([...s.pods()]) });

describe('diff of 5,000 pods against 5,000, 3,000 of them the same UIDs', () => {
  for (const [what, sides] of [
    ['two databases', () => [loadDiffSide(dbA, 'all', 'a.db'), loadDiffSide(dbB, 'all', 'b.db')]],
    ['two sources of one database', () => [loadDiffSide(both, { sources: [1] }, 'source:1'), loadDiffSide(both, { sources: [2] }, 'source:2')]],
  ] as const) {
    it(`${what}: the pods only one side has, the pods both have, and their terminating times`, () => {
      const [a, b] = sides();
      const r = diffSides(a, b);
      expect([r.overview.a.pods, r.overview.b.pods]).toEqual([5000, 5000]);
      const names = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => `default/job-${from + k}`).sort((x, y) => x.localeCompare(y));
      expect(r.lifecycle.podsOnlyA.total).toBe(2000);
      expect(r.lifecycle.podsOnlyA.items.map((p) => p.pod)).toEqual(names(0, 2000).slice(0, 10));
      expect(r.lifecycle.podsOnlyB.total).toBe(2000);
      expect(r.lifecycle.podsOnlyB.items.map((p) => p.pod)).toEqual(names(5000, 7000).slice(0, 10));
      expect(r.samePods.compared).toBe(3000);
      // the same five events, aligned at the ADD (same time), parting at the terminating exit
      expect([r.samePods.identical, r.samePods.diverging.total]).toEqual([0, 3000]);
      expect(r.samePods.diverging.items[0]).toMatchObject({ uid: uid(2000), pod: 'default/job-2000', eventsA: 5, eventsB: 5, alignedBy: 'time', common: 4, partsAt: { a: 4, b: 4 } });
      // every pod its own workload (job-N): none compared, each on one side only
      expect(r.lifecycle.onlyA.total + r.lifecycle.compared).toBe(5000);
      expect(diffSides(inMemory(a), inMemory(b))).toEqual(r);
    });
  }

  it('each pod terminating in 1 s on A and 5 s on B', () => {
    const a = loadDiffSide(dbA, 'all', 'a.db');
    const b = loadDiffSide(dbB, 'all', 'b.db');
    const podsA = [...a.pods()];
    expect(podsA.length).toBe(5000);
    expect(new Set(podsA.map((p) => p.terminatingUs.join()))).toEqual(new Set([String(1_000_000 - 300)]));
    expect(new Set([...b.pods()].map((p) => p.terminatingUs.join()))).toEqual(new Set([String(5_000_000 - 300)]));
    // by workload (SQLite's order), across the chunks of 2,048 pods, each pod once
    const workloads = podsA.map((p) => p.workload);
    expect(workloads).toEqual([...workloads].sort((x, y) => workloadOrder(x, y)));
    expect(new Set(podsA.map((p) => p.name)).size).toBe(5000);
  });

  it('leaves no temporary table behind in a database it read, also when the diff stops early', () => {
    const a = loadDiffSide(dbA, 'all', 'a.db');
    const b = loadDiffSide(dbB, 'all', 'b.db');
    const temps = () => dbA.prepare("SELECT count(*) FROM temp.sqlite_master WHERE type = 'table'").pluck().get();
    diffSides(a, b);
    expect(temps()).toBe(0);
    // B's pods backwards: the diff stops with A's pods half read
    const backwards: DiffSide = { ...b, pods: () => [...b.pods()].reverse() };
    expect(() => diffSides(a, backwards)).toThrow(/not in workload order/);
    expect(temps()).toBe(0);
  });
});

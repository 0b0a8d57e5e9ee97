// A log of more pods than one pass builds is built a partition of pods at a time
// (lifecycle/partition.ts, pipeline/rebuild.ts). Whatever the partitions, the stored lifecycles
// must be those of the one-pass build: the same pods, phases, incidents, events and totals, on
// every real sample, on all of them in one database (several nodes), and on generated logs.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../ingest/ingest.js';
import { openDatabase } from '../store/db.js';
import { rebuildLifecycles, type RebuildOptions } from '../pipeline/rebuild.js';
import { partOfHostRef, partOfRef, partOfUnnamedUid, partsOf, podPartition } from '../lifecycle/partition.js';
import { hostRef } from '../lifecycle/joins.js';
import { realDir, realSamples } from './helpers/samples.js';
import { writeGenerated } from './helpers/diff.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'kubelog-partition-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a rebuild stores, without the row ids that depend on the order pods are written in. */
function stored(db: string, opts?: RebuildOptions) {
  const d = openDatabase(db);
  try {
    const result = rebuildLifecycles(d, opts);
    const all = (sql: string) => d.prepare(sql).all();
    return {
      result: { ...result, seconds: 0 },
      pods: all('SELECT * FROM pods ORDER BY key').map((p) => ({ ...(p as object), id: undefined })),
      phases: all('SELECT p.key, f.* FROM phases f JOIN pods p ON p.id = f.pod_id ORDER BY p.key, f.seq').map((p) => ({ ...(p as object), pod_id: undefined })),
      incidents: all('SELECT p.key, i.* FROM incidents i LEFT JOIN pods p ON p.id = i.pod_id ORDER BY i.record_id, i.kind, p.key').map((p) => ({ ...(p as object), id: undefined, pod_id: undefined })),
      events: all('SELECT p.key, e.record_id, t.kind, t.lane, e.time_us, e.severity FROM pod_events e JOIN pods p ON p.id = e.pod_id JOIN event_types t ON t.id = e.type ORDER BY p.key, e.record_id'),
      processes: all('SELECT * FROM kubelet_processes ORDER BY epoch'),
      nodeEvents: all('SELECT * FROM node_events ORDER BY first_record_id, kind'),
      facts: all('SELECT * FROM record_facts ORDER BY record_id'),
      counts: all('SELECT * FROM message_counts ORDER BY source_id, msg_id, printf, severity'),
      run: d.prepare('SELECT records, pods, restarts, unattached, incidents FROM lifecycle_runs ORDER BY id DESC LIMIT 1').get(),
    };
  } finally {
    d.close();
  }
}

async function ingested(name: string, files: string[]): Promise<string> {
  const db = path.join(dir, `${name}.db`);
  await ingest({ db, args: files, year: 2024 });
  return db;
}

function expectSameInPartitions(db: string): ReturnType<typeof stored> {
  const whole = stored(db);
  // one pod UID a partition: as many partitions as the database has UIDs
  const finest = stored(db, { podsPerPartition: 1 });
  expect(finest).toEqual(whole);
  expect(stored(db, { podsPerPartition: 3 })).toEqual(whole);
  // nothing left beside the database: the census and spill files are gone
  expect(readdirSync(path.dirname(db)).filter((f) => f.includes('census') || f.endsWith('.spill'))).toEqual([]);
  return whole;
}

describe('a rebuild in partitions stores what the one-pass rebuild stores', () => {
  for (const sample of realSamples()) {
    it(sample, async () => {
      const db = await ingested(sample.slice(0, 2), [path.join(realDir, sample)]);
      const whole = expectSameInPartitions(db);
      expect(whole.result.pods).toBe(whole.pods.length);
    }, 60_000);
  }

  it('all real samples in one database (several nodes and sources)', async () => {
    const db = await ingested('all', realSamples().map((s) => path.join(realDir, s)));
    const whole = expectSameInPartitions(db);
    expect(whole.pods.length).toBe(whole.result.pods);
    expect(whole.pods.length).toBeGreaterThan(30);
  }, 120_000);

  for (const [name, opts] of [
    ['generated, current kubelet', { seed: 5, targetBytes: 1_200_000 }],
    ['generated, kubelet 1.23 (printf-era lines, names reused)', { seed: 3, targetBytes: 900_000, kubeletVersion: '1.23' }],
  ] as const) {
    it(name, async () => {
      const log = await writeGenerated(dir, `${name.slice(0, 12).replace(/\W/g, '-')}.log`, opts);
      const db = await ingested(name.slice(0, 20).replace(/\W/g, '-'), [log.file]);
      const whole = expectSameInPartitions(db);
      expect(whole.pods.length).toBeGreaterThan(25);
    }, 120_000);
  }
});

describe('the census beside the database', () => {
  it('is removed when the rebuild ends, and a killed rebuild’s is removed by the next', async () => {
    const sub = mkdtempSync(path.join(dir, 'census-'));
    const db = path.join(sub, 'k.db');
    await ingest({ db, args: realSamples().map((s) => path.join(realDir, s)), year: 2024 });
    // left by a killed rebuild whose pid another process has since (here: this test's parent)
    const left = [`.k.db.census-${process.ppid}.db`, `.k.db.census-${process.ppid}.db-journal`];
    for (const f of left) writeFileSync(path.join(sub, f), 'left by a killed rebuild');
    const d = openDatabase(db);
    try {
      expect(rebuildLifecycles(d, { podsPerPartition: 1 }).pods).toBeGreaterThan(30);
    } finally {
      d.close();
    }
    expect(readdirSync(sub).filter((f) => f.startsWith('.'))).toEqual([]);
  });
});


describe('partitions', () => {
  it('keep a bare name with its ns/name, on its node only', () => {
    for (const n of [2, 7, 64]) {
      expect(partOfRef('node-1', 'web-0', n)).toBe(partOfRef('node-1', 'default/web-0', n));
      expect(partOfHostRef(hostRef('node-1', 'kube-system/etcd-node-1'), n)).toBe(partOfRef('node-1', 'etcd-node-1', n));
    }
    const spread = new Set(Array.from({ length: 200 }, (_, i) => partOfRef('node-1', `ns/pod-${i}`, 8)));
    expect(spread.size).toBe(8);
  });

  it('route a record by its UIDs, else its names, else its containers; a record of no pod to partition 0 (counted once)', () => {
    const n = 4;
    const lookup = { partOfUid: (u: string) => (({ u1: 1, u2: 2 }) as Record<string, number>)[u], partOfContainer: (c: string) => (({ c1: 1, c2: 3 }) as Record<string, number>)[c] };
    const id = (uids: string[], refs: string[], containers: string[]) => ({ uids, refs, containers, namePairs: [], containerPairs: [] });
    expect(partsOf(id(['u1'], ['ns/x'], ['c2']), 'h', n, lookup)).toEqual([1]);
    expect(partsOf(id(['u1', 'u2', 'u1'], [], []), 'h', n, lookup)).toEqual([1, 2]);
    // a UID the census never saw: its own hash
    expect(partsOf(id(['u9'], [], []), 'h', n, lookup)).toEqual([partOfUnnamedUid('u9', n)]);
    expect(partsOf(id([], ['ns/web-0'], ['c1']), 'h', n, lookup)).toEqual([partOfRef('h', 'web-0', n)]);
    expect(partsOf(id([], [], ['c9', 'c2']), 'h', n, lookup)).toEqual([3]);
    // resolves to no pod wherever it goes
    expect(partsOf(id([], [], ['c9']), 'h', n, lookup)).toEqual([0]);
    expect(partsOf(id([], [], []), 'h', n, lookup)).toEqual([0]);
    const ref = ['ns/a', 'ns/b', 'ns/c', 'ns/d', 'ns/e', 'ns/f'].find((r) => partOfRef('h', r, n) === 1)!;
    const mine = podPartition(1, n, lookup);
    expect(mine.ownsPod('u1', undefined)).toBe(true);
    expect(mine.ownsPod('u2', hostRef('h', ref))).toBe(false);
    expect(mine.ownsPod(`~${ref}`, hostRef('h', ref))).toBe(true);
    expect(mine.ownsPod(`~${ref}`, hostRef('other-node', ref))).toBe(partOfRef('other-node', ref, n) === 1);
  });
});

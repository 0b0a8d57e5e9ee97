// The lifecycle model's per-record rows: typed columns, chunked rows with a spill, the fact table,
// and the rebuild that spills them to a file and runs in a worker with a capped heap.
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseText } from '../parser/index.js';
import { generateLog } from '../samples/generator/index.js';
import { RowLists, u32 } from '../lifecycle/columns.js';
import { ChunkedRows, SpilledStrings, type ChunkSpill, type Spills } from '../lifecycle/rows.js';
import { FactTable } from '../lifecycle/fact-table.js';
import { LifecycleBuilder, type Lifecycles } from '../lifecycle/model.js';
import { catalogue } from '../lifecycle/catalogue.js';
import type { PodEvent } from '../lifecycle/phases.js';
import type { LogRecord } from '../parser/types.js';
import { openDatabase } from '../store/db.js';
import { rebuildLifecycles } from '../pipeline/rebuild.js';
import { rebuildInWorker } from '../pipeline/rebuild-thread.js';
import { SpillFile } from '../pipeline/spill-file.js';
import { ingestTextWithCli } from './helpers/cli.js';
import { parseSample, realSamples } from './helpers/samples.js';
import { BUSY_UID, busyPodLog } from './helpers/busy-pod-log.js';
import { lifecycleTables as tables } from './helpers/lifecycle-tables.js';

/** A spill in memory that counts its reads and writes, and refuses to read what was never written. */
class MemorySpill implements ChunkSpill {
  private bytes = new Uint8Array(1024);
  private written = 0;
  writes = 0;
  reads = 0;
  write(at: number, bytes: Uint8Array): void {
    this.writes++;
    if (at + bytes.byteLength > this.bytes.byteLength) {
      const grown = new Uint8Array(2 * (at + bytes.byteLength));
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(bytes, at);
    this.written = Math.max(this.written, at + bytes.byteLength);
  }
  read(at: number, into: Uint8Array): void {
    this.reads++;
    if (at + into.byteLength > this.written) throw new Error(`bytes ${at}–${at + into.byteLength} were never written`);
    into.set(this.bytes.subarray(at, at + into.byteLength));
  }
}

/** A MemorySpill per name. */
class MemorySpills {
  readonly byName = new Map<string, MemorySpill>();
  readonly spills: Spills = (name) => {
    let s = this.byName.get(name);
    if (!s) this.byName.set(name, (s = new MemorySpill()));
    return s;
  };
}

const ROWS_PER_CHUNK = 1 << 15;

describe('columns and chunked rows', () => {
  it('a column keeps its numbers across chunk boundaries and sorts them in place', () => {
    const c = u32();
    const n = 200_000; // more than three 65,536-element chunks
    for (let i = 0; i < n; i++) c.push((i * 7919) % n);
    expect(c.length).toBe(n);
    expect([c.at(0), c.at(1), c.at(65_535), c.at(65_536), c.at(n - 1)]).toEqual([0, 7919, (65_535 * 7919) % n, (65_536 * 7919) % n, ((n - 1) * 7919) % n]);
    c.sort();
    for (let i = 0; i < n; i++) if (c.at(i) !== i) throw new Error(`at ${i}: ${c.at(i)}`); // 7919 is prime to n: a permutation
  });

  it('row lists share columns: each list gives back its own numbers, ascending, past chunk boundaries', () => {
    const lists = new RowLists();
    const n = 100_000; // three lists of 100,000 items: 300,000 items cross several chunks
    const [a, b, empty, c] = [lists.add(), lists.add(), lists.add(), lists.add()];
    expect([a, b, empty, c]).toEqual([0, 1, 2, 3]);
    for (let i = 0; i < n; i++) {
      lists.push(a, 3 * i);
      lists.push(c, 3 * (n - i) + 2); // pushed descending
      lists.push(b, 3 * i + 1);
    }
    lists.push(a, 1); // out of order, as a row joined by name later
    expect([lists.min(a), lists.min(b), lists.min(c)]).toEqual([0, 1, 5]);
    const sa = lists.sorted(a);
    expect([sa.length, sa[0], sa[1], sa[2], sa[n]]).toEqual([n + 1, 0, 1, 3, 3 * (n - 1)]);
    const sc = lists.sorted(c);
    expect([sc.length, sc[0], sc[n - 1]]).toEqual([n, 5, 3 * n + 2]);
    expect(lists.sorted(empty).length).toBe(0);
  });

  it('rows written past several chunks read back exactly, through the spill, holding only a few chunks', () => {
    const spill = new MemorySpill();
    const rows = new ChunkedRows(8, spill);
    const n = 10 * ROWS_PER_CHUNK + 123;
    for (let i = 0; i < n; i++) {
      const { view, at } = rows.next();
      view.setFloat64(at, i * 4294967296 + 17, true);
    }
    expect(rows.length).toBe(n);
    expect(spill.writes).toBe(10); // every full chunk left memory; the last, partial one did not
    const read = (i: number) => {
      const { view, at } = rows.get(i);
      return view.getFloat64(at, true);
    };
    // a walk back and forth over all chunks
    for (const i of [0, n - 1, 5 * ROWS_PER_CHUNK, 5 * ROWS_PER_CHUNK - 1, 9 * ROWS_PER_CHUNK + 5, 1, 2 * ROWS_PER_CHUNK + 77]) expect(read(i)).toBe(i * 4294967296 + 17);
    for (let i = 0; i < n; i += 1009) expect(read(i)).toBe(i * 4294967296 + 17);
    // reading a chunk again soon after is a cache hit
    const before = spill.reads;
    read(3 * ROWS_PER_CHUNK + 1);
    read(3 * ROWS_PER_CHUNK + 2);
    expect(spill.reads - before).toBeLessThanOrEqual(1);
  });
});

describe('spilled strings and lists', () => {
  it('strings of any length and script read back exactly, by number, from the buffer or the spill', () => {
    const text = new MemorySpill();
    const strings = new SpilledStrings(text, new MemorySpill());
    const long = 'x'.repeat(70_000) + 'é'; // longer than the 64 KB buffer: written straight through
    const wanted: string[] = [];
    for (let i = 0; i < 5000; i++) wanted.push(i % 997 === 0 ? long : i % 3 === 0 ? '' : `{"step":"ü${i}","日本":${i}}`);
    const numbers = wanted.map((w) => strings.add(w));
    expect(numbers[4999]).toBe(4999);
    expect(strings.length).toBe(5000);
    expect(text.writes).toBeGreaterThan(5); // the text left memory
    for (const i of [4999, 0, 1, 997, 998, 2500, 4998, 3]) expect(strings.at(i)).toBe(wanted[i]);
    for (let i = 0; i < 5000; i++) if (strings.at(i) !== wanted[i]) throw new Error(`string ${i}`);
  });

  it('row lists through a spill give back what lists in memory give, past many chunks', () => {
    const spill = new MemorySpill();
    const spilled = new RowLists(spill);
    const held = new RowLists();
    const lists = 50;
    for (let l = 0; l < lists; l++) expect([spilled.add(), held.add()]).toEqual([l, l]);
    for (let i = 0; i < 4 * ROWS_PER_CHUNK; i++) {
      const l = (i * 31) % lists;
      const v = i % 7 === 0 ? 4 * ROWS_PER_CHUNK - i : i; // some out of order
      spilled.push(l, v);
      held.push(l, v);
    }
    expect(spill.writes).toBe(3);
    for (let l = 0; l < lists; l++) {
      expect(spilled.min(l)).toBe(held.min(l));
      expect([...spilled.sorted(l)]).toEqual([...held.sorted(l)]);
    }
    let items = 0;
    for (let l = 0; l < lists; l++) items += spilled.sorted(l).length;
    expect(items).toBe(4 * ROWS_PER_CHUNK);
    // list 0: i = 0, 50, 100, …; i = 0 (a multiple of 7) was pushed as 4 × ROWS_PER_CHUNK, the largest
    expect([spilled.min(0), spilled.sorted(0)[1], spilled.sorted(0).at(-1)]).toEqual([50, 100, 4 * ROWS_PER_CHUNK]);
  });
});

describe('fact table', () => {
  const entries = catalogue.catalogue.entries;
  const events: PodEvent[] = [
    { index: 0, line: 1, entry: undefined, epoch: 0, timeUs: undefined, pid: undefined, severity: undefined },
    { index: 1, line: 3, entry: entries[0], epoch: 2, timeUs: 1717740000123456, pid: 4170, severity: 'I' },
    { index: 7, line: 9, entry: entries[5], epoch: 1, timeUs: -5, pid: 0, severity: 'E', grace: 30, kill: { container: 'nginx', id: 'abc123def456' }, detail: 'Kill container failed: rpc error' },
    {
      index: 4294967295,
      line: 4294967295,
      entry: entries[entries.length - 1],
      epoch: 65536,
      timeUs: 0,
      pid: 2147483647,
      severity: 'F',
      pleg: { type: 'ContainerDied', data: 'f00d' },
      volumeDetached: true,
      volumeTeardown: true,
      probeFailed: true,
    },
    { index: 8, line: 10, entry: entries[1], epoch: 0, timeUs: 1.5, pid: undefined, severity: 'W' },
  ];

  it('gives back the facts of each record as they were added, rare fields included', () => {
    const t = new FactTable();
    const rows = events.map((e) => t.add(e));
    expect(rows).toEqual([0, 1, 2, 3, 4]);
    expect(rows.map((r) => t.get(r))).toEqual(events);
    expect(rows.map((r) => t.indexOf(r))).toEqual(events.map((e) => e.index));
  });

  it('keeps the NaN and infinities of a rare fact through the spill', () => {
    const spill = new MemorySpills();
    const t = new FactTable(spill.spills);
    const odd = { ...events[2]!, grace: NaN, stopped: { exitCode: -Infinity }, step: { part: 'startup', step: 'image', edge: 'end', pullUs: Infinity } } as PodEvent;
    const row = t.add(odd);
    const back = t.get(row);
    expect(back).toEqual(odd);
    expect([Number.isNaN(back.grace), back.stopped?.exitCode, back.step?.pullUs]).toEqual([true, -Infinity, Infinity]);
  });

  it('does the same through a spill, for rows in chunks that left memory', () => {
    const spill = new MemorySpills();
    const t = new FactTable(spill.spills);
    const n = 3 * ROWS_PER_CHUNK;
    for (let i = 0; i < n; i++) t.add({ ...events[i % events.length]!, index: i });
    expect(spill.byName.get('facts')!.writes).toBe(2);
    expect(spill.byName.get('rare')!.writes).toBeGreaterThan(3); // 64 KB at a time
    for (const i of [0, 1, 2, 3, 4, ROWS_PER_CHUNK + 3, n - 1]) expect(t.get(i)).toEqual({ ...events[i % events.length]!, index: i });
  });
});

async function generatedText(targetBytes: number): Promise<string> {
  const parts: string[] = [];
  await generateLog({ seed: 5, targetBytes, envelope: 'syslog' }, (c) => {
    parts.push(c);
  });
  return parts.join('');
}

describe('lifecycle builder with a spill', () => {
  let records: LogRecord[];
  beforeAll(async () => {
    records = parseText(await generatedText(12_000_000), { year: 2024 }).records;
  }, 60_000);

  it('builds the same pods as in memory, from a log whose facts fill several chunks', () => {
    const spill = new MemorySpills();
    const inMemory = new LifecycleBuilder();
    const spilled = new LifecycleBuilder(undefined, spill.spills);
    for (const r of records) {
      inMemory.add(r, 'node-1');
      spilled.add(r, 'node-1');
    }
    const a = inMemory.finish();
    const b = spilled.finish();
    // the per-record stores that filled a chunk left memory (this log names few pods by name only)
    expect([...spill.byName].filter(([, s]) => s.writes > 0).map(([name]) => name).sort()).toEqual(['facts', 'lists', 'rare']);
    expect([...spill.byName.keys()].sort()).toEqual(['facts', 'lists', 'node-spans', 'node-spans-rows', 'pending', 'pending-ids', 'processes', 'processes-rows', 'rare', 'rare-at']);
    expect(a.pods.length).toBeGreaterThan(50);
    expect(b).toEqual(a);
  });

  it('the same kubelet processes and node incidents with ended processes in a spill (6,000 processes, one node newest first)', () => {
    // node1 in time order, node2 newest first; a new PID on every line; every tenth process of
    // node1 killed by SIGABRT (systemd's line), the others replaced without a word; every third
    // process of node1 logs PLEG unhealthy (a node lane span of its own: spans do not cross processes)
    const J = (host: string, s: number, ident: string, text: string) => `Mar 25 ${clock(s)} ${host} ${ident}: ${text}`;
    const clock = (s: number) => [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, '0')).join(':');
    const line = (host: string, s: number, pid: number) => J(host, s, `kubelet[${pid}]`, `I0325 ${clock(s)}.100000 ${String(pid).padStart(8)} kubelet.go:2407] "SyncLoop ADD" source="api" pods=["default/web-${pid % 7}"]`);
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      lines.push(line('node1', i * 2, 1000 + i));
      if (i % 3 === 0) lines.push(J('node1', i * 2, `kubelet[${1000 + i}]`, `E0325 ${clock(i * 2)}.200000 ${String(1000 + i).padStart(8)} kubelet.go:2327] "Skipping pod synchronization" err="PLEG is not healthy: pleg was last seen active 3m0.4s ago; threshold is 3m0s"`));
      if (i % 10 === 0) lines.push(J('node1', i * 2 + 1, 'systemd[1]', 'kubelet.service: Main process exited, code=killed, status=6/ABRT'));
    }
    for (let i = 2999; i >= 0; i--) lines.push(line('node2', i * 2, 50_000 + i));
    const parsed = parseText(lines.join('\n') + '\n', { year: 2024 });
    const spill = new MemorySpills();
    const inMemory = new LifecycleBuilder();
    const spilled = new LifecycleBuilder(undefined, spill.spills);
    let f = 0;
    for (const r of parsed.records) {
      for (; f < parsed.foreign.length && parsed.foreign[f]!.line < r.line; f++) {
        inMemory.addForeign(parsed.foreign[f]!);
        spilled.addForeign(parsed.foreign[f]!);
      }
      inMemory.add(r);
      spilled.add(r);
    }
    const a = inMemory.finish();
    const b = spilled.finish();
    expect(spill.byName.get('processes')!.writes).toBeGreaterThan(3);
    expect(spill.byName.get('node-spans')!.writes).toBeGreaterThan(1);
    expect(b).toEqual(a);
    expect(a.kubelets.length).toBe(6000);
    expect(a.nodeEvents.map((e) => [e.kind, e.count])).toEqual(Array.from({ length: 1000 }, () => ['pleg-unhealthy', 1]));
    const kinds = new Map<string, number>();
    for (const i of a.nodeIncidents) kinds.set(i.kind, (kinds.get(i.kind) ?? 0) + 1);
    expect([...kinds].sort()).toEqual([
      ['kubelet-crash', 300],
      ['kubelet-restart', 2699 + 2999],
      ['node-not-ready', 1000],
    ]);
    // newest first: the successor named is the next process in time
    const node2 = a.nodeIncidents.filter((i) => i.subject === 'node2');
    expect(node2[0]!.detail).toBe('kubelet 52998 restarted without a word: kubelet 52999 2.0 s later');
    expect(a.nodeIncidents[0]!.detail).toBe('kubelet 1000 crashed: kubelet.service: Main process exited, code=killed, status=6/ABRT; kubelet 1001 started 1.9 s later');
  });

  it('builds the same pods from rows read back as it goes (every pod past heldEvents) as from held objects', () => {
    const held = new LifecycleBuilder();
    const read = new LifecycleBuilder(undefined, new MemorySpills().spills, undefined, undefined, 0);
    for (const r of records) {
      held.add(r, 'node-1');
      read.add(r, 'node-1');
    }
    const a = expanded(held.finish());
    expect(Math.max(...a.pods.map((p) => p.events.length))).toBeGreaterThan(1000);
    expect(a.pods.filter((p) => p.teardown.length > 0).length).toBeGreaterThan(20); // windows and lookups by index ran
    expect(expanded(read.finish())).toEqual(a);
  });
});

/** A model with each pod's events iterated into an array (an event list compares by its source otherwise). */
const expanded = (l: Lifecycles) => ({ ...l, pods: l.pods.map((p) => ({ ...p, events: [...p.events] })) });

describe('a pod built from its rows as they are read (pod-events.ts)', () => {
  const build = (prefix: string, heldEvents?: number, spills?: Spills) => {
    const { records, foreign } = parseSample(prefix);
    const b = new LifecycleBuilder(undefined, spills, undefined, undefined, heldEvents);
    let f = 0;
    for (const r of records) {
      while (f < foreign.length && foreign[f]!.line < r.line) b.addForeign(foreign[f++]!);
      b.add(r);
    }
    while (f < foreign.length) b.addForeign(foreign[f++]!);
    return expanded(b.finish());
  };

  it('every real sample: the same phases, incidents, steps and events as from held objects', () => {
    let pods = 0;
    for (const name of realSamples()) {
      const prefix = name.slice(0, 3);
      const held = build(prefix);
      pods += held.pods.length;
      expect(build(prefix, 0), name).toEqual(held);
      expect(build(prefix, 0, new MemorySpills().spills), name).toEqual(held);
    }
    expect(pods).toBe(46);
  });

  it('a busy pod past heldEvents beside a quiet one held: the same model either way', () => {
    const { records } = parseText(busyPodLog(4, 3000, 50_000).text, { year: 2024 });
    const build2 = (heldEvents?: number) => {
      const b = new LifecycleBuilder(undefined, undefined, undefined, undefined, heldEvents);
      for (const r of records) b.add(r);
      return expanded(b.finish());
    };
    const held = build2();
    const busy = held.pods.find((p) => p.uid === BUSY_UID)!;
    expect(busy.events.length).toBe(3000);
    expect(build2(100)).toEqual(held);
  });
});

describe('rebuild in a worker, spilling to a file', () => {
  let dir: string;
  let db: string;
  beforeAll(async () => {
    ({ dir, db } = await ingestTextWithCli(await generatedText(12_000_000), 'kubelog-spill-'));
  }, 120_000);


  it('stores exactly what the rebuild on the main thread stores, and leaves no spill file', async () => {
    const viaWorker = tables(db);
    const d = openDatabase(db);
    let direct;
    try {
      direct = rebuildLifecycles(d);
    } finally {
      d.close();
    }
    expect(direct.records).toBeGreaterThan(ROWS_PER_CHUNK); // the ids' rows spilled a chunk
    expect(direct.records - direct.unattached).toBeGreaterThan(ROWS_PER_CHUNK); // so did the facts'
    expect(tables(db)).toEqual(viaWorker);
    expect(readdirSync(dir).filter((f) => f.endsWith('.spill'))).toEqual([]);
  });

  it('runs again without the cap when the model outgrows it', async () => {
    const before = tables(db);
    let retried = 0;
    const r = await rebuildInWorker(db, 2, () => retried++); // 2 MB: the first attempt runs out of heap
    expect(retried).toBe(1);
    expect(r.pods).toBeGreaterThan(50);
    expect(tables(db)).toEqual(before);
  });
});

describe('spill file', () => {
  it('lives beside the database, unlinked while open, and reads back what was written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kubelog-spillfile-'));
    const f = new SpillFile(path.join(dir, 'k.db'), 'facts');
    expect(readdirSync(dir)).toEqual([]);
    const a = new Uint8Array(4096).fill(7);
    const b = new Uint8Array(4096).map((_, i) => i % 251);
    f.write(4096, b);
    f.write(0, a);
    const into = new Uint8Array(4096);
    f.read(4096, into);
    expect(into).toEqual(b);
    f.read(0, into);
    expect(into).toEqual(a);
    const part = new Uint8Array(10);
    f.read(4090, part);
    expect([...part]).toEqual([7, 7, 7, 7, 7, 7, 0, 1, 2, 3]);
    expect(() => f.read(5 * 4096, into)).toThrow(/bytes 20480–24576 were never written/);
    f.close();
    expect(readdirSync(dir)).toEqual([]);
  });
});

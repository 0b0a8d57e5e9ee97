// The facts of every record that names a pod, held as fixed 32-byte rows while a log is replayed
// (rows.ts; a RecordFacts object takes ~110 bytes, and a spill can take the rows out of memory).
// The facts most records lack (PLEG event, kill, grace period, incident, startup step) stay an
// object, only for the records that have them; with spills they go out as JSON too, as they are
// one record in three of a busy node's log (~50 bytes of objects each). A pod's events become
// objects again when that pod is built, one pod at a time.
import type { Severity } from '../parser/types.js';
import type { CatalogueEntry, Signal } from './catalogue-types.js';
import type { PodEvent } from './phases.js';
import { ChunkedRows, SpilledStrings, type Spills } from './rows.js';

type Rare = Omit<PodEvent, 'index' | 'line' | 'timeUs' | 'pid' | 'severity' | 'entry' | 'epoch' | 'signal'>;

const SEVERITIES: (Severity | undefined)[] = [undefined, 'I', 'W', 'E', 'F'];
const SIGNALS: (Signal | undefined)[] = [undefined, 'admit', 'active', 'kill', 'stopped', 'stopped-final', 'cleanup', 'cleanup-final', 'finished', 'orphan', 'pleg'];
const NO_PID = -1;

// the row: timeUs f64 (NaN: none) | index u32 | line u32 | pid i32 | epoch u32 | rare u32 (0: none,
// else 1 + its position) | entry u16 (0: none, else its number) | severity u8 | signal u8
const WIDTH = 32;

export class FactTable {
  private readonly rows: ChunkedRows;
  private readonly rare: RareFacts;
  /** Catalogue entries by number (1-based; 0 is none). */
  private readonly entries: CatalogueEntry[] = [];
  private readonly entryNumbers = new Map<CatalogueEntry, number>();

  constructor(spills?: Spills) {
    this.rows = new ChunkedRows(WIDTH, spills?.('facts'));
    this.rare = spills ? new SpilledRare(spills) : new HeldRare();
  }

  get length(): number {
    return this.rows.length;
  }

  /** Stores the facts and returns their row; rows are numbered in the order they are added. */
  add(f: PodEvent): number {
    const { index, line, timeUs, pid, severity, entry, epoch, signal, ...rest } = f;
    const rare = Object.keys(rest).length > 0 ? this.rare.add(rest) : 0;
    const entryNo = entry === undefined ? 0 : this.entryNumber(entry);
    const { view, at } = this.rows.next();
    view.setFloat64(at, timeUs ?? NaN, true);
    view.setUint32(at + 8, index, true);
    view.setUint32(at + 12, line, true);
    view.setInt32(at + 16, pid ?? NO_PID, true);
    view.setUint32(at + 20, epoch, true);
    view.setUint32(at + 24, rare, true);
    view.setUint16(at + 28, entryNo, true);
    view.setUint8(at + 30, severity === undefined ? 0 : SEVERITIES.indexOf(severity));
    view.setUint8(at + 31, signal === undefined ? 0 : SIGNALS.indexOf(signal));
    return this.rows.length - 1;
  }

  /** Record index of a row (rows added in record order are in index order). */
  indexOf(row: number): number {
    const { view, at } = this.rows.get(row);
    return view.getUint32(at + 8, true);
  }

  /** The facts of a row, as an object again. */
  get(row: number): PodEvent {
    const { view, at } = this.rows.get(row);
    const t = view.getFloat64(at, true);
    const p = view.getInt32(at + 16, true);
    const e = view.getUint16(at + 28, true);
    const r = view.getUint32(at + 24, true);
    const f: PodEvent = {
      index: view.getUint32(at + 8, true),
      line: view.getUint32(at + 12, true),
      entry: e === 0 ? undefined : this.entries[e - 1],
      epoch: view.getUint32(at + 20, true),
      timeUs: Number.isNaN(t) ? undefined : t,
      pid: p === NO_PID ? undefined : p,
      severity: SEVERITIES[view.getUint8(at + 30)],
    };
    const signal = SIGNALS[view.getUint8(at + 31)];
    if (signal !== undefined) f.signal = signal;
    return r === 0 ? f : Object.assign(f, this.rare.at(r));
  }

  private entryNumber(entry: CatalogueEntry): number {
    let n = this.entryNumbers.get(entry);
    if (n === undefined) {
      this.entries.push(entry);
      this.entryNumbers.set(entry, (n = this.entries.length));
      if (n > 0xffff) throw new Error('more than 65535 catalogue entries');
    }
    return n;
  }
}

/** The rare facts of rows, numbered from 1 (0 in a row: none). */
interface RareFacts {
  add(r: Rare): number;
  at(n: number): Rare;
}

class HeldRare implements RareFacts {
  private readonly held: Rare[] = [];
  add(r: Rare): number {
    return this.held.push(r);
  }
  at(n: number): Rare {
    return this.held[n - 1]!;
  }
}

// JSON has no NaN or Infinity (a number from hostile text can be either): such a number goes as an
// object under a key no fact has
const NON_FINITE = '\u0000number';
const NON_FINITE_IN_JSON = JSON.stringify(NON_FINITE);
const toJson = (_key: string, v: unknown): unknown => (typeof v === 'number' && !Number.isFinite(v) ? { [NON_FINITE]: String(v) } : v);
const fromJson = (_key: string, v: unknown): unknown => {
  if (v === null || typeof v !== 'object') return v;
  const n = (v as Record<string, unknown>)[NON_FINITE];
  return typeof n === 'string' && Object.keys(v).length === 1 ? Number(n) : v;
};

class SpilledRare implements RareFacts {
  private readonly text: SpilledStrings;
  constructor(spills: Spills) {
    this.text = new SpilledStrings(spills('rare'), spills('rare-at'));
  }
  add(r: Rare): number {
    return this.text.add(JSON.stringify(r, toJson)) + 1;
  }
  at(n: number): Rare {
    const json = this.text.at(n - 1);
    return JSON.parse(json, json.includes(NON_FINITE_IN_JSON) ? fromJson : undefined) as Rare;
  }
}

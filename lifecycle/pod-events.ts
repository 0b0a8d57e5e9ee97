// A pod's events in log order, by position. A pod of ordinary size is an array of objects; a pod
// of very many events (a probe line every second for weeks) is read back from its fact rows each
// time a pass asks (fact-table.ts), so building it holds 4 bytes an event instead of ~100.
// The passes over a pod (phases, incidents, steps) take either; an event read back twice is two
// objects, so they compare events by record index, never by identity.
import type { PodEvent } from './phases.js';

export interface PodEvents extends Iterable<PodEvent> {
  readonly length: number;
  at(i: number): PodEvent | undefined;
}

/** A pod's events read from its fact rows (ascending) when asked for: nothing held but the row numbers. */
export class RowEvents implements PodEvents {
  constructor(
    private readonly rows: Uint32Array,
    private readonly read: (row: number) => PodEvent,
  ) {}

  get length(): number {
    return this.rows.length;
  }

  at(i: number): PodEvent | undefined {
    return i >= 0 && i < this.rows.length ? this.read(this.rows[i]!) : undefined;
  }

  *[Symbol.iterator](): Iterator<PodEvent> {
    for (const row of this.rows) yield this.read(row);
  }
}

/** Positions `lo` (inclusive) to `hi` (exclusive) of other events. */
class EventRange implements PodEvents {
  constructor(
    private readonly events: PodEvents,
    private readonly lo: number,
    private readonly hi: number,
  ) {}

  get length(): number {
    return this.hi - this.lo;
  }

  at(i: number): PodEvent | undefined {
    return i >= 0 && i < this.length ? this.events.at(this.lo + i) : undefined;
  }

  *[Symbol.iterator](): Iterator<PodEvent> {
    for (let i = this.lo; i < this.hi; i++) yield this.events.at(i)!;
  }
}

/** Whether an event at positions `from` to `to` (exclusive) passes the test. */
export function someEvent(events: PodEvents, test: (e: PodEvent) => boolean, from = 0, to = events.length): boolean {
  for (let i = from; i < to; i++) if (test(events.at(i)!)) return true;
  return false;
}

/** The first position whose record index is at least `index` (events are in index order). */
function positionOf(events: PodEvents, index: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events.at(mid)!.index < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The event of record `index`, if the pod has it. */
export function eventOf(events: PodEvents, index: number): PodEvent | undefined {
  const e = events.at(positionOf(events, index));
  return e?.index === index ? e : undefined;
}

/** The events whose record index is in [from, to). */
export function windowOf(events: PodEvents, from: number, to: number): PodEvents {
  return new EventRange(events, positionOf(events, from), positionOf(events, to));
}

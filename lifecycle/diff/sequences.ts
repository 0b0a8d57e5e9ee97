// The same pod UID on both sides: its event sequences aligned, and where they part. Two logs of
// one node that overlap (a rotated file and a journal dump) share events to the microsecond: the
// sequences are aligned at the first event both have (same kind, message template and time).
// Logs that share no event (another day; or two runs that gave pods the same UIDs) are compared
// from each side's first event by kind and template alone.
import { TopRanked } from './stats.js';
import { templateOf } from './template.js';
import type { PodDivergence, SamePodsSection, SeqEvent, SideEvent, SidePod } from './types.js';

/**
 * Steps (kind and message template) as numbers, so that a million events compare without building
 * a string per event. The ids are only compared within one diff.
 */
class Steps {
  private readonly ids = new Map<string, Map<string, number>>();
  private next = 0;
  of(e: SideEvent): number {
    const template = templateOf(e.msg, e.printf);
    let byKind = this.ids.get(template);
    if (!byKind) this.ids.set(template, (byKind = new Map()));
    let id = byKind.get(e.kind);
    if (id === undefined) byKind.set(e.kind, (id = this.next++));
    return id;
  }
}

/** A pod's events as 12 bytes each: their steps and times. */
class Seq {
  length = 0;
  steps = new Int32Array(64);
  /** NaN: no time. */
  times = new Float64Array(64);

  constructor(events: Iterable<SideEvent>, ids: Steps) {
    for (const e of events) {
      if (this.length === this.steps.length) this.grow();
      this.steps[this.length] = ids.of(e);
      this.times[this.length++] = e.timeUs ?? NaN;
    }
  }

  private grow(): void {
    const steps = new Int32Array(2 * this.steps.length);
    const times = new Float64Array(2 * this.times.length);
    steps.set(this.steps);
    times.set(this.times);
    this.steps = steps;
    this.times = times;
  }
}

/** The first pair (i, j) of timed events with a[i] equal to b[j] (step and time), earliest in A. */
function timeAlignment(a: Seq, b: Seq): { a: number; b: number } | null {
  const byTime = new Map<number, number[]>();
  for (let j = 0; j < b.length; j++) {
    const t = b.times[j]!;
    if (Number.isNaN(t)) continue;
    const list = byTime.get(t);
    if (list) list.push(j);
    else byTime.set(t, [j]);
  }
  for (let i = 0; i < a.length; i++) {
    const j = byTime.get(a.times[i]!)?.find((j) => b.steps[j] === a.steps[i]);
    if (j !== undefined) return { a: i, b: j };
  }
  return null;
}

/** The event at `index`, read again up to it (only where two pods part). */
function seqEvent(events: Iterable<SideEvent>, index: number): SeqEvent | null {
  let i = 0;
  for (const e of events) {
    if (i++ === index) return { index, kind: e.kind, template: templateOf(e.msg, e.printf), timeUs: e.timeUs };
  }
  return null;
}

/** Where two sequences part, or null when they are the same. */
export function divergence(uid: string, pod: SidePod, ea: Iterable<SideEvent>, eb: Iterable<SideEvent>, steps = new Steps()): PodDivergence | null {
  const a = new Seq(ea, steps);
  const b = new Seq(eb, steps);
  const byTime = timeAlignment(a, b);
  const at = byTime ?? { a: 0, b: 0 };
  let i = at.a;
  let j = at.b;
  // aligned by time, events must match in time too (or both have none)
  while (i < a.length && j < b.length && a.steps[i] === b.steps[j] && (!byTime || Object.is(a.times[i], b.times[j]))) {
    i++;
    j++;
  }
  const common = i - at.a;
  if (common === a.length && common === b.length) return null;
  return {
    uid,
    pod: pod.name === null ? null : `${pod.namespace ? `${pod.namespace}/` : ''}${pod.name}`,
    workload: pod.workload,
    eventsA: a.length,
    eventsB: b.length,
    alignedBy: byTime ? 'time' : 'order',
    alignedAt: at,
    common,
    partsAt: { a: i, b: j },
    a: seqEvent(ea, i),
    b: seqEvent(eb, j),
    differing: a.length + b.length - 2 * common,
  };
}

type Events = (uid: string) => Iterable<SideEvent>;

/** Most events apart first, then by UID. */
const divergenceOrder = (x: PodDivergence, y: PodDivergence): number => y.differing - x.differing || x.uid.localeCompare(y.uid);

/**
 * Pods of A whose UID B has too, compared one at a time as A's pods are read: each pod's events
 * are in memory only while it is compared, and only the `top` that part most are kept.
 */
export class SamePods {
  private readonly steps = new Steps();
  private readonly diverging: TopRanked<PodDivergence>;
  private compared = 0;
  private differ = 0;
  constructor(
    private readonly eventsA: Events,
    private readonly eventsB: Events,
    top: number,
  ) {
    this.diverging = new TopRanked(top, divergenceOrder);
  }

  /** A pod of A with a UID that B has a pod of. */
  compare(pod: SidePod & { uid: string }): void {
    this.compared++;
    const d = divergence(pod.uid, pod, this.eventsA(pod.uid), this.eventsB(pod.uid), this.steps);
    if (d) {
      this.differ++;
      this.diverging.offer(d);
    }
  }

  result(): SamePodsSection {
    return { compared: this.compared, identical: this.compared - this.differ, diverging: this.diverging.result() };
  }
}

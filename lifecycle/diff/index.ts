// `kubelog diff`: two sides (what a database holds of two logs, nodes or sets of sources) in,
// ranked differences out. Pure: the store loads the sides, the CLI renders the result.
import { diffOverview } from './overview.js';
import { LifecycleDiff, podOnly, podOnlyOrder } from './workloads.js';
import { workloadOrder } from './side-pods.js';
import { diffMessages } from './messages.js';
import { SamePods } from './sequences.js';
import { TopRanked } from './stats.js';
import { DEFAULT_THRESHOLDS, exposureOf, type Thresholds } from './thresholds.js';
import type { DiffResult, DiffSide, PodOnly, SideEvent, SideInfo, SidePod } from './types.js';

export type * from './types.js';
export { DEFAULT_THRESHOLDS, exposureWords, type Thresholds } from './thresholds.js';
export { templateOf, maskMessage, MASK_RULES } from './template.js';
export { verbosityText, versionsText } from './overview.js';
export { podIdentity, podsInMemory } from './side-pods.js';

export interface DiffOptions {
  /** How many of each ranked list to keep (their totals are kept too). Default 10. */
  top?: number;
  thresholds?: Partial<Thresholds>;
}

const none = (): Iterable<SideEvent> => [];
const info = (s: DiffSide): SideInfo => ({ label: s.overview.label, sources: s.overview.sources, nodes: s.overview.nodes });

/** A side's pods, one ahead: the workload of the next pod decides which side is read. */
class PodCursor {
  private readonly it: Iterator<SidePod>;
  pod: SidePod | undefined;
  constructor(pods: Iterable<SidePod>) {
    this.it = pods[Symbol.iterator]();
    this.advance();
  }
  advance(): void {
    const n = this.it.next();
    this.pod = n.done ? undefined : n.value;
  }
  /** Lets a side that stopped early let go of what it holds (a database side's temporary table). */
  close(): void {
    this.it.return?.();
  }
}

export function diffSides(a: DiffSide, b: DiffSide, opts: DiffOptions = {}): DiffResult {
  const top = opts.top ?? 10;
  const t: Thresholds = { ...DEFAULT_THRESHOLDS, ...opts.thresholds };
  const ex = exposureOf(a.overview, b.overview, t.minRateSpanUs);
  // Both sides come by workload in one order: read side by side, a workload at a time, each pod
  // once. What is kept is the current workload's durations and the top of each ranked list.
  const life = new LifecycleDiff(t, top);
  const onlyA = new TopRanked<PodOnly>(top, podOnlyOrder);
  const onlyB = new TopRanked<PodOnly>(top, podOnlyOrder);
  const same = new SamePods(a.events ?? none, b.events ?? none, top);
  const ca = new PodCursor(a.pods());
  const cb = new PodCursor(b.pods());
  const readA = (p: SidePod) => {
    life.add(0, p);
    if (!b.hasPod(p)) onlyA.offer(podOnly(p));
    else if (p.uid !== null) same.compare({ ...p, uid: p.uid });
  };
  const readB = (p: SidePod) => {
    life.add(1, p);
    if (!a.hasPod(p)) onlyB.offer(podOnly(p));
  };
  let last: { workload: string | null } | undefined;
  try {
    while (ca.pod || cb.pod) {
      const c = !cb.pod ? -1 : !ca.pod ? 1 : workloadOrder(ca.pod.workload, cb.pod.workload);
      const workload = (c <= 0 ? ca.pod : cb.pod)!.workload;
      if (last && workloadOrder(last.workload, workload) >= 0) throw new Error(`diff: a side's pods are not in workload order (${workload} after ${last.workload})`);
      last = { workload };
      for (const [cursor, read, mine] of [[ca, readA, c <= 0], [cb, readB, c >= 0]] as const) {
        if (!mine) continue;
        while (cursor.pod && workloadOrder(cursor.pod.workload, workload) === 0) {
          read(cursor.pod);
          cursor.advance();
        }
      }
      life.endWorkload(workload);
    }
  } finally {
    ca.close();
    cb.close();
  }
  return {
    a: info(a),
    b: info(b),
    overview: diffOverview(a.overview, b.overview),
    lifecycle: life.result(onlyA.result(), onlyB.result()),
    messages: diffMessages(a.messages, b.messages, ex, t, top),
    samePods: same.result(),
  };
}

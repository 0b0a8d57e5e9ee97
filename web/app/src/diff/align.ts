// The aligned timelines' model: each pod of a workload moved so that the start of one of its
// phases is at zero, its other phases and incidents relative to it. Pure, for the page and tests.
import type { IncidentKind, OverviewPod, PhaseName } from '../../../api/types.js';
import { durationStats } from '../../../../lifecycle/diff/stats.js';
import type { DurationStats } from '../../../../lifecycle/diff/types.js';

export type AlignAt = PhaseName;
export const ALIGN_AT: readonly AlignAt[] = ['sync', 'terminating', 'terminated'];

export interface AlignedPhase {
  phase: PhaseName;
  /** µs from the alignment point. */
  from: number;
  to: number;
  open: boolean;
  exact: boolean;
  /** The log begins inside it. */
  beganBefore: boolean;
}

export interface AlignedPod {
  pod: OverviewPod;
  /** Epoch µs of the alignment point: the start of the pod's first phase of that name. */
  zeroUs: number;
  /** Length of the phase aligned at (to the pod's last event when it never ended). */
  lengthUs: number;
  open: boolean;
  /** The aligned phase's length is a lower bound: the log ends or begins inside it. */
  lowerBound: boolean;
  phases: AlignedPhase[];
  incidents: Array<{ kind: IncidentKind; at: number }>;
}

export interface Alignment {
  pods: AlignedPod[];
  /** Pods without a timed phase of that name (not drawn). */
  without: number;
}

/** The pods that have the phase, the longest aligned phase first. */
export function alignPods(pods: readonly OverviewPod[], at: AlignAt): Alignment {
  const out: AlignedPod[] = [];
  let without = 0;
  for (const pod of pods) {
    const first = pod.phases.find(([phase, start]) => phase === at && start !== null);
    if (!first) {
      without++;
      continue;
    }
    const zeroUs = first[1]!;
    const endOf = (end: number | null, start: number): number => end ?? pod.lastUs ?? start;
    const phases = pod.phases.flatMap(([phase, start, end, open, exact, beganBefore]): AlignedPhase[] =>
      start === null ? [] : [{ phase, from: start - zeroUs, to: endOf(end, start) - zeroUs, open, exact, beganBefore }],
    );
    out.push({
      pod,
      zeroUs,
      lengthUs: endOf(first[2], zeroUs) - zeroUs,
      open: first[3],
      lowerBound: first[3] || first[5],
      phases,
      incidents: pod.incidents.flatMap(([kind, t]) => (t === null ? [] : [{ kind, at: t - zeroUs }])),
    });
  }
  out.sort((x, y) => y.lengthUs - x.lengthUs || x.pod.key.localeCompare(y.pod.key));
  return { pods: out, without };
}

/** The x range both sides share: a little before zero to the end of the longest aligned phase and the one after it. */
export function alignedDomain(sides: readonly Alignment[]): [number, number] {
  let right = 0;
  for (const side of sides) {
    for (const p of side.pods) {
      const after = p.phases.find((ph) => ph.from >= p.lengthUs && ph.from > 0);
      right = Math.max(right, p.lengthUs, after ? after.to : 0);
    }
  }
  if (right <= 0) right = 1_000_000;
  return [-right * 0.08, right * 1.04];
}

/** p50 / p90 / max of the aligned phases the log shows whole, as the diff's tables count them. */
export const alignedStats = (side: Alignment): DurationStats | null => durationStats(side.pods.filter((p) => !p.lowerBound).map((p) => p.lengthUs));

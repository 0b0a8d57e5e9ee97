// What is worth a node engineer's attention first, per pod.
import type { MessageAnomaly } from './catalogue-types.js';
import { point as pointOf, type Phase, type PhaseResult, type PodEvent, type Point } from './phases.js';

export type AnomalyKind =
  | MessageAnomaly
  | 'phase-open' // terminating or terminated entered and never exited before the log ended
  | 'terminating-over-grace' // terminating took longer than its grace period
  | 'torn-down-twice' // the same UID went through terminating more than once
  | 'recreated-quickly' // the same ns/name came back under a new UID shortly after
  | 'probe-restart'; // probe failures, then the container was killed while the pod kept running

export interface Anomaly {
  kind: AnomalyKind;
  at: Point;
  detail: string;
}

/** Grace periods are seconds; the kubelet needs a moment beyond them to notice and log. */
const GRACE_SLACK_US = 2_000_000;

function durationUs(ph: Phase): number | undefined {
  const s = ph.start.timeUs;
  const e = ph.end?.timeUs;
  return s !== undefined && e !== undefined ? e - s : undefined;
}

export function podAnomalies(events: readonly PodEvent[], phases: PhaseResult): Anomaly[] {
  const out: Anomaly[] = [];
  for (const e of events) {
    const kind = e.entry?.anomaly;
    if (!kind) continue;
    out.push({ kind, at: pointOf(e), detail: e.detail ?? kind });
  }
  for (const ph of phases.phases) {
    // a pod still running when the log ends is normal; one still being torn down is not
    if (ph.open && ph.phase !== 'sync') out.push({ kind: 'phase-open', at: ph.start, detail: `${ph.phase} began and did not end before the log did` });
    if (ph.phase === 'terminating' && ph.gracePeriodS !== undefined) {
      const d = durationUs(ph);
      if (d !== undefined && d > ph.gracePeriodS * 1_000_000 + GRACE_SLACK_US) {
        out.push({ kind: 'terminating-over-grace', at: ph.start, detail: `terminating took ${(d / 1e6).toFixed(1)} s, grace period ${ph.gracePeriodS} s` });
      }
    }
  }
  const teardowns = phases.phases.filter((p) => p.phase === 'terminating');
  if (teardowns.length > 1) out.push({ kind: 'torn-down-twice', at: teardowns[1]!.start, detail: `${teardowns.length} terminating phases for one UID` });
  out.push(...probeRestarts(events, phases));
  return out.sort((a, b) => a.at.index - b.at.index);
}

/** Probe failures followed by a kill while the pod is still in sync: the kubelet restarted the container. */
function probeRestarts(events: readonly PodEvent[], phases: PhaseResult): Anomaly[] {
  const out: Anomaly[] = [];
  let failures = 0;
  for (const e of events) {
    if (e.entry?.anomaly === 'probe-failed') failures++;
    else if (failures > 0 && e.kill) {
      const inSync = phases.phases.some((p) => p.phase === 'sync' && p.start.index <= e.index && (p.end === null || p.end.index >= e.index));
      const inTeardown = phases.phases.some((p) => p.phase !== 'sync' && p.start.index <= e.index && (p.end === null || p.end.index >= e.index));
      if (inSync || !inTeardown) {
        const c = e.kill.container;
        out.push({ kind: 'probe-restart', at: pointOf(e), detail: `${failures} probe failure(s), then ${c ? `container ${c}` : 'a container'} killed for restart` });
      }
      failures = 0;
    }
  }
  return out;
}

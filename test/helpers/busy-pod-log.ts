// A kubelet log (bare klog, -v=4 style lines, kubelet 1.28 messages) with one busy pod: it is added,
// then probed for hours, every event a catalogue line naming its pod and UID, a few of them probe
// failures and sync errors; a quiet second pod beside it. Fixed seed: the same text every run.
// Event i (0-based, counting the SyncLoop ADD as 0) is at `eventTimeUs(i)`; every MARK_EVERY-th
// probe failure carries a unique `output="mark-<i>"`, so a test knows a line of any window.
import { makeRand } from './rand.js';

export const BUSY_UID = '5b1f0c2e-7a43-4c1e-9d2a-1f3e5c7b9a01';
export const QUIET_UID = '0d9e8c7b-6a54-4321-8fed-cba987654321';
export const BUSY_POD = 'load/busy-0';
/** 2024-06-07T06:00:00Z: the log has no year; ingest it with --year 2024. */
export const T0_US = Date.UTC(2024, 5, 7, 6, 0, 0) * 1000;
export const MARK_EVERY = 1000;

export interface BusyPodLog {
  text: string;
  /** The busy pod's events: their times, and which are errors (E) and warnings (W). */
  times: number[];
  severities: Array<'I' | 'W' | 'E'>;
}

function header(sev: string, us: number, caller: string): string {
  const d = new Date(Math.floor(us / 1000));
  const p = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${sev}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(us % 1_000_000, 6)}    4170 ${caller}]`;
}

/** `events` events of the busy pod (the first its SyncLoop ADD), about `gapUs` apart on average. */
export function busyPodLog(seed: number, events: number, gapUs = 1_000_000): BusyPodLog {
  const rand = makeRand(seed);
  const lines: string[] = [];
  const times: number[] = [];
  const severities: Array<'I' | 'W' | 'E'> = [];
  const ref = `pod="${BUSY_POD}" podUID="${BUSY_UID}"`;
  let t = T0_US;
  const push = (sev: 'I' | 'W' | 'E', caller: string, body: string, busy: boolean): void => {
    lines.push(`${header(sev, t, caller)} ${body}`);
    if (!busy) return;
    times.push(t);
    severities.push(sev);
  };
  push('I', 'kubelet.go:2410', `"SyncLoop ADD" source="api" pods=["${BUSY_POD}"]`, true);
  push('I', 'kubelet.go:2410', `"SyncLoop ADD" source="api" pods=["load/quiet-0"]`, false);
  for (let i = 1; i < events; i++) {
    t += 1 + rand(2 * gapUs);
    const roll = rand(100);
    if (i % MARK_EVERY === 0) push('I', 'prober.go:107', `"Probe failed" probeType="Readiness" ${ref} containerName="app" probeResult="failure" output="mark-${i}"`, true);
    else if (roll < 2) push('E', 'pod_workers.go:1300', `"Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"app\\" with CrashLoopBackOff" ${ref}`, true);
    else if (roll < 5) push('W', 'prober.go:104', `"Probe succeeded with a warning" probeType="Liveness" ${ref} containerName="app" output="slow"`, true);
    else push('I', 'prober.go:116', `"Probe succeeded" probeType="Readiness" ${ref} containerName="app"`, true);
    // the quiet pod now and then, between the busy pod's lines
    if (i % 5000 === 0) push('I', 'prober.go:116', `"Probe succeeded" probeType="Readiness" pod="load/quiet-0" podUID="${QUIET_UID}" containerName="db"`, false);
  }
  return { text: `${lines.join('\n')}\n`, times, severities };
}

/** The busy pod's event i's time (µs). */
export const eventTimeUs = (log: BusyPodLog, i: number): number => log.times[i]!;

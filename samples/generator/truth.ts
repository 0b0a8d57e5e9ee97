// Ground-truth bookkeeping of one pod UID: the simulated pod worker's phases, its incidents with
// every line that shows them, and its startup/teardown steps. The simulation calls these at the
// true times of the worker's transitions, whatever the log's verbosity shows (README.md "Ground
// truth"): at -v=4 those times are the enter/exit lines' times, at -v=2 the lines are left out but
// the clock and the times are the same.

import type { AnomalyTruth, IncidentKind, PhaseName, PhaseTruth, PodTruth, StepName, StepTruth } from './types.js';

/** One incident being recorded; `ev` adds the time of a line that shows it (ignored when -1). */
export class Incident {
  constructor(readonly a: AnomalyTruth) {}
  ev(t: number): number {
    if (t >= 0) this.a.evidenceUs.push(t);
    return t;
  }
}

export function newIncident(kind: IncidentKind, tUs: number, extra: Omit<AnomalyTruth, 'kind' | 'tUs' | 'evidenceUs'> = {}): AnomalyTruth {
  return { kind, tUs, evidenceUs: [], ...extra };
}

export class PodBook {
  private cur: PhaseTruth | null = null;

  constructor(
    readonly truth: PodTruth,
    private readonly global: AnomalyTruth[],
  ) {}

  /** The open phase, or null. */
  get current(): PhaseName | null {
    return this.cur?.phase ?? null;
  }

  private open(phase: PhaseName, t: number, pid: number): PhaseTruth {
    const ph: PhaseTruth = { phase, startUs: t, endUs: null, open: false, openAtEnd: false, end: 'log-end', calls: 1, pid };
    this.truth.phases.push(ph);
    this.cur = ph;
    return ph;
  }

  private close(t: number, end: PhaseTruth['end']): void {
    if (!this.cur) return;
    this.cur.endUs = t;
    this.cur.end = end;
    this.cur = null;
  }

  /** A SyncPod call: the sync phase starts with the worker's first sync (of this process). */
  sync(t: number, pid: number): void {
    if (this.cur?.phase === 'sync') this.cur.calls++;
    else if (this.cur === null) this.open('sync', t, pid);
  }

  /** The kill decision (SyncTerminatingPod enter): sync ends here and terminating starts, or a retry of it. */
  kill(t: number, pid: number): void {
    if (this.cur?.phase === 'terminating') {
      this.cur.calls++;
      return;
    }
    if (this.cur) this.close(t, 'next-phase');
    this.open('terminating', t, pid);
  }

  /** All containers stopped (the SyncTerminatingPod call that succeeded returned). */
  terminatingDone(t: number): void {
    if (this.cur?.phase === 'terminating') this.close(t, 'exit');
  }

  /** SyncTerminatedPod enter. */
  terminated(t: number, pid: number): void {
    if (this.cur) this.close(t, 'next-phase');
    this.open('terminated', t, pid);
  }

  /** SyncTerminatedPod exit (volumes unmounted, cgroups removed). */
  terminatedDone(t: number): void {
    if (this.cur?.phase === 'terminated') this.close(t, 'exit');
  }

  finish(t: number): void {
    this.truth.finishedUs = t;
    this.truth.openAtEnd = false;
  }

  /** The kubelet process stopped or crashed: its worker's open phase ends at its last record. */
  processEnd(lastRecordUs: number): void {
    if (this.cur) this.close(lastRecordUs, 'process-end');
  }

  incident(kind: IncidentKind, tUs: number, extra: Omit<AnomalyTruth, 'kind' | 'tUs' | 'evidenceUs' | 'uid'> = {}): Incident {
    const a = newIncident(kind, tUs, { uid: this.truth.uid, ...extra });
    this.truth.anomalies.push(a);
    this.global.push(a);
    return new Incident(a);
  }

  /** A startup (`teardown` false) or teardown step; set endUs later for a step still running. */
  step(teardown: boolean, step: StepName, startUs: number, endUs: number | null, extra: Omit<StepTruth, 'step' | 'startUs' | 'endUs'> = {}): StepTruth {
    const s: StepTruth = { step, ...extra, startUs, endUs };
    (teardown ? this.truth.teardown : this.truth.startup).push(s);
    return s;
  }

  /** At log end: phases still open are open at the end; evidence in time order. */
  finalize(): void {
    for (const ph of this.truth.phases) {
      ph.open = ph.endUs === null;
      ph.openAtEnd = ph.open;
    }
    for (const a of this.truth.anomalies) a.evidenceUs.sort((x, y) => x - y);
  }
}

// Ground-truth bookkeeping: phases per pod UID with the exact times of their boundary lines.

import type { AnomalyKind, AnomalyTruth, PhaseName, PhaseTruth, PodTruth } from './types.js';

export type BoundaryMode = 'enter-exit' | 'v2';

interface PhaseState {
  ph: PhaseTruth;
  /** Last exit line of the phase's enter/exit calls (enter-exit mode). */
  lastExit: number;
  closed: boolean;
}

/** Phase tracker of one pod UID. */
export class PodBook {
  private cur: PhaseState | null = null;

  constructor(
    readonly truth: PodTruth,
    private readonly global: AnomalyTruth[],
  ) {}

  get current(): PhaseName | null {
    return this.cur && !this.cur.closed ? this.cur.ph.phase : null;
  }

  private start(phase: PhaseName, t: number, pid: number): PhaseState {
    const ph: PhaseTruth = { phase, startUs: t, endUs: null, open: false, calls: 1, pid };
    this.truth.phases.push(ph);
    this.cur = { ph, lastExit: -1, closed: false };
    return this.cur;
  }

  private close(t: number): void {
    if (this.cur && !this.cur.closed) {
      this.cur.ph.endUs = t;
      this.cur.closed = true;
    }
  }

  // ---- enter-exit mode (structured versions at verbosity 4)

  syncEnter(t: number, pid: number): void {
    if (t < 0) return;
    if (this.cur && !this.cur.closed && this.cur.ph.phase === 'sync' && this.cur.ph.pid === pid) this.cur.ph.calls++;
    else {
      this.closeAtLastExit();
      this.start('sync', t, pid);
    }
  }

  syncExit(t: number): void {
    if (t < 0 || !this.cur || this.cur.ph.phase !== 'sync') return;
    this.cur.lastExit = t;
  }

  termEnter(t: number, pid: number): void {
    if (t < 0) return;
    if (this.cur && !this.cur.closed && this.cur.ph.phase === 'terminating') {
      this.cur.ph.calls++;
      return;
    }
    this.closeAtLastExit();
    this.start('terminating', t, pid);
  }

  /** `success`: the call that completed the termination (not a failed attempt that is retried). */
  termExit(t: number, success: boolean): void {
    if (t < 0 || !this.cur || this.cur.ph.phase !== 'terminating') return;
    this.cur.lastExit = t;
    if (success) this.close(t);
  }

  termdEnter(t: number, pid: number): void {
    if (t < 0) return;
    this.closeAtLastExit();
    this.start('terminated', t, pid);
  }

  termdExit(t: number): void {
    if (t < 0 || !this.cur || this.cur.ph.phase !== 'terminated') return;
    this.close(t);
  }

  private closeAtLastExit(): void {
    if (this.cur && !this.cur.closed) {
      if (this.cur.lastExit >= 0) this.close(this.cur.lastExit);
      else this.close(this.cur.ph.startUs);
    }
  }

  // ---- v2 mode (verbosity 2, or 1.20)

  /** SyncLoop ADD (or the post-restart ADD): the sync phase starts. */
  v2Sync(t: number, pid: number): void {
    if (t < 0) return;
    if (this.cur && !this.cur.closed) this.close(t);
    this.start('sync', t, pid);
  }

  /** SyncLoop DELETE / the completed app container's PLEG ContainerDied / the first Killing line of a second teardown. */
  v2Terminating(t: number, pid: number): void {
    if (t < 0) return;
    if (this.cur && !this.cur.closed && this.cur.ph.phase === 'terminating') return;
    if (this.cur && !this.cur.closed) this.close(t);
    this.start('terminating', t, pid);
  }

  /** The sandbox's PLEG ContainerDied: terminating ends, terminated starts. */
  v2Terminated(t: number, pid: number): void {
    if (t < 0) return;
    if (!this.cur || this.cur.closed || this.cur.ph.phase !== 'terminating') return;
    this.close(t);
    this.start('terminated', t, pid);
  }

  /** The pod's last `Volume detached` line: terminated ends. */
  v2TerminatedEnd(t: number): void {
    if (t < 0 || !this.cur || this.cur.closed || this.cur.ph.phase !== 'terminated') return;
    this.close(t);
  }

  // ---- both modes

  /** Kubelet restart: an open sync phase ends (at its last exit line, or `fallbackUs`). */
  restart(mode: BoundaryMode, fallbackUs: number): void {
    if (!this.cur || this.cur.closed) return;
    if (this.cur.ph.phase !== 'sync') return;
    if (mode === 'enter-exit' && this.cur.lastExit >= 0) this.close(this.cur.lastExit);
    else this.close(fallbackUs);
  }

  anomaly(kind: AnomalyKind, tUs: number, detail?: string): void {
    if (tUs < 0) return;
    const a: AnomalyTruth = detail === undefined ? { kind, tUs, uid: this.truth.uid } : { kind, tUs, uid: this.truth.uid, detail };
    this.truth.anomalies.push({ kind, tUs, ...(detail === undefined ? {} : { detail }) });
    this.global.push(a);
  }

  /** At log end: unclosed phases are open. */
  finalize(): void {
    for (const ph of this.truth.phases) {
      if (ph.endUs === null) ph.open = true;
    }
  }
}

// The pod-worker phases of one pod UID, from its events in log order.
//
// What the phases mean (ARCHITECTURE, wave 2): `sync` lasts from the pod's start until
// `terminating` starts (the pod runs between syncPod calls too; the calls are folded in);
// `terminating` is the kill, from the decision until every container has stopped; `terminated`
// is the cleanup (volumes, cgroups, final status) until the worker is done. A phase the log (or
// its kubelet) ends inside runs to that end and says so: its end is where the record stops and
// its duration a lower bound. A phase the log begins inside starts at the pod's first line.
//
// Exact (1.22+ at -v=4): the enter/exit lines. Consecutive calls of one phase fold into one
// (`calls`); a terminating call followed by `Error syncing pod` failed and is retried, so the
// phase goes on.
//
// Inferred (-v=2, ≤ 1.21, filtered logs): each catalogue entry's `signal` says what a message
// shows (admit, active, kill, stopped, cleanup, finished); the kill decision starts terminating,
// the last container stop before the cleanup ends it and starts terminated, the last cleanup ends
// that. Kills that restart a container (after failed probes, or followed by a new container) are
// no teardown. What the log could not contain at its verbosity is not waited for (LogProfile).
import type { Evidence } from './catalogue-types.js';
import type { RecordFacts } from './facts.js';
import { eventOf, someEvent, windowOf, type PodEvents } from './pod-events.js';

export type PhaseName = 'sync' | 'terminating' | 'terminated';

/** A position in the log: the record (by index in the input), with its time when it has one. */
export interface Point {
  index: number;
  line: number;
  timeUs?: number;
}

/**
 * How a boundary is known: `exact` (an enter/exit line), `inferred` (another message, named by
 * `by`), or where the record stops: the log begins or ends inside the phase, or the kubelet
 * process that ran it restarted, stopped or crashed.
 */
export type BoundaryEvidence = 'exact' | 'inferred' | 'log-start' | 'log-end' | 'kubelet-restart' | 'kubelet-stop' | 'kubelet-crash';

export interface BoundaryMark {
  evidence: BoundaryEvidence;
  /** The catalogue entry of the line that gave the boundary. */
  by?: string;
}

export interface Phase {
  phase: PhaseName;
  start: Point;
  /** Where the phase ended; for an `open` phase, where the log (or its kubelet) stopped. */
  end: Point;
  startBy: BoundaryMark;
  endBy: BoundaryMark;
  /** `exact` when the phase's start came from an enter line, else `inferred`. */
  evidence: Evidence;
  /** The phase had not ended when the log or its kubelet did: the duration is a lower bound. */
  open: boolean;
  /** Enter/exit calls folded into this phase (exact), else 1. */
  calls: number;
  /** Kubelet PID that logged the start, when the log shows it. */
  pid?: number;
  /** Kubelet process (restart count) that logged the start. */
  epoch: number;
  /** Grace period in seconds, when the log states it for this teardown. */
  gracePeriodS?: number;
}

export interface PodEvent extends RecordFacts {
  /** Kubelet process (see process.ts): phases never fold across a restart. */
  epoch: number;
}

export type ProcessEnd = 'log-end' | 'kubelet-restart' | 'kubelet-stop' | 'kubelet-crash';

/** Where each kubelet process's record stops: its last record, and why. */
export interface ProcessEnds {
  endOf(epoch: number): { at: Point; how: ProcessEnd };
}

/** What the log could contain, from its kubelet's version and verbosity (lifecycle/kubelet-profile). */
export interface LogProfile {
  /** Can a log like this one contain the message of this catalogue entry? undefined: unknown. */
  canLog(entryId: string, epoch: number): boolean | undefined;
}

export interface Finished extends Point {
  evidence: Evidence;
  by?: string;
}

export interface PhaseResult {
  phases: Phase[];
  finished: Finished | null;
  /** True when any boundary came from enter/exit lines. */
  exact: boolean;
  /** The pod was turned away at admission before it ran: no sync phase. */
  rejected: boolean;
}

export interface PodRole {
  /** A static pod (from a manifest): its UID survives a remove and re-add. */
  isStatic: boolean;
  /** A mirror pod: the API's copy of a static pod; the kubelet runs no worker for it. */
  isMirror: boolean;
}

export const point = (e: { index: number; line: number; timeUs?: number }): Point => {
  const p: Point = { index: e.index, line: e.line };
  if (e.timeUs !== undefined) p.timeUs = e.timeUs;
  return p;
};

const UNKNOWN_PROFILE: LogProfile = { canLog: () => undefined };

export function buildPhases(events: PodEvents, ends: ProcessEnds, role: PodRole = { isStatic: false, isMirror: false }, profile: LogProfile = UNKNOWN_PROFILE): PhaseResult {
  if (role.isMirror || events.length === 0) return { phases: [], finished: finishedOf(events), exact: false, rejected: false };
  const exact = someEvent(events, (e) => e.entry?.evidence === 'exact' && e.entry.boundary !== undefined && e.entry.boundary !== 'finished');
  return exact ? exactPhases(events, ends) : new Inference(events, ends, role, profile).run();
}

/**
 * The worker's own completion line, else the API's removal (SyncLoop REMOVE), else another sign the
 * pod is gone (`removed from etcd` comes just before the REMOVE): the first after the last phase began.
 */
function finishedOf(events: PodEvents, after = -1, before = Infinity): Finished | null {
  let removed: Finished | null = null;
  let other: Finished | null = null;
  for (const e of windowOf(events, after, before)) {
    if (e.entry?.boundary === 'finished') return { ...point(e), evidence: 'exact', by: e.entry.id };
    if (e.signal !== 'finished' || e.fileSource) continue;
    const f: Finished = { ...point(e), evidence: 'inferred', ...(e.entry ? { by: e.entry.id } : {}) };
    if (e.entry?.id === 'syncloop-remove') removed ??= f;
    else other ??= f;
  }
  return removed ?? other;
}

function newPhase(phase: PhaseName, e: PodEvent, startBy: BoundaryMark, at: Point = point(e)): Phase {
  const ph: Phase = { phase, start: at, end: at, startBy, endBy: { evidence: 'log-end' }, evidence: startBy.evidence === 'exact' ? 'exact' : 'inferred', open: false, calls: 1, epoch: e.epoch };
  if (e.pid !== undefined) ph.pid = e.pid;
  return ph;
}

const mark = (evidence: BoundaryEvidence, e?: PodEvent): BoundaryMark => (e?.entry ? { evidence, by: e.entry.id } : { evidence });

/** The phase runs on past the record: to the end of its kubelet process (the log's end, or a restart). */
function runToProcessEnd(ph: Phase, ends: ProcessEnds): void {
  const { at, how } = ends.endOf(ph.epoch);
  ph.end = at.index >= ph.start.index ? at : ph.start;
  ph.endBy = { evidence: how };
  ph.open = true;
}

function exactPhases(events: PodEvents, ends: ProcessEnds): PhaseResult {
  const phases: Phase[] = [];
  let cur: Phase | null = null;
  /** The current phase's last exit, and (terminating) whether that call succeeded. */
  let lastExit: PodEvent | null = null;
  let exitOk = false;

  const start = (phase: PhaseName, e: PodEvent, at?: Point, by?: BoundaryMark): Phase => {
    const ph = newPhase(phase, e, by ?? mark('exact', e), at);
    phases.push(ph);
    cur = ph;
    lastExit = null;
    exitOk = false;
    return ph;
  };
  const closeAt = (e: PodEvent, evidence: BoundaryEvidence): void => {
    const c = cur as Phase | null;
    if (c) {
      c.end = point(e);
      c.endBy = mark(evidence, e);
    }
    cur = null;
  };

  let i = -1;
  for (const e of events) {
    i++;
    let c = cur as Phase | null;
    if (c && c.epoch !== e.epoch) {
      // the kubelet restarted: what it was doing ended with it; the new process starts over
      if (c.phase === 'terminating' && lastExit && exitOk) closeAt(lastExit, 'exact');
      else if (c.phase !== 'terminated' || !lastExit) runToProcessEnd(c, ends);
      cur = null;
      c = null;
    }
    // the call failed: an `Error syncing pod` after its exit, or a kill failure inside it
    if (c?.phase === 'terminating' && ((e.entry?.incident === 'sync-error' && lastExit) || e.incident?.kind === 'kill-failed')) exitOk = false;
    if (e.grace !== undefined && c?.phase === 'terminating' && c.gracePeriodS === undefined) c.gracePeriodS = e.grace;
    if (e.entry?.evidence !== 'exact') continue;
    switch (e.entry.boundary) {
      case 'sync-start':
        if (c?.phase === 'sync') c.calls++;
        else {
          if (c) closeAt(e, 'exact');
          // a pod seen before its first enter line (and not being added then) was running before the log began
          const first = events.at(0)!;
          const before = phases.length === 0 && first.index < e.index && !someEvent(events, (x) => x.signal === 'admit', 0, i);
          start('sync', e, before ? point(first) : undefined, before ? { evidence: 'log-start' } : undefined);
        }
        break;
      case 'sync-end':
        if (c?.phase === 'sync') lastExit = e;
        else if (!c && phases.length === 0) {
          // the log began inside a syncPod call
          start('sync', events.at(0)!, undefined, { evidence: 'log-start' });
          lastExit = e;
        }
        break;
      case 'terminating-start':
        if (c?.phase === 'terminating' && !(lastExit && exitOk)) c.calls++;
        else {
          if (c?.phase === 'sync') closeAt(e, 'exact');
          else if (c) closeAt(lastExit ?? e, 'exact');
          start('terminating', e);
          if (e.grace !== undefined) cur!.gracePeriodS = e.grace;
        }
        break;
      case 'terminating-end':
        if (c?.phase === 'terminating') {
          lastExit = e;
          exitOk = !failedSinceEnter(events, i);
        } else if (!c && phases.length === 0) {
          start('terminating', events.at(0)!, undefined, { evidence: 'log-start' });
          lastExit = e;
          exitOk = true;
        }
        break;
      case 'terminated-start':
        if (c?.phase === 'sync') closeAt(e, 'exact');
        else if (c) closeAt(lastExit ?? e, 'exact');
        start('terminated', e);
        break;
      case 'terminated-end':
        if (c?.phase === 'terminated') closeAt(e, 'exact');
        else if (!c && phases.length === 0) {
          start('terminated', events.at(0)!, undefined, { evidence: 'log-start' });
          closeAt(e, 'exact');
        }
        break;
    }
  }
  const last = cur as Phase | null;
  // a terminating phase whose last call succeeded is complete; anything else is still running
  if (last) {
    if (last.phase === 'terminating' && lastExit && exitOk) closeAt(lastExit, 'exact');
    else runToProcessEnd(last, ends);
  }
  const lastStart = phases.length ? phases[phases.length - 1]!.start.index : -1;
  return { phases, finished: finishedOf(events, lastStart), exact: true, rejected: false };
}

/** A kill failed inside the terminating call that event `i` exits. */
function failedSinceEnter(events: PodEvents, i: number): boolean {
  for (let j = i - 1; j >= 0; j--) {
    const e = events.at(j)!;
    if (e.entry?.boundary === 'terminating-start') return false;
    if (e.incident?.kind === 'kill-failed') return true;
  }
  return false;
}

type State = 'none' | 'sync' | 'terminating' | 'terminated' | 'rejected';

/** Failures of a pod being set up or run: a pod the log shows only through them is in sync. */
const SYNC_INCIDENTS = new Set(['crash-loop', 'image-pull-failed', 'mount-failed', 'start-failed', 'sandbox-failed', 'probe-failed', 'oom-killed', 'sync-error', 'node-not-ready']);

/** Entries whose line marks the end of a terminating (every container stopped) or terminated phase. */
const FINAL_STOP = ['termination-stopped-containers', 'worker-terminated-all', 'generating-pod-status'];
const FINAL_CLEANUP = ['termination-removed-cgroups', 'terminated-no-more-status', 'status-termination-finished', 'reclaim-done'];

/** The inferred phases of one pod: a small state machine over the events' signals. */
class Inference {
  private readonly phases: Phase[] = [];
  private state: State = 'none';
  private cur: Phase | null = null;
  /** The state the last kubelet restart interrupted. */
  private interrupted: State | null = null;
  /** First event of the pod while no phase ran: where a phase the log began inside starts. */
  private firstSeen: PodEvent | null = null;
  /** Since the kill decision: the last container stop, the line saying all stopped. */
  private lastStopped: PodEvent | null = null;
  private stopFinal: PodEvent | null = null;
  /** Since terminated began: the last cleanup line, the line saying cleanup is done. */
  private lastCleanup: PodEvent | null = null;
  private cleanupFinal: PodEvent | null = null;
  /** Containers seen started (PLEG) in this cycle, the first being the sandbox; and those seen dead since the kill. */
  private readonly started = new Set<string>();
  private readonly dead = new Set<string>();
  private sandbox: string | undefined;
  /** In sync: the last container death (a Job that completes on its own ends here). */
  private lastDied: PodEvent | null = null;
  private lastAppDied: PodEvent | null = null;
  private probeFailures = 0;
  private restartNotice = false;
  private deleted = false;
  /** An event showed the pod running (volumes, sandbox, containers, probes) since sync began. */
  private ran = false;
  private rejected = false;
  /** An orphan cleanup of the pod since its teardown began: the kubelet has forgotten it. */
  private orphaned: PodEvent | null = null;
  /** For each event: a container start follows before any teardown (a kill there restarts a container). */
  private readonly restartsAfter: Uint8Array;
  /** Where the pod is first shown done (its worker's last line, its removal), if anywhere. */
  private readonly doneAt: number | null;

  constructor(
    private readonly events: PodEvents,
    private readonly ends: ProcessEnds,
    private readonly role: PodRole,
    private readonly profile: LogProfile,
  ) {
    this.doneAt = finishedOf(events)?.index ?? null;
    this.restartsAfter = new Uint8Array(events.length);
    let startAhead = false;
    for (let i = events.length - 1; i >= 0; i--) {
      const e = events.at(i)!;
      this.restartsAfter[i] = startAhead ? 1 : 0;
      if (e.pleg?.type === 'ContainerStarted') startAhead = true;
      else if (isTeardown(e)) startAhead = false;
    }
  }

  run(): PhaseResult {
    let i = 0;
    for (const e of this.events) this.step(e, i++);
    this.finish();
    const lastStart = this.phases.length ? this.phases[this.phases.length - 1]!.start.index : -1;
    return { phases: this.phases, finished: finishedOf(this.events, lastStart), exact: false, rejected: this.rejected };
  }

  private start(phase: PhaseName, e: PodEvent, by: BoundaryMark, at?: Point): Phase {
    const ph = newPhase(phase, e, by, at);
    this.phases.push(ph);
    this.cur = ph;
    this.state = phase;
    this.interrupted = null;
    return ph;
  }

  /** Ends the current phase at `at` and starts the next there: no gap between them. */
  private next(phase: PhaseName, at: PodEvent, e: PodEvent, by: BoundaryMark): Phase {
    const c = this.cur;
    if (c) {
      c.end = point(at);
      c.endBy = by;
    }
    return this.start(phase, e, by, point(at));
  }

  private step(e: PodEvent, i: number): void {
    const c = this.cur;
    if (c && c.epoch !== e.epoch) this.interrupt(c, e);
    const sig = e.signal;
    if (e.incident?.kind === 'probe-failed') this.probeFailures++;
    if (e.restartNotice) this.restartNotice = true;
    if (e.grace !== undefined && this.cur?.phase === 'terminating' && this.cur.gracePeriodS === undefined) this.cur.gracePeriodS = e.grace;
    if (e.incident?.kind === 'admission-rejected') this.reject();
    // the log begins after the pod was done (a static pod's UID can come back, another's cannot):
    // what follows are a finished pod's leftovers, no phase of it
    if (this.phases.length === 0 && this.state === 'none' && !this.role.isStatic && this.doneAt !== null && this.doneAt < e.index) return;
    if (this.state === 'none' && this.firstSeen === null && sig !== 'orphan') this.firstSeen = e;

    if (sig === undefined && this.state === 'none' && this.interrupted === null && e.incident) {
      if (SYNC_INCIDENTS.has(e.incident.kind)) return this.active(e);
      if (e.incident.kind === 'kill-failed') return this.stopped(e, false, i, undefined);
    }
    if (sig === 'pleg') return this.pleg(e, i);
    if (sig === 'finished' && e.fileSource && this.role.isStatic) return this.kill(e, i); // a static pod's manifest went away
    switch (sig) {
      case 'admit':
        return this.admit(e);
      case 'active':
        if (e.entry?.id !== 'syncloop-probe' && e.incident?.kind !== 'probe-failed') this.ran = true;
        return this.active(e);
      case 'kill':
        return this.kill(e, i);
      case 'stopped':
      case 'stopped-final':
        return this.stopped(e, sig === 'stopped-final', i, e.stopped?.id);
      case 'cleanup':
      case 'cleanup-final':
        return this.cleanup(e, sig === 'cleanup-final');
      case 'orphan':
        // the kubelet cleans up after a pod it no longer knows: its teardown is over by now
        if (this.cur && (this.state === 'terminating' || this.state === 'terminated')) this.orphaned ??= e;
        return;
      default:
        return;
    }
  }

  /** The kubelet process ended inside the current phase: the phase ran to its end. */
  private interrupt(c: Phase, at: PodEvent): void {
    if (!this.settle(c, at.index)) runToProcessEnd(c, this.ends);
    this.interrupted = this.state;
    this.cur = null;
    this.state = 'none';
    this.firstSeen = null;
  }

  private reject(): void {
    if (this.state === 'sync' && !this.ran && this.cur) {
      // turned away before it ever ran: the kubelet never synced it
      this.phases.pop();
      this.cur = null;
      this.state = 'none';
    }
    // a pod that ran (a later re-admission after a restart), or one already torn down, is not rejected
    if (this.state !== 'none') return;
    this.state = 'rejected';
    this.rejected = true;
  }

  private admit(e: PodEvent): void {
    if (this.state === 'none' && this.interrupted !== 'terminating' && this.interrupted !== 'terminated') this.start('sync', e, mark('inferred', e));
    else if (this.role.isStatic && e.fileSource && (this.state === 'terminated' || this.doneSince(e))) {
      // a static pod keeps its UID across a remove and re-add of its manifest: a new cycle
      this.closeOpenTeardown();
      this.resetCycle();
      this.start('sync', e, mark('inferred', e));
    }
  }

  private active(e: PodEvent): void {
    if (this.role.isStatic && this.cur && (this.state === 'terminated' || (this.state === 'terminating' && e.signal === 'active'))) {
      // a static pod keeps its UID when the kubelet runs it again: a new cycle
      this.closeOpenTeardown();
      this.resetCycle();
      this.start('sync', e, mark('inferred', e));
      return;
    }
    if (this.state !== 'none') return;
    if (this.interrupted === 'terminating' || this.interrupted === 'terminated') return;
    // the log (or the new kubelet process) begins inside the pod's sync
    if (this.interrupted === 'sync') this.start('sync', e, mark('inferred', e));
    else this.start('sync', this.firstSeen ?? e, { evidence: 'log-start' });
  }

  private pleg(e: PodEvent, i: number): void {
    const { type, data } = e.pleg ?? { type: '', data: '' };
    if (type === 'ContainerStarted') {
      this.started.add(data);
      if (this.sandbox === undefined) this.sandbox = data;
      this.ran = true;
      this.active(e);
      return;
    }
    if (type !== 'ContainerDied') return;
    this.dead.add(data);
    this.stopped(e, false, i, data);
  }

  private kill(e: PodEvent, i: number): void {
    const isContainerKill = e.entry?.id === 'killing-container';
    // a kill that restarts a container: after failed probes, announced, or a new container follows
    if (isContainerKill && this.state === 'sync' && !this.deleted && (this.probeFailures > 0 || this.restartNotice || this.restartsAfter[i] === 1)) {
      this.probeFailures = 0;
      this.restartNotice = false;
      return;
    }
    if (e.entry?.id === 'syncloop-delete') this.deleted = true;
    const withGrace = (ph: Phase): void => {
      if (e.grace !== undefined && ph.gracePeriodS === undefined) ph.gracePeriodS = e.grace;
    };
    switch (this.state) {
      case 'none':
        if (this.interrupted === 'terminated') return;
        if (this.firstSeen && this.firstSeen.index < e.index && this.interrupted === null) {
          // the pod was running before the log began
          this.start('sync', this.firstSeen, { evidence: 'log-start' });
          withGrace(this.next('terminating', e, e, mark('inferred', e)));
        } else withGrace(this.start('terminating', e, mark('inferred', e)));
        this.beginTeardown();
        return;
      case 'sync':
        withGrace(this.next('terminating', e, e, mark('inferred', e)));
        this.beginTeardown();
        return;
      case 'terminating':
        if (this.cur) withGrace(this.cur);
        return;
      case 'terminated':
      case 'rejected':
        // the API's final DELETE of a pod already torn down is no new teardown; a new kill is
        if (!isContainerKill) return;
        this.closeOpenTeardown();
        this.resetCycle();
        withGrace(this.start('terminating', e, mark('inferred', e)));
        this.beginTeardown();
        return;
    }
  }

  private beginTeardown(): void {
    this.lastStopped = null;
    this.stopFinal = null;
    this.dead.clear();
  }

  private stopped(e: PodEvent, final: boolean, i: number, id: string | undefined): void {
    if (this.state === 'none' && this.interrupted === null) {
      // the log begins with a container stopping: a restart while running (a new container
      // follows), else the pod was already being torn down
      if (this.restartsAfter[i] === 1 && !final) return this.active(e);
      this.start('terminating', this.firstSeen ?? e, { evidence: 'log-start' });
      this.beginTeardown();
    }
    if (this.state === 'terminating') {
      this.lastStopped = e;
      if (id) this.dead.add(id);
      if (final && !this.stopFinal) this.stopFinal = e;
      return;
    }
    if (this.state === 'sync') {
      if (final) {
        // every container stopped without a kill decision in the log: the pod completed on its own
        this.completed(e);
        this.stopFinal = e;
        this.lastStopped = e;
      } else {
        this.lastDied = e;
        if (id !== this.sandbox) this.lastAppDied = e;
      }
    }
  }

  /** The pod stopped running without a kill in the log (a Job): terminating began when its app exited. */
  private completed(e: PodEvent): void {
    const exited = this.lastAppDied ?? this.lastDied;
    const from = exited && this.cur && exited.index > this.cur.start.index ? exited : e;
    this.next('terminating', from, from, mark('inferred', from));
    this.beginTeardown();
  }

  private cleanup(e: PodEvent, final: boolean): void {
    switch (this.state) {
      case 'sync':
        if (!(this.lastAppDied ?? this.lastDied)) {
          // torn down with no kill or stop in the log (a filtered log): sync ends where the cleanup shows
          this.next('terminated', e, e, mark('inferred', e));
          this.lastCleanup = e;
          this.cleanupFinal = final ? e : null;
          return;
        }
        this.completed(e);
        this.lastStopped = this.lastDied;
      // falls through: terminating ends where the cleanup shows it did
      case 'terminating': {
        let end = this.terminatingEnd() ?? e;
        // the only stop seen is the one that began the teardown: the rest (the sandbox) stopped
        // unseen, before the cleanup began
        if (this.cur && end.index === this.cur.start.index) end = e;
        this.next('terminated', end, e, mark('inferred', end));
        this.lastCleanup = e;
        this.cleanupFinal = final ? e : null;
        return;
      }
      case 'none':
        if (this.interrupted === 'terminated' || this.interrupted === null || this.interrupted === 'terminating') {
          // the log (or the new process) begins inside the cleanup
          this.start('terminated', this.interrupted === null ? (this.firstSeen ?? e) : e, this.interrupted === null ? { evidence: 'log-start' } : mark('inferred', e));
          this.lastCleanup = e;
          this.cleanupFinal = final ? e : null;
        }
        return;
      case 'rejected':
        // a rejected pod goes straight to cleanup
        this.start('terminated', e, mark('inferred', e));
        this.lastCleanup = e;
        this.cleanupFinal = final ? e : null;
        return;
      case 'terminated':
        this.lastCleanup = e;
        if (final && !this.cleanupFinal) this.cleanupFinal = e;
        return;
    }
  }

  /** Where terminating ended: every container stopped, else the last one that did. */
  private terminatingEnd(): PodEvent | null {
    return this.stopFinal ?? this.lastStopped;
  }

  private closeAt(e: PodEvent, evidence: BoundaryEvidence): void {
    const c = this.cur;
    if (c) {
      c.end = point(e);
      c.endBy = mark(evidence, e);
      c.open = false;
    }
  }

  /** Before a second cycle: a teardown still open ends at its last line. */
  private closeOpenTeardown(): void {
    if (this.state === 'terminating') {
      const end = this.terminatingEnd();
      if (end) this.closeAt(end, 'inferred');
    }
    else if (this.state === 'terminated' && this.lastCleanup) this.closeAt(this.cleanupFinal ?? this.lastCleanup, 'inferred');
  }

  private resetCycle(): void {
    this.started.clear();
    this.dead.clear();
    this.sandbox = undefined;
    this.lastDied = this.lastAppDied = null;
    this.lastStopped = this.stopFinal = null;
    this.lastCleanup = this.cleanupFinal = null;
    this.orphaned = null;
    this.probeFailures = 0;
    this.restartNotice = false;
  }

  /** The pod was finished (removed) before this event. */
  private doneSince(e: PodEvent): boolean {
    // the same for every event of a phase: found once a phase, not once an event (a pod re-added
    // by its manifest every few seconds for days would be quadratic)
    const after = this.cur?.start.index ?? -1;
    if (this.finishedAfter?.after !== after) this.finishedAfter = { after, finished: finishedOf(this.events, after) };
    const f = this.finishedAfter.finished;
    return f !== null && f.index < e.index;
  }

  private finishedAfter: { after: number; finished: Finished | null } | undefined;

  /** The log ends: the phase in progress ended where its lines say, or runs to the end. */
  private finish(): void {
    const c = this.cur;
    if (c && !this.settle(c)) runToProcessEnd(c, this.ends);
  }

  /**
   * Whether the phase in progress has ended, by what the log shows up to `before` and what such a
   * log could show (the log, or its kubelet process, ends there): closes it and says so.
   */
  private settle(c: Phase, before = Infinity): boolean {
    const removed = finishedOf(this.events, c.start.index, before);
    if (c.phase === 'sync') {
      // removed while running, its teardown unseen: the pod's life here ended at its removal
      if (!removed) return false;
      this.closeAt(eventOf(this.events, removed.index)!, 'inferred');
      return true;
    }
    const orphaned = this.orphaned && this.orphaned.index > c.start.index && this.orphaned.index < before ? this.orphaned : null;
    if (c.phase === 'terminating') {
      if (this.stopFinal) {
        this.closeAt(this.stopFinal, 'inferred');
        return true;
      }
      if (orphaned) {
        // a teardown the log does not see end was over when the kubelet cleaned up after the pod
        this.closeAt(orphaned, 'inferred');
        return true;
      }
      const end = this.lastStopped;
      // every container the log showed has stopped, and the log could not say more
      const allDead = this.started.size > 0 ? [...this.started].every((id) => this.dead.has(id)) : this.dead.size > 0;
      const couldSayMore = FINAL_STOP.some((id) => this.profile.canLog(id, c.epoch) === true);
      if (!end || !(removed || (allDead && !couldSayMore))) return false;
      this.closeAt(end, 'inferred');
      return true;
    }
    const last = this.cleanupFinal ?? this.lastCleanup;
    const couldSayMore = FINAL_CLEANUP.some((id) => this.profile.canLog(id, c.epoch) === true);
    if (last && (this.cleanupFinal || removed || orphaned || !couldSayMore)) {
      this.closeAt(last, 'inferred');
      return true;
    }
    if (!orphaned) return false;
    this.closeAt(orphaned, 'inferred');
    return true;
  }
}

/** Signals after which no container of the pod starts again in this cycle. */
function isTeardown(e: PodEvent): boolean {
  const s = e.signal;
  if (s === 'cleanup' || s === 'cleanup-final' || s === 'finished' || s === 'stopped-final') return true;
  return s === 'kill' && e.entry?.id !== 'killing-container';
}

// The pod-worker phases of one pod UID, from its events in log order.
//
// Exact (1.22+ at -v=4, enter/exit lines): consecutive calls of one phase fold into one phase
// (`calls`); a phase ends at its last exit before the next phase starts. A terminating call
// followed by `Error syncing pod` failed and is retried, so the phase goes on; if the log ends
// after a failed call the phase is open. A kubelet restart (new PID) ends the running sync phase.
//
// Inferred (-v=2, ≤ 1.21): SyncLoop ADD starts sync; SyncLoop DELETE or the first grace-period
// kill starts terminating; the sandbox's PLEG ContainerDied ends it and starts terminated (a pod
// that completed on its own started terminating at its app container's ContainerDied); the last
// `Volume detached` ends terminated; SyncLoop REMOVE finishes the pod.
import type { Evidence } from './catalogue-types.js';
import type { RecordFacts } from './facts.js';

export type PhaseName = 'sync' | 'terminating' | 'terminated';

/** A position in the log: the record (by index in the input), with its time when it has one. */
export interface Point {
  index: number;
  line: number;
  timeUs?: number;
}

export interface Phase {
  phase: PhaseName;
  start: Point;
  /** Null while open. */
  end: Point | null;
  evidence: Evidence;
  /** The log ended (or started) inside this phase. */
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

export interface PhaseResult {
  phases: Phase[];
  finished: (Point & { evidence: Evidence }) | null;
  /** True when any boundary came from enter/exit lines. */
  exact: boolean;
  /** The last sync exit of the last phase, if it was a sync phase (exact mode). */
  lastExit?: Point | null;
}

export const point = (e: RecordFacts): Point => {
  const p: Point = { index: e.index, line: e.line };
  if (e.timeUs !== undefined) p.timeUs = e.timeUs;
  return p;
};

interface Current {
  ph: Phase;
  lastExit: Point | null;
  /** The last terminating call's exit was not followed by an error. */
  exitOk: boolean;
}

/**
 * Where a restart ends a phase: the end of process `epoch` — the old kubelet's last record.
 * `points[e]` is that record's point for every epoch but the running one.
 */
export interface RestartPoints {
  endOf(epoch: number): Point | undefined;
}

export function buildPhases(events: readonly PodEvent[], restarts: RestartPoints): PhaseResult {
  const exact = events.some((e) => e.entry?.evidence === 'exact' && e.entry.boundary !== undefined && e.entry.boundary !== 'finished');
  const out = exact ? exactPhases(events, restarts) : inferredPhases(events, restarts);
  // the kubelet restarted after this sync phase's last event: the restart ended it
  const cur = out.phases[out.phases.length - 1];
  const restartEnd = cur ? restarts.endOf(cur.epoch) : undefined;
  if (cur && cur.phase === 'sync' && cur.open && restartEnd) {
    cur.open = false;
    cur.end = out.lastExit ?? restartEnd;
  }
  return out;
}

function exactPhases(events: readonly PodEvent[], restarts: RestartPoints): PhaseResult {
  const phases: Phase[] = [];
  let finished: PhaseResult['finished'] = null;
  let cur: Current | null = null;

  const start = (phase: PhaseName, e: PodEvent): void => {
    const ph: Phase = { phase, start: point(e), end: null, evidence: 'exact', open: false, calls: 1, epoch: e.epoch };
    if (e.pid !== undefined) ph.pid = e.pid;
    phases.push(ph);
    cur = { ph, lastExit: null, exitOk: false };
  };
  /** The next phase starts (or a restart): this one ended at its last exit. */
  const closeAtLastExit = (): void => {
    if (cur && cur.ph.end === null) cur.ph.end = cur.lastExit ?? restarts.endOf(cur.ph.epoch) ?? cur.ph.start;
    cur = null;
  };

  for (const e of events) {
    const c = cur as Current | null;
    if (e.entry?.anomaly === 'sync-error' && c && c.ph.phase === 'terminating' && c.lastExit) c.exitOk = false;
    const g = e.grace;
    if (g !== undefined && c && c.ph.phase === 'terminating' && c.ph.end === null && c.ph.gracePeriodS === undefined) c.ph.gracePeriodS = g;
    if (e.entry?.evidence !== 'exact') continue;
    switch (e.entry.boundary) {
      case 'sync-start':
        if (c && c.ph.phase === 'sync' && c.ph.end === null && c.ph.epoch === e.epoch) c.ph.calls++;
        else {
          closeAtLastExit();
          start('sync', e);
        }
        break;
      case 'sync-end':
        if (c && c.ph.phase === 'sync') c.lastExit = point(e);
        break;
      case 'terminating-start':
        if (c && c.ph.phase === 'terminating' && c.ph.end === null && !(c.lastExit && c.exitOk)) c.ph.calls++;
        else {
          closeAtLastExit();
          start('terminating', e);
        }
        break;
      case 'terminating-end':
        if (c && c.ph.phase === 'terminating') {
          c.lastExit = point(e);
          c.exitOk = true;
        }
        break;
      case 'terminated-start':
        closeAtLastExit();
        start('terminated', e);
        break;
      case 'terminated-end':
        if (c && c.ph.phase === 'terminated') {
          c.ph.end = point(e);
          cur = null;
        }
        break;
      case 'finished':
        // the first sign the worker is done counts (`Pod worker has stopped` follows `Pod is complete`)
        if (!finished || (phases.length > 0 && finished.index < phases[phases.length - 1]!.start.index)) finished = { ...point(e), evidence: 'exact' };
        break;
    }
  }
  const last = cur as Current | null;
  if (last && last.ph.end === null) {
    // a terminating phase whose last call succeeded is complete; anything else is still running
    if (last.ph.phase === 'terminating' && last.lastExit && last.exitOk) last.ph.end = last.lastExit;
    else last.ph.open = true;
  }
  return { phases, finished, exact: true, lastExit: last && last.ph.phase === 'sync' ? last.lastExit : null };
}

const isPleg = (e: PodEvent, type: string): string | undefined => (e.pleg?.type === type ? e.pleg.data : undefined);

function inferredPhases(events: readonly PodEvent[], restarts: RestartPoints): PhaseResult {
  const phases: Phase[] = [];
  let finished: PhaseResult['finished'] = null;
  let cur: Phase | null = null;
  /** Containers the kubelet killed by name: app containers, never the sandbox. */
  const apps = new Set<string>();
  let sandbox: string | undefined;
  let lastAppDied: PodEvent | undefined;
  /** The last container death of any kind: the sandbox guess (first started) can be wrong. */
  let lastDied: PodEvent | undefined;
  let probeFailures = 0;
  let deleted = false;

  const start = (phase: PhaseName, e: PodEvent): Phase => {
    if (cur && cur.end === null) cur.end = cur.epoch === e.epoch ? point(e) : (restarts.endOf(cur.epoch) ?? point(e));
    const ph: Phase = { phase, start: point(e), end: null, evidence: 'inferred', open: false, calls: 1, epoch: e.epoch };
    if (e.pid !== undefined) ph.pid = e.pid;
    phases.push(ph);
    cur = ph;
    return ph;
  };
  /** The pod stopped running on its own (a completed Job): terminating began when its app exited. */
  const completed = (e: PodEvent): void => {
    const exited = lastAppDied ?? lastDied;
    if (exited && exited.index < e.index) start('terminating', exited);
    start('terminated', e);
  };

  for (const e of events) {
    const c = cur as Phase | null;
    const g = e.grace;
    if (g !== undefined && c && c.phase === 'terminating' && c.end === null && c.gracePeriodS === undefined) c.gracePeriodS = g;
    if (e.probeFailed) probeFailures++;
    if (e.kill?.id) apps.add(e.kill.id);
    const started = isPleg(e, 'ContainerStarted');
    if (started !== undefined) {
      if (sandbox === undefined && !apps.has(started)) sandbox = started; // the sandbox starts first
      continue;
    }
    const died = isPleg(e, 'ContainerDied');
    if (died !== undefined) {
      const isSandbox = died === sandbox && !apps.has(died);
      if (c?.phase === 'sync') lastDied = e;
      if (!isSandbox) lastAppDied = e;
      else if (c && c.end === null && c.phase === 'terminating') start('terminated', e);
      else if (c && c.end === null && c.phase === 'sync' && lastAppDied) completed(e);
      continue;
    }
    if (e.volumeTeardown) {
      // volumes are torn down only once the pod is not running: it has terminated
      if (c && c.end === null && c.phase === 'terminating') start('terminated', e);
      else if (c && c.end === null && c.phase === 'sync') completed(e);
      continue;
    }
    if (e.volumeDetached) {
      if (c && c.phase === 'terminated') c.end = point(e);
      continue;
    }
    if (e.entry?.evidence !== 'inferred') continue;
    switch (e.entry.boundary) {
      case 'sync-start':
        // a pod is added once per kubelet process; a second ADD (its mirror pod, a resync) is no
        // news, and a UID that terminated never runs again (a restart re-lists finished pods)
        if (c && c.phase === 'sync' && c.end === null && c.epoch === e.epoch) break;
        if (phases.some((p) => p.phase === 'terminated')) break;
        start('sync', e);
        sandbox = undefined;
        lastAppDied = undefined;
        lastDied = undefined;
        break;
      case 'terminating-start':
        // after the pod terminated, the API's final DELETE is no new teardown; a new kill is
        if (c && c.phase === 'terminated' && e.entry.lane === 'api') break;
        // a kill after failed probes, with no deletion asked for, restarts a container
        if (e.kill && probeFailures > 0 && !deleted && c?.phase === 'sync') break;
        if (e.entry.lane === 'api') deleted = true;
        if (!(c && c.phase === 'terminating' && c.end === null)) {
          const ph = start('terminating', e);
          if (g !== undefined) ph.gracePeriodS = g;
        }
        break;
      case 'finished':
        finished = { ...point(e), evidence: 'inferred' };
        break;
    }
    if (e.kill) probeFailures = 0;
  }
  const last = cur as Phase | null;
  if (last && last.end === null) last.open = true;
  return { phases, finished, exact: false };
}

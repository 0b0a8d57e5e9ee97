// The pod worker's transitions (pkg/kubelet/pod_workers.go): each logs its lines (V4 from 1.22 on,
// nothing in the old worker of ≤1.21) and records the true time of the transition in the pod's
// ground truth, whether or not the line is in the log (README.md "Ground truth").

import type { Sim } from './sim.js';
import type { PodRt } from './model.js';

/** `Processing pod event` + `SyncPod enter`: a sync call; the first one of a process starts the sync phase. */
export function syncEnter(sim: Sim, p: PodRt): number {
  sim.R.processing(p, 0);
  const t = sim.at(() => sim.R.syncPodEnter(p));
  p.book.sync(t, sim.pid);
  p.state = 'syncing';
  return t;
}

/** A sync call up to the volume check: `SyncPod enter`, `Generating pod status`, `Got phase for pod`, the volume wait. */
export function syncBegin(sim: Sim, p: PodRt, oldPhase: string, phase: string, volumes = true): number {
  const t = syncEnter(sim, p);
  sim.R.generatingStatus(p, false);
  sim.R.gotPhase(p, oldPhase, phase);
  if (volumes) {
    sim.R.waitingVolumes(p);
    sim.R.allMounted(p);
  }
  return t;
}

/** `SyncPod exit` + `Processing pod event done`. */
export function syncExit(sim: Sim, p: PodRt, isTerminal = false): void {
  sim.R.syncPodExit(p, isTerminal);
  sim.R.processingDone(p, 0);
}

/**
 * The kill decision: `Processing pod event` (terminating), `Pod worker has observed request to
 * terminate`, `SyncTerminatingPod enter`. Sync ends and terminating starts at the enter line; a
 * retry after a failed attempt only counts a call. Returns the enter time.
 */
export function terminatingEnter(sim: Sim, p: PodRt, retry = false): number {
  const R = sim.R;
  R.processing(p, 1);
  if (!retry) R.observedTerminate(p);
  const t = sim.at(() => R.termEnter(p));
  p.book.kill(t, sim.pid);
  if (!retry) p.book.step(true, 'kill-decision', t, t);
  p.state = 'terminating';
  return t;
}

/** `SyncTerminatingPod exit`; on success all containers are stopped: terminating ends. */
export function terminatingExit(sim: Sim, p: PodRt, success: boolean): number {
  const R = sim.R;
  const t = sim.at(() => R.termExit(p));
  if (!success) return t;
  p.book.terminatingDone(t);
  R.terminatedAll(p);
  R.processingDone(p, 1);
  return t;
}

/** `Processing pod event` (terminated) + `SyncTerminatedPod enter`. */
export function terminatedEnter(sim: Sim, p: PodRt): number {
  sim.R.processing(p, 2);
  const t = sim.at(() => sim.R.termdEnter(p));
  p.book.terminated(t, sim.pid);
  p.state = 'terminated';
  return t;
}

/** `SyncTerminatedPod exit`, `Pod is complete and the worker can now stop`: the worker is finished. */
export function terminatedExit(sim: Sim, p: PodRt): number {
  const R = sim.R;
  const t = sim.at(() => R.termdExit(p));
  p.book.terminatedDone(t);
  sim.workerDone(p, sim.at(() => R.completeWorkerStop(p)));
  R.processingDone(p, 2);
  R.workerStopped(p);
  return t;
}

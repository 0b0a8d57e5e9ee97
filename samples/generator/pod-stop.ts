// A pod's teardowns (kubelet-log-formats.md §4.14 "Pod deletion"): the kill decision (API
// deletion, a completed Job, an eviction), SyncTerminatingPod until every container stopped, then
// SyncTerminatedPod (volumes, cgroups), the final status, REMOVE, and the teardown incidents (kill
// failure and retry, a container that ignores SIGTERM, a stuck runtime, a volume that will not
// unmount, a second teardown after REMOVE). Every step goes to PodTruth.teardown.

import type { Actor, Sim } from './sim.js';
import { MS, SEC } from './sim.js';
import type { ContainerRt, PodRt, VolumeRt } from './model.js';
import type { StepTruth } from './types.js';
import type { Incident } from './truth.js';
import { PodFactory, patchTerminated } from './workloads.js';
import { goDuration, goTimeString, rfc3339NanoUtc } from './timefmt.js';
import { syncBegin, syncExit, terminatedEnter, terminatedExit, terminatingEnter, terminatingExit } from './worker.js';

export interface TermPlan {
  grace: number;
  /** Graceful deletion from the API or an eviction (gracePeriodOverride set → `… grace period override` lines). */
  override: boolean;
  /** No container is running any more (natural completion, a pod that never started one). */
  nothingRunning: boolean;
  killFail: boolean;
  ignoreSigterm: boolean;
  stuck: boolean;
  unmountFail: boolean;
}

const finishedAt = (c: ContainerRt): string => rfc3339NanoUtc(c.finishedUs, c.finishedNs);

function killErr(sim: Sim, c: ContainerRt, kind: 'timeout' | 'gone'): string {
  if (sim.R.rt === 'docker') {
    return kind === 'gone'
      ? `rpc error: code = Unknown desc = Error response from daemon: No such container: ${c.id}`
      : `rpc error: code = Unknown desc = Error response from daemon: cannot stop container: ${c.id}: tried to kill container, but did not receive an exit event`;
  }
  return kind === 'gone' ? `rpc error: code = NotFound desc = an error occurred when try to find container "${c.id}": not found` : `rpc error: code = DeadlineExceeded desc = context deadline exceeded`;
}

/**
 * Waits `us` while the pod terminates; from 1.28 the status manager logs `Delaying pod deletion
 * as the phase is non-terminal` every 10 s meanwhile (samples/real 08).
 */
function* terminatingWait(sim: Sim, p: PodRt, us: number): Actor {
  const end = sim.now + us;
  while (end - sim.now > 10 * SEC) {
    yield 10 * SEC - sim.rng.int(5 * MS);
    sim.R.delayingDeletion(p, 'Running');
  }
  if (end > sim.now) yield end - sim.now;
}

/**
 * SyncTerminatingPod until it succeeds. Returns false when the teardown hangs (stuck: terminating
 * never ends). The caller logged what led here and holds `sim.enter()`.
 */
export function* terminating(sim: Sim, p: PodRt, plan: TermPlan): Generator<number, boolean, void> {
  const R = sim.R;
  const rng = sim.rng;
  const running = plan.nothingRunning ? [] : p.containers;
  let attempt = 0;
  let failed: Incident | null = null;
  const stops: StepTruth[] = [];
  for (;;) {
    attempt++;
    terminatingEnter(sim, p, attempt > 1);
    R.generatingStatus(p, plan.nothingRunning);
    R.gotPhase(p, plan.nothingRunning ? 'Succeeded' : 'Running', plan.nothingRunning ? 'Succeeded' : 'Running');
    R.graceLine(p, plan.grace);
    if (running.length > 0 && attempt === 1) {
      const killLines: number[] = [];
      for (const c of running) {
        if (plan.override) R.killingOverride(p, c, plan.grace);
        const tk = sim.at(() => R.killingGrace(p, c, plan.grace));
        killLines.push(sim.shown);
        stops.push(p.book.step(true, 'container-stopped', tk, null, { container: c.name, gracePeriodS: plan.grace, sigkill: false }));
        R.event(p, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
      }
      if (R.minor <= 23) R.patchStatus(p, patchTerminated(p, sim.now, 'Running'));
      if (plan.stuck) {
        const inc = p.book.incident('stuck-terminating', p.book.truth.phases.at(-1)?.startUs ?? sim.now, { detail: 'container runtime never returns from StopContainer' });
        for (const t of killLines) inc.ev(t);
        p.stuck = true;
        return false;
      }
      if (plan.ignoreSigterm || plan.grace === 0) {
        // the runtime sends SIGKILL when the grace period is over
        if (plan.grace > 0) yield* terminatingWait(sim, p, plan.grace * SEC + rng.intIn(5, 200) * MS);
        else yield rng.intIn(5, 60) * MS;
        for (const c of running) c.exitCode = c === running[0] || plan.grace === 0 ? 137 : 0;
        for (const s of stops) if (plan.grace === 0 || s.container === running[0]?.name) s.sigkill = true;
        if (plan.grace > 0) {
          const inc = p.book.incident('grace-exceeded', (stops[0] as StepTruth).startUs, { container: running[0]?.name, detail: `gracePeriod=${plan.grace}` });
          for (const t of killLines) inc.ev(t);
          p.graceInc = inc;
        }
      } else {
        yield* terminatingWait(sim, p, Math.max(5 * MS, Math.min(p.termSeconds, plan.grace) * SEC + rng.intIn(0, 50) * MS));
        for (const c of running) c.exitCode = 0;
      }
    } else if (running.length > 0) {
      yield rng.intIn(20, 300) * MS;
    }
    if (plan.killFail && running.length > 0) {
      const c = running[0] as ContainerRt;
      const err = killErr(sim, c, 'timeout');
      failed = p.book.incident('kill-failed', sim.now, { container: c.name, detail: err });
      failed.ev(R.termFailed(p, c, plan.grace, err));
      failed.ev(R.killFailed(p, c, err));
      terminatingExit(sim, p, false);
      failed.ev(R.syncError(p, `failed to "KillContainer" for "${c.name}" with KillContainerError: "${err}"`));
      R.processingDone(p, 1);
      yield rng.intIn(800, 2500) * MS;
      plan.killFail = false;
      continue;
    }
    const slice = PodFactory.cgroupSlice(p);
    for (const c of running) {
      c.finishedUs = sim.now;
      c.finishedNs = rng.int(1000);
      sim.N.cadvisorDestroyed(p, slice, c.id, c.name);
      const t = sim.at(() => R.exitedNormally(p, c));
      if (c.exitCode === 137) p.graceInc?.ev(sim.shown);
      const s = stops.find((x) => x.container === c.name);
      if (s) s.endUs = t;
    }
    if (!p.hostNetwork) {
      const tNet = sim.at(() => R.networkTearDown(p, rng.intIn(2000, 60000)));
      p.book.step(true, 'network-torn-down', tNet, sim.now);
    }
    const tSb = sim.at(() => sim.N.cadvisorDestroyed(p, slice, p.sandboxId, 'POD'));
    p.book.step(true, 'sandbox-removed', tSb, tSb);
    const tPost = R.postTermState(p, finishedAt);
    if (running.some((c) => c.exitCode === 137)) p.graceInc?.ev(tPost);
    R.stoppedAll(p);
    terminatingExit(sim, p, true);
    p.running = false;
    sim.spawn(plegAfterStop(sim, p, running), rng.intIn(1, 1000) * MS);
    return true;
  }
}

/** PLEG's next relist sees the stopped containers and sandbox (0-1 s after they stopped). */
function* plegAfterStop(sim: Sim, p: PodRt, died: readonly ContainerRt[]): Actor {
  const R = sim.R;
  for (const c of died) {
    R.genericPleg(p, c.id, 'running', 'exited');
    const t = R.containerFinished(p, c);
    const t2 = R.plegEvent(p, 'ContainerDied', c.id);
    if (c.exitCode === 137) {
      p.graceInc?.ev(t);
      p.graceInc?.ev(t2);
    }
  }
  R.genericPleg(p, p.sandboxId, 'running', 'exited');
  R.plegEvent(p, 'ContainerDied', p.sandboxId);
  yield 0;
}

/** SyncTerminatedPod: volumes unmounted, cgroups removed; the worker is finished. */
export function* terminated(sim: Sim, p: PodRt, finalPhase: 'Running' | 'Succeeded' | 'Failed', unmountFail: boolean): Actor {
  const R = sim.R;
  const rng = sim.rng;
  terminatedEnter(sim, p);
  R.generatingStatus(p, true);
  R.gotPhase(p, finalPhase === 'Succeeded' ? 'Succeeded' : 'Running', finalPhase);
  const tW = sim.at(() => R.waitingUnmount(p));
  const step = p.book.step(true, 'volumes-unmounted', tW, null);
  sim.refRelease(p);
  for (const v of p.volumes) R.removeFromDesired(p, v);
  yield rng.intIn(20, 100) * MS;
  yield* unmountVolumes(sim, p, unmountFail ? (p.volumes.find((v) => v.plugin === 'kubernetes.io/empty-dir') ?? p.volumes[0] ?? null) : null);
  step.endUs = sim.at(() => R.allUnmounted(p));
  R.unmountedVolumes(p);
  R.cleanedVolumePaths(p);
  const tC = sim.at(() => R.removedCgroups(p));
  p.book.step(true, 'cgroup-removed', tC, tC);
  R.noMoreStatus(p);
  terminatedExit(sim, p);
}

/** Unmount started → TearDown succeeded → Volume detached for every volume; one may fail (device busy) and be retried. */
function* unmountVolumes(sim: Sim, p: PodRt, failing: VolumeRt | null): Actor {
  const R = sim.R;
  const rng = sim.rng;
  for (const v of p.volumes) R.unmountStarted(p, v);
  yield rng.intIn(3, 40) * MS;
  for (const v of p.volumes) if (v !== failing) R.teardownSucceeded(p, v);
  if (failing) {
    const path = `/var/lib/kubelet/pods/${p.uid}/volumes/${failing.plugin.replace('/', '~')}/${failing.name}`;
    const err = `unlinkat ${path}: device or resource busy`;
    const inc = p.book.incident('unmount-failed', sim.now, { detail: `volume ${failing.name}: ${err}` });
    const rounds = rng.intIn(3, 6);
    for (let n = 0; n < rounds; n++) {
      const wait = Math.min(500 * 2 ** n, 122_000);
      const at = sim.now + wait * MS;
      inc.ev(R.volumeOpFailed(p, failing, 'UnmountVolume.TearDown', goTimeString(at, rng.int(1000), sim.cfg.tz, (at - sim.processStartUs) * 1000 + 1_200_000_000), goDuration(wait * 1e6), err));
      yield wait * MS + rng.intIn(1, 100) * MS;
      R.unmountStarted(p, failing);
    }
    R.teardownSucceeded(p, failing);
  }
  yield rng.intIn(60, 110) * MS;
  for (const v of p.volumes) R.volumeDetached(p, v);
}

/**
 * After the worker finished: container GC, the final status (the `status-sent` step). A deleted
 * pod keeps phase Running before 1.27; from 1.27 it ends Succeeded (every container exited 0) or Failed.
 */
function finalStatus(sim: Sim, p: PodRt, phase: 'Running' | 'Succeeded'): void {
  const R = sim.R;
  for (const c of p.containers) R.removeContainer(c.id);
  const final = phase === 'Succeeded' || R.minor < 27 ? phase : p.containers.every((c) => c.exitCode === 0) ? 'Succeeded' : 'Failed';
  const t = sim.at(() => R.patchStatus(p, patchTerminated(p, sim.now, final)));
  p.book.step(true, 'status-sent', t, t);
  if (final !== 'Running') R.terminationFinished(p, final);
}

/** The second SyncLoop DELETE (grace 0, the status manager asked for it) and REMOVE. */
export function* removeFromApi(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  sim.deleted(p, R.syncLoop('DELETE', 'api', [p]));
  R.finishedProcessing(p, 'update');
  R.fullyTerminated(p);
  yield sim.rng.intIn(5, 150) * MS;
  const t = sim.at(() => R.syncLoop('REMOVE', 'api', [p]));
  sim.removed(p, t);
  p.book.step(true, 'removed', t, t);
  R.deletedMustBeKilled(p);
  R.killingUnwantedPod(p);
  R.finishedProcessing(p, 'kill');
}

/** Graceful deletion through the API (Deployment scale-down/rollout, StatefulSet pod deletion). */
export function* deletePod(sim: Sim, p: PodRt, plan: TermPlan): Generator<number, boolean, void> {
  const R = sim.R;
  const rng = sim.rng;
  sim.deleted(p, R.syncLoop('DELETE', 'api', [p]));
  R.gracefulDeletion(p);
  const ok = yield* terminating(sim, p, plan);
  if (!ok) return false;
  yield* terminated(sim, p, 'Running', plan.unmountFail);
  finalStatus(sim, p, 'Running');
  R.syncLoop('RECONCILE', 'api', [p]);
  yield rng.intIn(20, 400) * MS;
  yield* removeFromApi(sim, p);
  return true;
}

/** A Job pod's container exits 0: PLEG notices, the next sync sees a terminal pod, teardown. */
export function* completePod(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const c0 = p.containers[0] as ContainerRt;
  for (const c of p.containers) {
    c.exitCode = 0;
    c.finishedUs = sim.now;
    c.finishedNs = rng.int(1000);
  }
  yield rng.intIn(1, 1000) * MS; // PLEG relist
  R.genericPleg(p, c0.id, 'running', 'exited');
  R.containerFinished(p, c0);
  R.plegEvent(p, 'ContainerDied', c0.id);
  p.running = false;
  p.completed = true;
  yield rng.intIn(2, 50) * MS;
  syncBegin(sim, p, 'Running', 'Succeeded', false);
  syncExit(sim, p, true);
  R.podIsTerminal(p, 0);
  R.lifecycleCompleted(p);
  R.patchStatus(p, patchTerminated(p, sim.now, 'Succeeded'));
  yield* terminating(sim, p, { grace: p.grace, override: false, nothingRunning: true, killFail: false, ignoreSigterm: false, stuck: false, unmountFail: false });
  yield* terminated(sim, p, 'Succeeded', false);
  finalStatus(sim, p, 'Succeeded');
  p.terminal = true;
}

/** The eviction manager kills the pod (grace 0 for a hard threshold): it stays in the API as Failed/Evicted. */
export function* evictPod(sim: Sim, p: PodRt, message: string, inc: Incident): Actor {
  const R = sim.R;
  inc.ev(sim.N.evictingPod(p, message));
  inc.ev(R.event(p, null, 'Warning', 'Evicted', message));
  inc.ev(R.evictedTeardown(p));
  const plan: TermPlan = { grace: 0, override: true, nothingRunning: false, killFail: false, ignoreSigterm: false, stuck: false, unmountFail: false };
  yield* terminating(sim, p, plan);
  inc.ev(sim.N.evictionEvicted(p));
  p.terminal = true;
}

/** Like the design-notes trace: after REMOVE the UID is torn down again and the kill fails. */
export function* secondTeardown(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const c = p.containers[0] as ContainerRt;
  R.doesNotExist(p);
  R.firstSync(p, 'kill');
  R.orphaned(p);
  const tEnter = terminatingEnter(sim, p);
  R.graceLine(p, 1);
  R.killingOverride(p, c, 1);
  const tK = R.killingGrace(p, c, 1);
  const twice = p.book.incident('torn-down-twice', tEnter);
  twice.ev(tK);
  R.event(p, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
  const err = killErr(sim, c, 'gone');
  const kf = p.book.incident('kill-failed', sim.now, { container: c.name, detail: err });
  kf.ev(R.termFailed(p, c, 1, err));
  kf.ev(R.killFailed(p, c, err));
  terminatingExit(sim, p, false);
  // the kill failed and the worker retries: the teardown is still going on at every verbosity
  kf.ev(R.syncError(p, `failed to "KillContainer" for "${c.name}" with KillContainerError: "${err}"`));
  R.processingDone(p, 1);
  yield rng.intIn(800, 2000) * MS;
  terminatingEnter(sim, p, true);
  R.graceLine(p, 1);
  R.postTermState(p, finishedAt);
  R.stoppedAll(p);
  terminatingExit(sim, p, true);
  terminatedQuick(sim, p, 'Running', 'Running');
}

/** SyncTerminatedPod with nothing left to unmount (the volumes went with the first teardown, or never came). */
export function terminatedQuick(sim: Sim, p: PodRt, oldPhase: string, phase: string): void {
  const R = sim.R;
  terminatedEnter(sim, p);
  R.generatingStatus(p, true);
  R.gotPhase(p, oldPhase, phase);
  R.waitingUnmount(p);
  R.allUnmounted(p);
  R.unmountedVolumes(p);
  R.cleanedVolumePaths(p);
  R.removedCgroups(p);
  R.noMoreStatus(p);
  terminatedExit(sim, p);
}

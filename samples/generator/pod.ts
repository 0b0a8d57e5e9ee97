// The life of one pod: what happens to it is decided up front from the anomaly rates (reject, pull
// failure, slow steps, crash loop, OOM, liveness restart, teardown incidents), then start →
// running → deletion or completion → REMOVE (pod-start.ts, pod-run.ts, pod-stop.ts).

import type { Actor, Sim } from './sim.js';
import { MS, SEC } from './sim.js';
import type { ContainerRt, PodRt, WorkloadRt } from './model.js';
import { startPod, quickTerminated, type Reject, type StartPlan } from './pod-start.js';
import { runPod } from './pod-run.js';
import { completePod, deletePod, removeFromApi, secondTeardown, type TermPlan } from './pod-stop.js';

export interface LifeOpts {
  /** The pod's SyncLoop ADD was already logged (batched ADD at kubelet start). */
  addEmitted: boolean;
  /** Time the pod stays running (Infinity: until the log ends). For Jobs: the run time. */
  lifetimeUs: number;
  /** StatefulSet re-creation: the UID whose name this pod reuses. */
  reusesUid?: string;
  /** A pod re-created after its predecessor was rejected is admitted. */
  noReject?: boolean;
}

/** A per-workload override wins over the global anomaly rate. */
function rate(perWorkload: number | null | undefined, global: number): number {
  return perWorkload ?? global;
}

const REJECTS: readonly Reject[] = [
  { reason: 'TopologyAffinityError', message: 'Resources cannot be allocated with Topology locality' },
  { reason: 'OutOfcpu', message: 'Node didn\'t have enough resource: cpu, requested: 4000, used: 7550, capacity: 8000' },
  { reason: 'NodeAffinity', message: 'Predicate NodeAffinity failed' },
];

function startPlan(sim: Sim, p: PodRt, o: LifeOpts): StartPlan {
  const rng = sim.rng;
  const a = sim.cfg.anomalies;
  const w = p.workload;
  const api = p.kind === 'Deployment' || p.kind === 'StatefulSet';
  const fresh = !o.addEmitted;
  const reject = api && fresh && !o.noReject && rng.chance(a.admissionReject) ? rng.pick(REJECTS) : null;
  const c0 = p.containers[0] as ContainerRt;
  const pullFail = !reject && fresh && p.kind !== 'Static' && rng.chance(rate(w?.imagePullFailure, a.imagePullFailure)) ? { c: c0, rounds: rng.intIn(2, 4), recovers: rng.chance(0.7) } : null;
  const slowPull = !reject && rng.chance(a.slowImagePull) ? rng.pick(p.containers) : null;
  const withRef = p.volumes.find((v) => v.ref !== null) ?? null;
  const mountFail = !reject && fresh && withRef && rng.chance(a.mountFailure) ? withRef : null;
  const slowMount = !reject && p.volumes.length > 0 && rng.chance(a.slowVolumeMount) ? (p.volumes.at(-1) ?? null) : null;
  const sandboxFail = !reject && !p.hostNetwork && rng.chance(a.sandboxFailure);
  const probeC = p.containers.find((c) => c.probe !== null);
  const slowReadyS = !reject && probeC && rng.chance(a.slowReadiness) ? rng.intIn(20, 120) : 0;
  return { reject, pullFail, slowPull, mountFail: mountFail === slowMount ? null : mountFail, slowMount, sandboxFail, slowReadyS };
}

function teardownPlan(sim: Sim, p: PodRt, nothingRunning: boolean): TermPlan {
  const rng = sim.rng;
  const w = p.workload;
  const a = sim.cfg.anomalies;
  let stuck = false;
  if (!nothingRunning && sim.stuckRemaining > 0 && sim.processEndsRemaining === 0 && p.kind === 'Deployment' && sim.progress() >= 0.6 && !sim.stopping) {
    stuck = true;
    sim.stuckRemaining--;
  }
  return {
    grace: p.grace,
    override: true,
    nothingRunning,
    killFail: !stuck && !nothingRunning && rng.chance(rate(w?.killFailure, a.killFailure)),
    ignoreSigterm: !stuck && !nothingRunning && rng.chance(rate(w?.ignoreSigterm, a.graceExhausted)),
    stuck,
    unmountFail: !stuck && rng.chance(a.unmountFailure),
  };
}

/** A whole pod lifetime. */
export function* podLifecycle(sim: Sim, p: PodRt, o: LifeOpts): Actor {
  const rng = sim.rng;
  yield* sim.enter();
  sim.alive.add(p);
  const plan = startPlan(sim, p, o);
  const res = yield* startPod(sim, p, o.addEmitted, plan);
  if (res === 'rejected') {
    sim.leave();
    yield* afterReject(sim, p);
    return;
  }
  if (res === 'given-up') {
    // deleted (a rollback) while its image could not be pulled: nothing ever ran
    sim.leave();
    yield rng.intIn(1000, 20000) * MS;
    yield* sim.enter();
    const ok = yield* deletePod(sim, p, teardownPlan(sim, p, true));
    sim.leave();
    if (ok) yield* afterRemove(sim, p);
    return;
  }
  sim.leave();
  if (o.reusesUid) p.book.incident('name-reused', p.book.truth.addedUs ?? sim.now, { detail: `previous uid ${o.reusesUid}` }).ev(p.book.truth.addedUs ?? -1);

  const w = p.workload;
  const a = sim.cfg.anomalies;
  const endAt = sim.now + o.lifetimeUs;
  const long = p.kind === 'Deployment' || p.kind === 'StatefulSet' || p.kind === 'DaemonSet';
  const inLife = (lo: number, hi: number, p0: number): number => {
    if (!long || !rng.chance(p0)) return Number.POSITIVE_INFINITY;
    const t = sim.now + rng.range(lo, hi) * SEC;
    return t + 60 * SEC < endAt ? t : Number.POSITIVE_INFINITY;
  };
  const crashAt = p.kind === 'DaemonSet' ? Number.POSITIVE_INFINITY : inLife(15, 240, rate(w?.crashLoop, a.crashLoop));
  const oomAt = inLife(20, 600, rate(w?.oomKill, a.oomKill));
  const probeC = p.containers.find((c) => c.probe !== null) ?? null;
  const livenessAt = probeC && probeC.probe !== 'exec' ? inLife(30, 600, rate(w?.probeRestart, a.probeRestart)) : Number.POSITIVE_INFINITY;
  if (probeC && rng.chance(rate(w?.probeFailure, a.probeFailure))) p.probeFlaky = true;

  yield* runPod(sim, p, { endAt, crashAt, oomAt, livenessAt }, probeC);
  // evicted meanwhile (the eviction manager tore it down), or running until the log ends
  if (p.state !== 'syncing' || !Number.isFinite(endAt)) return;
  yield* sim.enter();
  if (p.kind === 'Job') {
    yield* completePod(sim, p);
    sim.leave();
    yield* ttlDelete(sim, p);
    return;
  }
  const ok = yield* deletePod(sim, p, teardownPlan(sim, p, false));
  sim.leave();
  if (!ok) {
    sim.inflight--;
    return;
  }
  yield* afterRemove(sim, p);
}

/** A rejected pod: a StatefulSet controller deletes it and creates it again; other controllers leave it Failed. */
function* afterReject(sim: Sim, p: PodRt): Actor {
  const rng = sim.rng;
  p.book.truth.openAtEnd = false;
  const w = p.workload;
  if (p.kind !== 'StatefulSet' || !w) {
    sim.inflight--;
    p.finished = true;
    return;
  }
  yield rng.intIn(300, 1500) * MS;
  yield* sim.enter();
  sim.deleted(p, sim.R.syncLoop('DELETE', 'api', [p]));
  quickTerminated(sim, p, 'update', 'Failed', 'Pending');
  if (!p.finished) {
    // ≤1.21: no worker ever ran for it
    p.finished = true;
    sim.inflight--;
  }
  yield rng.intIn(2, 20) * MS;
  yield* removeFromApi(sim, p);
  sim.leave();
  if (!sim.stopping) sim.spawn(recreateStatefulPod(sim, w, p, true), rng.intIn(5, 50) * MS);
  else w.ordinals.delete(p.ordinal);
}

/** The TTL / CronJob history controller deletes the finished Job pod later. */
function* ttlDelete(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  yield (rng.chance(0.85) ? rng.range(30, 600) : rng.range(3600, 6 * 3600)) * SEC;
  while (sim.gateClosed) yield 500 * MS;
  yield* removeFromApi(sim, p);
  yield rng.intIn(500, 2500) * MS;
  R.removeHistory(p);
  R.plegDeleteStatus(p);
  yield rng.intIn(300, 2000) * MS;
  R.cleanedOrphanDir(p);
}

/** Housekeeping after SyncLoop REMOVE; sometimes a second teardown of the same UID. */
function* afterRemove(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  if (R.newWorker && !sim.stopping && rng.chance(sim.cfg.anomalies.doubleTeardown)) {
    yield rng.intIn(1, 40) * MS;
    yield* sim.enter();
    yield* secondTeardown(sim, p);
    sim.leave();
  }
  // The StatefulSet controller re-creates the pod under the same name.
  const w = p.workload;
  if (p.kind === 'StatefulSet' && w) {
    if (!sim.stopping) sim.spawn(recreateStatefulPod(sim, w, p, false), rng.intIn(300, 3000) * MS);
    else w.ordinals.delete(p.ordinal);
  }
  yield rng.intIn(500, 2500) * MS;
  R.removeHistory(p);
  R.plegDeleteStatus(p);
  yield rng.intIn(300, 2000) * MS;
  R.cleanedOrphanDir(p);
}

function* recreateStatefulPod(sim: Sim, w: WorkloadRt, old: PodRt, afterReject: boolean): Actor {
  if (sim.stopping) {
    w.ordinals.delete(old.ordinal);
    return;
  }
  const p = sim.factory.createForWorkload(w, old.name, old.ordinal, sim.rng, sim.now);
  sim.created++;
  sim.inflight++;
  yield* podLifecycle(sim, p, { addEmitted: false, lifetimeUs: Math.max(60, sim.rng.exp(w.meanLifetimeSeconds)) * SEC, reusesUid: old.uid, noReject: afterReject });
}

// The life of one pod as the kubelet logs it (kubelet-log-formats.md §4.14): ADD → volumes →
// sandbox → containers → PLEG → running (periodic syncs, probes, crash loops) → graceful deletion
// or natural completion → terminating → terminated → REMOVE, with injected anomalies.

import type { Actor, Sim } from './sim.js';
import { MS, SEC } from './sim.js';
import type { ContainerRt, PodRt } from './model.js';
import { PodFactory, patchNotReady, patchRunning, patchTerminated } from './workloads.js';
import { GO_ZERO_TIME, epochMillisFromUs, epochMillisGoZeroTime, goDuration, goTimeString, rfc3339NanoUtc } from './timefmt.js';

export interface LifeOpts {
  /** The pod's SyncLoop ADD was already logged (batched ADD at kubelet start). */
  addEmitted: boolean;
  /** Time the pod stays running (Infinity: until the log ends). For Jobs: the run time. */
  lifetimeUs: number;
  /** StatefulSet re-creation: the UID whose name this pod reuses. */
  reusesUid?: string;
}

const finishedAt = (c: ContainerRt): string => rfc3339NanoUtc(c.finishedUs, c.finishedNs);

/** A per-workload override wins over the global anomaly rate. */
function anomalyRate(perWorkload: number | null | undefined, global: number): number {
  return perWorkload ?? global;
}

/** A whole pod lifetime. */
export function* podLifecycle(sim: Sim, p: PodRt, o: LifeOpts): Actor {
  const rng = sim.rng;
  yield* sim.enter();
  sim.alive.add(p);
  yield* startPod(sim, p, o.addEmitted);
  sim.leave();
  if (o.reusesUid) p.book.anomaly('name-reused', p.book.truth.addedUs ?? sim.now, `previous uid ${o.reusesUid}`);

  const w = p.workload;
  const a = sim.cfg.anomalies;
  const endAt = sim.now + o.lifetimeUs;
  let crashAt = Number.POSITIVE_INFINITY;
  if ((p.kind === 'Deployment' || p.kind === 'StatefulSet') && rng.chance(anomalyRate(w?.crashLoop, a.crashLoop))) {
    const c = sim.now + rng.range(15, 240) * SEC;
    if (c + 60 * SEC < endAt) crashAt = c;
  }
  const probeC = p.containers.find((c) => c.probe !== null) ?? null;
  if (probeC && rng.chance(anomalyRate(w?.probeFailure, a.probeFailure))) p.probeFlaky = true;

  yield* runPod(sim, p, endAt, crashAt, probeC);
  if (!Number.isFinite(endAt)) return;
  if (p.kind === 'Job') yield* completePod(sim, p);
  else yield* deletePod(sim, p);
}

// ------------------------------------------------------------------ start

function* startPod(sim: Sim, p: PodRt, addEmitted: boolean): Actor {
  const R = sim.R;
  const rng = sim.rng;
  if (!addEmitted) {
    R.receivingNewPod(p);
    sim.added(p, R.syncLoop('ADD', p.source, [p]));
  }
  p.startUs = sim.now;
  R.topologyAdmit(p);
  R.firstSync(p, 'create');
  R.processing(p, 0);
  sim.syncEnter(p, R.syncPodEnter(p));
  R.generatingStatus(p, false);
  R.gotPhase(p, 'Pending', 'Pending');
  if (p.static && p.mirrorUid === null) {
    R.creatingMirror(p);
    sim.spawn(mirrorAdd(sim, p), rng.intIn(30, 400) * MS);
  }
  R.waitingVolumes(p);
  sim.refAcquire(p);
  yield rng.intIn(2, 40) * MS;
  for (const v of p.volumes) R.verifyAttached(p, v);
  yield rng.intIn(90, 110) * MS;
  for (const v of p.volumes) R.mountStarted(p, v);
  yield rng.intIn(1, 15) * MS;
  for (const v of p.volumes) R.setupSucceeded(p, v);
  yield rng.intIn(40, 260) * MS;
  R.allMounted(p);
  R.noSandbox(p);
  R.receivedNewPod(p);
  R.creatingSandbox(p);
  if (!p.hostNetwork) R.networkSetUp(p);
  yield rng.intIn(150, 1200) * MS;
  const slice = PodFactory.cgroupSlice(p);
  if (rng.chance(0.3)) R.cadvisorWatchEvent(slice, p.sandboxId);
  R.createdSandbox(p);
  R.determinedIP(p);
  let firstPull = -1;
  let lastPull = -1;
  for (const c of p.containers) {
    if (rng.chance(0.25)) {
      R.event(p, c, 'Normal', 'Pulling', `Pulling image "${c.image}"`);
      if (firstPull < 0) firstPull = sim.now;
      const pull = rng.intIn(800, 12000);
      yield pull * MS;
      lastPull = sim.now;
      const ns = pull * 1_000_000 + rng.int(1_000_000);
      const msg =
        R.ver >= 128
          ? `Successfully pulled image "${c.image}" in ${goDuration(ns)} (${goDuration(ns + rng.int(50_000_000))} including waiting)`
          : `Successfully pulled image "${c.image}" in ${goDuration(ns)}`;
      R.event(p, c, 'Normal', 'Pulled', msg);
    } else {
      R.event(p, c, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
    }
    R.creatingContainer(p, c);
    yield rng.intIn(30, 250) * MS;
    R.event(p, c, 'Normal', 'Created', `Created container ${c.name}`);
    yield rng.intIn(20, 150) * MS;
    c.startedUs = sim.now;
    R.event(p, c, 'Normal', 'Started', `Started container ${c.name}`);
    if (rng.chance(0.15)) R.cadvisorWatchEvent(slice, c.id);
  }
  sim.syncExit(p, R.syncPodExit(p, false));
  R.processingDone(p, 0);
  R.patchStatus(p, patchNotReady(p, sim.now));
  yield rng.intIn(100, 1000) * MS; // PLEG relist
  R.genericPleg(p, p.sandboxId, 'non-existent', 'running');
  for (const c of p.containers) R.genericPleg(p, c.id, 'non-existent', 'running');
  R.plegEvent(p, 'ContainerStarted', p.sandboxId);
  let observed = sim.now;
  for (const c of p.containers) observed = R.plegEvent(p, 'ContainerStarted', c.id);
  if (observed < 0) observed = sim.now;
  yield rng.intIn(1, 10) * MS;
  syncOnce(sim, p, 'Pending', 'Running');
  R.patchStatus(p, patchRunning(p, p.startUs, sim.now, sim.factory.nodeIp));
  R.syncLoop('RECONCILE', 'api', [p]);
  yield rng.intIn(5, 80) * MS;
  observedStartup(sim, p, observed, firstPull, lastPull);
  p.running = true;
  p.ready = true;
}

function observedStartup(sim: Sim, p: PodRt, observedUs: number, firstPullUs: number, lastPullUs: number): void {
  const R = sim.R;
  if (R.ver < 126) return;
  const tz = sim.cfg.tz;
  const rng = sim.rng;
  const mono = (t: number, ns: number): number => (t - sim.processStartUs) * 1000 + ns + 1_200_000_000;
  const obsNs = rng.int(1000);
  const watchUs = sim.now;
  const watchNs = rng.int(1000);
  const created = { text: goTimeString(p.createdUs, 0, tz), json: epochMillisFromUs(p.createdUs) };
  const zero = { text: GO_ZERO_TIME, json: epochMillisGoZeroTime() };
  const observed = { text: goTimeString(observedUs, obsNs, tz, mono(observedUs, obsNs)), json: epochMillisFromUs(observedUs) };
  const watch = { text: goTimeString(watchUs, watchNs, tz, mono(watchUs, watchNs)), json: epochMillisFromUs(watchUs) };
  let first = zero;
  let last = zero;
  let pullNs = 0;
  if (firstPullUs >= 0 && lastPullUs >= 0) {
    const fNs = rng.int(1000);
    const lNs = rng.int(1000);
    first = { text: goTimeString(firstPullUs, fNs, tz, mono(firstPullUs, fNs)), json: epochMillisFromUs(firstPullUs) };
    last = { text: goTimeString(lastPullUs, lNs, tz, mono(lastPullUs, lNs)), json: epochMillisFromUs(lastPullUs) };
    pullNs = (lastPullUs - firstPullUs) * 1000 + lNs - fNs;
  }
  const slo = ((watchUs - p.createdUs) * 1000 + watchNs - pullNs) / 1e9;
  R.observedStartup(p, slo, created, first, last, observed, watch);
}

/** SyncLoop ADD of a static pod's mirror pod (another UID for the same namespace/name). */
function* mirrorAdd(sim: Sim, p: PodRt): Actor {
  const m = sim.factory.create({
    workload: null,
    kind: 'Mirror',
    ns: p.ns,
    name: p.name,
    uid: sim.rng.uuid(),
    static: false,
    containers: p.containers.map((c) => ({ name: c.name, image: c.image, port: 0, probe: null, probePath: '' })),
    extraVolumes: [],
    tokenVolume: false,
    qos: p.qos,
    hostNetwork: true,
    grace: p.grace,
    termSeconds: 0,
    ordinal: -1,
    startUs: sim.now,
    workloadKey: p.workloadKey,
  });
  m.book.truth.mirror = true;
  m.book.truth.mirrorOf = p.uid;
  m.book.truth.source = 'api';
  p.mirrorUid = m.uid;
  p.book.truth.mirrorUid = m.uid;
  sim.mirrors.push(m);
  const t = sim.R.syncLoop('ADD', 'api', [m]);
  if (t >= 0) m.book.truth.addedUs = t;
  yield 0;
}

/** One pod-worker sync of a running pod (no transition). */
export function syncOnce(sim: Sim, p: PodRt, oldPhase: string, phase: string): void {
  const R = sim.R;
  R.processing(p, 0);
  sim.syncEnter(p, R.syncPodEnter(p));
  R.generatingStatus(p, false);
  R.gotPhase(p, oldPhase, phase);
  R.waitingVolumes(p);
  R.allMounted(p);
  sim.syncExit(p, R.syncPodExit(p, false));
  R.processingDone(p, 0);
}

// ------------------------------------------------------------------ running

function probeOutput(sim: Sim, p: PodRt, c: ContainerRt): string {
  const rng = sim.rng;
  switch (c.probe) {
    case 'exec':
      return rng.chance(0.5)
        ? `NOT READY\ndependency check failed: redis-0.redis.data.svc.cluster.local:6379: i/o timeout\n`
        : `Traceback (most recent call last):\n  File "/app/ready.py", line 12, in <module>\n    raise SystemExit("backend not ready")\nSystemExit: backend not ready\n`;
    case 'tcp':
      return `dial tcp ${p.ip}:${c.port}: connect: connection refused`;
    default:
      return rng.chance(0.5) ? `Get "http://${p.ip}:${c.port}${c.probePath}": dial tcp ${p.ip}:${c.port}: connect: connection refused` : `HTTP probe failed with statuscode: 503`;
  }
}

function* runPod(sim: Sim, p: PodRt, endAt: number, crashAt0: number, probeC: ContainerRt | null): Actor {
  const rng = sim.rng;
  const R = sim.R;
  let crashAt = crashAt0;
  let nextSync = sim.now + rng.range(50, 70) * SEC;
  let nextProbe = probeC ? sim.now + rng.range(1, 10) * SEC : Number.POSITIVE_INFINITY;
  let failStreak = 0;
  // Readiness often fails once or twice while the app warms up.
  let failLeft = probeC && rng.chance(0.3) ? rng.intIn(1, 2) : 0;
  for (;;) {
    const next = Math.min(nextSync, nextProbe, endAt, crashAt);
    if (!Number.isFinite(next)) return;
    if (next > sim.now) yield next - sim.now;
    if (next === endAt) return;
    if (next === crashAt) {
      crashAt = Number.POSITIVE_INFINITY;
      yield* crashLoop(sim, p);
      nextSync = sim.now + rng.range(50, 70) * SEC;
      continue;
    }
    if (next === nextSync) {
      nextSync = sim.now + rng.range(55, 65) * SEC;
      if (sim.gateClosed || sim.down) continue;
      R.syncLoopSync([p]);
      syncOnce(sim, p, 'Running', 'Running');
      continue;
    }
    // probe (a probe worker ticks every 10 s; ticks missed while the kubelet was down are skipped)
    nextProbe += 10 * SEC;
    while (nextProbe <= sim.now) nextProbe += 10 * SEC;
    if (!probeC || sim.gateClosed || sim.down) continue;
    if (p.probeFlaky && failLeft === 0 && rng.chance(0.05)) failLeft = rng.intIn(1, 6);
    if (failLeft > 0) {
      failLeft--;
      failStreak++;
      const out = probeOutput(sim, p, probeC);
      const t = R.probeFailed(p, probeC, 'Readiness', out);
      R.event(p, probeC, 'Warning', 'Unhealthy', `Readiness probe failed: ${out}`);
      if (failStreak === 1 && p.probeFlaky) p.book.anomaly('probe-failure', t >= 0 ? t : sim.lastRecordUs, 'readiness');
      if (failStreak === 3 && p.ready) {
        p.ready = false;
        R.syncLoopProbe(p, 'readiness', 'not ready');
        syncOnce(sim, p, 'Running', 'Running');
        R.patchStatus(p, patchNotReady(p, sim.now));
      }
    } else {
      failStreak = 0;
      R.probeSucceeded(p, probeC, 'Readiness');
      if (!p.ready) {
        p.ready = true;
        R.syncLoopProbe(p, 'readiness', 'ready');
        syncOnce(sim, p, 'Running', 'Running');
        R.patchStatus(p, patchRunning(p, p.startUs, sim.now, sim.factory.nodeIp));
      }
    }
  }
}

/** The main container crashes and goes through CrashLoopBackOff a few times. */
function* crashLoop(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const c = p.containers[0] as ContainerRt;
  const rounds = rng.intIn(2, 4);
  let backoff = 10;
  for (let k = 0; k < rounds; k++) {
    yield* sim.enter();
    c.exitCode = rng.chance(0.7) ? 1 : 2;
    c.finishedUs = sim.now;
    R.genericPleg(p, c.id, 'running', 'exited');
    R.containerFinished(p, c);
    R.plegEvent(p, 'ContainerDied', c.id);
    yield rng.intIn(5, 60) * MS;
    R.processing(p, 0);
    sim.syncEnter(p, R.syncPodEnter(p));
    R.generatingStatus(p, false);
    R.gotPhase(p, 'Running', 'Running');
    R.waitingVolumes(p);
    R.allMounted(p);
    const dur = goDuration(backoff * 1e9);
    R.backOffRestart(p, c, dur);
    R.event(p, c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${p.fr.desc}`);
    sim.syncExit(p, R.syncPodExit(p, false));
    const tE = R.syncError(p, `failed to "StartContainer" for "${c.name}" with CrashLoopBackOff: "back-off ${dur} restarting failed container=${c.name} pod=${p.fr.desc}"`);
    p.book.anomaly('crashloop', tE, `back-off ${dur}`);
    R.processingDone(p, 0);
    R.patchStatus(p, patchNotReady(p, sim.now));
    sim.leave();
    yield (backoff + rng.range(0, 2)) * SEC;
    yield* sim.enter();
    c.restarts++;
    c.id = rng.hex(64);
    c.idFull = `${R.rt}://${c.id}`;
    c.exitCode = 0;
    R.processing(p, 0);
    sim.syncEnter(p, R.syncPodEnter(p));
    R.generatingStatus(p, false);
    R.gotPhase(p, 'Running', 'Running');
    R.waitingVolumes(p);
    R.allMounted(p);
    R.event(p, c, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
    R.creatingContainer(p, c);
    yield rng.intIn(30, 200) * MS;
    R.event(p, c, 'Normal', 'Created', `Created container ${c.name}`);
    c.startedUs = sim.now;
    R.event(p, c, 'Normal', 'Started', `Started container ${c.name}`);
    sim.syncExit(p, R.syncPodExit(p, false));
    R.processingDone(p, 0);
    yield rng.intIn(100, 1000) * MS;
    R.genericPleg(p, c.id, 'non-existent', 'running');
    R.plegEvent(p, 'ContainerStarted', c.id);
    syncOnce(sim, p, 'Running', 'Running');
    R.patchStatus(p, patchRunning(p, p.startUs, sim.now, sim.factory.nodeIp));
    sim.leave();
    if (k < rounds - 1) yield rng.range(3, 20) * SEC;
    backoff = Math.min(backoff * 2, 300);
  }
}

// ------------------------------------------------------------------ teardown

interface TermPlan {
  grace: number;
  /** Graceful deletion from the API (gracePeriodOverride set → `… grace period override` lines). */
  override: boolean;
  /** No container is running any more (natural completion). */
  nothingRunning: boolean;
  killFail: boolean;
  ignoreSigterm: boolean;
  stuck: boolean;
}

function killErr(sim: Sim, c: ContainerRt, kind: 'timeout' | 'gone'): string {
  if (sim.R.rt === 'docker') {
    return kind === 'gone'
      ? `rpc error: code = Unknown desc = Error response from daemon: No such container: ${c.id}`
      : `rpc error: code = Unknown desc = Error response from daemon: cannot stop container: ${c.id}: tried to kill container, but did not receive an exit event`;
  }
  return kind === 'gone' ? `rpc error: code = NotFound desc = an error occurred when try to find container "${c.id}": not found` : `rpc error: code = DeadlineExceeded desc = context deadline exceeded`;
}

/**
 * SyncTerminatingPod until it succeeds. Returns false when the pod got stuck (never finishes).
 * The caller has already logged the events that lead here and holds `sim.enter()`.
 */
function* terminating(sim: Sim, p: PodRt, plan: TermPlan): Generator<number, boolean, void> {
  const R = sim.R;
  const rng = sim.rng;
  let attempt = 0;
  let stopped = plan.nothingRunning;
  for (;;) {
    attempt++;
    const tEnter = R.termEnter(p);
    sim.termEnter(p, tEnter);
    R.generatingStatus(p, plan.nothingRunning);
    R.gotPhase(p, plan.nothingRunning ? 'Succeeded' : 'Running', plan.nothingRunning ? 'Succeeded' : 'Running');
    R.graceLine(p, plan.grace);
    if (!stopped) {
      let tKill = -1;
      for (const c of p.containers) {
        if (plan.override) R.killingOverride(p, c, plan.grace);
        const tk = R.killingGrace(p, c, plan.grace);
        if (tKill < 0) tKill = tk;
        if (attempt === 1) R.event(p, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
      }
      const tShow = tEnter >= 0 ? tEnter : tKill;
      if (attempt === 1 && R.ver <= 123) R.patchStatus(p, patchNotReady(p, sim.now));
      if (plan.stuck) {
        p.book.anomaly('stuck-terminating', tShow, 'container runtime never returns from StopContainer');
        return false;
      }
      if (attempt > 1) {
        yield rng.intIn(20, 300) * MS;
      } else if (plan.ignoreSigterm) {
        yield plan.grace * SEC + rng.intIn(5, 200) * MS;
        for (const c of p.containers) c.exitCode = c === p.containers[0] ? 137 : 0;
        p.book.anomaly('grace-period-exhausted', tShow, `gracePeriod=${plan.grace}`);
      } else {
        yield Math.max(5 * MS, Math.min(p.termSeconds, plan.grace) * SEC + rng.intIn(0, 50) * MS);
        for (const c of p.containers) c.exitCode = 0;
      }
      if (plan.killFail) {
        const c = p.containers[0] as ContainerRt;
        const err = killErr(sim, c, 'timeout');
        R.termFailed(p, c, plan.grace, err);
        const tKF = R.killFailed(p, c, err);
        sim.termExit(p, R.termExit(p), false);
        const tErr = R.syncError(p, `failed to "KillContainer" for "${c.name}" with KillContainerError: "${err}"`);
        p.book.anomaly('kill-failed', tKF >= 0 ? tKF : tErr);
        R.processingDone(p, 1);
        yield rng.intIn(800, 2500) * MS;
        R.processing(p, 1);
        plan.killFail = false;
        continue;
      }
      const slice = PodFactory.cgroupSlice(p);
      for (const c of p.containers) {
        c.finishedUs = sim.now;
        c.finishedNs = rng.int(1000);
        R.cadvisorDestroyed(p, slice, c.id, c.name);
        R.exitedNormally(p, c);
      }
      if (!p.hostNetwork) R.networkTearDown(p, rng.intIn(2000, 60000));
      R.cadvisorDestroyed(p, slice, p.sandboxId, 'POD');
      stopped = true;
    }
    R.postTermState(p, finishedAt);
    R.stoppedAll(p);
    sim.termExit(p, R.termExit(p), true);
    R.terminatedAll(p);
    R.processingDone(p, 1);
    R.processing(p, 2);
    return true;
  }
}

/** PLEG sees the dead containers, then SyncTerminatedPod unmounts volumes and removes cgroups. */
function* terminated(sim: Sim, p: PodRt, finalPhase: string, containersDied: boolean): Actor {
  const R = sim.R;
  const rng = sim.rng;
  yield rng.intIn(50, 1000) * MS; // PLEG relist
  if (containersDied) {
    for (const c of p.containers) {
      R.genericPleg(p, c.id, 'running', 'exited');
      R.containerFinished(p, c);
      R.plegEvent(p, 'ContainerDied', c.id);
    }
  }
  R.genericPleg(p, p.sandboxId, 'running', 'exited');
  sim.v2Terminated(p, R.plegEvent(p, 'ContainerDied', p.sandboxId));
  sim.termdEnter(p, R.termdEnter(p));
  R.generatingStatus(p, true);
  R.gotPhase(p, finalPhase === 'Succeeded' ? 'Succeeded' : 'Running', finalPhase);
  R.waitingUnmount(p);
  sim.refRelease(p);
  for (const v of p.volumes) R.removeFromDesired(p, v);
  yield rng.intIn(20, 100) * MS;
  yield* unmountVolumes(sim, p);
  R.allUnmounted(p);
  R.unmountedVolumes(p);
  R.cleanedVolumePaths(p);
  R.removedCgroups(p);
  R.noMoreStatus(p);
  sim.termdExit(p, R.termdExit(p));
  sim.workerDone(p, R.completeWorkerStop(p));
  R.processingDone(p, 2);
}

/** 1.20 (old pod worker): graceful deletion as printf lines, no terminating/terminated markers. */
function* deleteLegacy(sim: Sim, p: PodRt, plan: TermPlan): Actor {
  const R = sim.R;
  const rng = sim.rng;
  R.generatingStatus(p, false);
  let tKill = -1;
  for (const c of p.containers) {
    R.killingOverride(p, c, plan.grace);
    const tk = R.killingGrace(p, c, plan.grace);
    if (tKill < 0) tKill = tk;
    R.event(p, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
  }
  R.patchStatus(p, patchNotReady(p, sim.now));
  if (plan.stuck) {
    p.book.anomaly('stuck-terminating', tKill, 'container runtime never returns from StopContainer');
    return;
  }
  if (plan.ignoreSigterm) {
    yield plan.grace * SEC + rng.intIn(5, 200) * MS;
    (p.containers[0] as ContainerRt).exitCode = 137;
    p.book.anomaly('grace-period-exhausted', tKill, `gracePeriod=${plan.grace}`);
  } else yield Math.max(5 * MS, Math.min(p.termSeconds, plan.grace) * SEC + rng.intIn(0, 50) * MS);
  if (plan.killFail) {
    const c = p.containers[0] as ContainerRt;
    const err = killErr(sim, c, 'timeout');
    R.termFailed(p, c, plan.grace, err);
    const tKF = R.killFailed(p, c, err);
    R.syncError(p, `failed to "KillContainer" for "${c.name}" with KillContainerError: "${err}"`);
    p.book.anomaly('kill-failed', tKF);
    yield rng.intIn(800, 2500) * MS;
    R.generatingStatus(p, false);
  }
  if (!p.hostNetwork) R.networkTearDown(p, rng.intIn(2000, 60000));
  const slice = PodFactory.cgroupSlice(p);
  for (const c of p.containers) {
    c.finishedUs = sim.now;
    R.cadvisorDestroyed(p, slice, c.id, c.name);
    R.exitedNormally(p, c);
  }
  R.cadvisorDestroyed(p, slice, p.sandboxId, 'POD');
  yield rng.intIn(50, 1000) * MS; // PLEG relist
  for (const c of p.containers) {
    R.genericPleg(p, c.id, 'running', 'exited');
    R.plegEvent(p, 'ContainerDied', c.id);
  }
  R.genericPleg(p, p.sandboxId, 'running', 'exited');
  sim.v2Terminated(p, R.plegEvent(p, 'ContainerDied', p.sandboxId));
  if (rng.chance(0.5)) R.containerNotFound(p.sandboxId);
  for (const c of p.containers) R.removeContainer(c.id);
  R.patchStatus(p, patchTerminated(p, sim.now, 'Running'));
  yield rng.intIn(20, 200) * MS;
  sim.refRelease(p);
  for (const v of p.volumes) R.unmountStarted(p, v);
  yield rng.intIn(3, 40) * MS;
  for (const v of p.volumes) R.teardownSucceeded(p, v);
  yield rng.intIn(60, 110) * MS;
  let tDet = -1;
  for (const v of p.volumes) tDet = R.volumeDetached(p, v);
  sim.v2TerminatedEnd(p, tDet);
  sim.workerDone(p, -1);
}

function teardownPlan(sim: Sim, p: PodRt): TermPlan {
  const rng = sim.rng;
  const w = p.workload;
  const a = sim.cfg.anomalies;
  let stuck = false;
  if (sim.stuckRemaining > 0 && sim.restartsRemaining === 0 && p.kind === 'Deployment' && sim.progress() >= 0.6 && !sim.stopping) {
    stuck = true;
    sim.stuckRemaining--;
  }
  return {
    grace: p.grace,
    override: true,
    nothingRunning: false,
    killFail: !stuck && rng.chance(anomalyRate(w?.killFailure, a.killFailure)),
    ignoreSigterm: !stuck && rng.chance(anomalyRate(w?.ignoreSigterm, a.graceExhausted)),
    stuck,
  };
}

/** Graceful deletion through the API (Deployment scale-down/rollout, StatefulSet pod deletion). */
function* deletePod(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  yield* sim.enter();
  const plan = teardownPlan(sim, p);
  const tDel = R.syncLoop('DELETE', 'api', [p]);
  sim.deleted(p, tDel);
  sim.v2Terminating(p, tDel);
  p.running = false;
  if (R.legacy) {
    yield* deleteLegacy(sim, p, plan);
    if (plan.stuck) {
      sim.leave();
      sim.inflight--;
      return;
    }
  } else {
    R.gracefulDeletion(p);
    R.processing(p, 1);
    R.observedTerminate(p);
    const ok = yield* terminating(sim, p, plan);
    if (!ok) {
      sim.leave();
      sim.inflight--;
      return;
    }
    yield* terminated(sim, p, 'Running', true);
    for (const c of p.containers) R.removeContainer(c.id);
    R.patchStatus(p, patchTerminated(p, sim.now, 'Running'));
    R.syncLoop('RECONCILE', 'api', [p]);
  }
  yield rng.intIn(20, 400) * MS;
  R.syncLoop('DELETE', 'api', [p]);
  R.finishedProcessing(p, 'update');
  R.fullyTerminated(p);
  yield rng.intIn(5, 150) * MS;
  sim.removed(p, R.syncLoop('REMOVE', 'api', [p]));
  R.deletedMustBeKilled(p);
  R.finishedProcessing(p, 'kill');
  sim.leave();
  yield* afterRemove(sim, p);
}

/** Housekeeping after SyncLoop REMOVE; sometimes a second teardown of the same UID. */
function* afterRemove(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  if (!R.legacy && !sim.stopping && rng.chance(sim.cfg.anomalies.doubleTeardown)) {
    yield rng.intIn(1, 40) * MS;
    yield* sim.enter();
    yield* secondTeardown(sim, p);
    sim.leave();
  }
  // StatefulSet controller re-creates the pod under the same name.
  const w = p.workload;
  if (p.kind === 'StatefulSet' && w) {
    if (!sim.stopping) {
      sim.spawn(recreateStatefulPod(sim, w, p), rng.intIn(300, 3000) * MS);
    } else w.ordinals.delete(p.ordinal);
  }
  yield rng.intIn(500, 2500) * MS;
  R.removeHistory(p);
  R.plegDeleteStatus(p);
  yield rng.intIn(300, 2000) * MS;
  R.cleanedOrphanDir(p);
}

/** Like the design-notes trace: after REMOVE the UID is torn down again and the kill fails. */
function* secondTeardown(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const c = p.containers[0] as ContainerRt;
  R.doesNotExist(p);
  R.firstSync(p, 'kill');
  R.orphaned(p);
  R.processing(p, 1);
  R.observedTerminate(p);
  const tEnter = R.termEnter(p);
  sim.termEnter(p, tEnter);
  R.graceLine(p, 1);
  R.killingOverride(p, c, 1);
  const tK = R.killingGrace(p, c, 1);
  sim.v2Terminating(p, tK);
  p.book.anomaly('double-teardown', tEnter >= 0 ? tEnter : tK);
  R.event(p, c, 'Normal', 'Killing', `Stopping container ${c.name}`);
  const err = killErr(sim, c, 'gone');
  R.termFailed(p, c, 1, err);
  const tKF = R.killFailed(p, c, err);
  p.book.anomaly('kill-failed', tKF);
  sim.termExit(p, R.termExit(p), false);
  // the kill failed and the worker retries: the teardown is still going on at every verbosity
  R.syncError(p, `failed to "KillContainer" for "${c.name}" with KillContainerError: "${err}"`);
  R.processingDone(p, 1);
  yield rng.intIn(800, 2000) * MS;
  R.processing(p, 1);
  sim.termEnter(p, R.termEnter(p));
  R.graceLine(p, 1);
  R.postTermState(p, finishedAt);
  R.stoppedAll(p);
  sim.termExit(p, R.termExit(p), true);
  R.terminatedAll(p);
  R.processingDone(p, 1);
  R.processing(p, 2);
  sim.termdEnter(p, R.termdEnter(p));
  R.generatingStatus(p, true);
  R.gotPhase(p, 'Running', 'Running');
  R.waitingUnmount(p);
  R.allUnmounted(p);
  R.unmountedVolumes(p);
  R.removedCgroups(p);
  R.noMoreStatus(p);
  sim.termdExit(p, R.termdExit(p));
  const tDone = R.completeWorkerStop(p);
  if (sim.v4 && tDone >= 0) p.book.truth.finishedUs = tDone;
  R.processingDone(p, 2);
}

/** Unmount started → TearDown succeeded → Volume detached for every volume; the last detach ends terminated (v2). */
function* unmountVolumes(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  for (const v of p.volumes) R.unmountStarted(p, v);
  yield sim.rng.intIn(3, 40) * MS;
  for (const v of p.volumes) R.teardownSucceeded(p, v);
  yield sim.rng.intIn(60, 110) * MS;
  let tDet = -1;
  for (const v of p.volumes) tDet = R.volumeDetached(p, v);
  sim.v2TerminatedEnd(p, tDet);
}

function* recreateStatefulPod(sim: Sim, w: NonNullable<PodRt['workload']>, old: PodRt): Actor {
  if (sim.stopping) {
    w.ordinals.delete(old.ordinal);
    return;
  }
  const p = sim.factory.createForWorkload(w, old.name, old.ordinal, sim.rng, sim.now);
  sim.created++;
  sim.inflight++;
  yield* podLifecycle(sim, p, { addEmitted: false, lifetimeUs: Math.max(60, sim.rng.exp(w.meanLifetimeSeconds)) * SEC, reusesUid: old.uid });
}

/** A Job pod's container exits 0: the pod completes naturally, is torn down, and later deleted by TTL. */
function* completePod(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  yield* sim.enter();
  const c0 = p.containers[0] as ContainerRt;
  for (const c of p.containers) {
    c.exitCode = 0;
    c.finishedUs = sim.now;
    c.finishedNs = rng.int(1000);
  }
  R.genericPleg(p, c0.id, 'running', 'exited');
  R.containerFinished(p, c0);
  const tDied = R.plegEvent(p, 'ContainerDied', c0.id);
  sim.v2Terminating(p, tDied);
  p.running = false;
  p.completed = true;
  if (R.legacy) {
    R.generatingStatus(p, false);
    R.patchStatus(p, patchTerminated(p, sim.now, 'Succeeded'));
    yield rng.intIn(50, 800) * MS;
    R.cadvisorDestroyed(p, PodFactory.cgroupSlice(p), p.sandboxId, 'POD');
    R.genericPleg(p, p.sandboxId, 'running', 'exited');
    sim.v2Terminated(p, R.plegEvent(p, 'ContainerDied', p.sandboxId));
    R.removeContainer(c0.id);
    sim.refRelease(p);
    yield rng.intIn(20, 200) * MS;
    yield* unmountVolumes(sim, p);
    sim.workerDone(p, -1);
  } else {
    yield rng.intIn(2, 50) * MS;
    R.processing(p, 0);
    sim.syncEnter(p, R.syncPodEnter(p));
    R.generatingStatus(p, false);
    R.gotPhase(p, 'Running', 'Succeeded');
    sim.syncExit(p, R.syncPodExit(p, true));
    R.podIsTerminal(p, 0);
    R.lifecycleCompleted(p);
    R.processingDone(p, 0);
    R.patchStatus(p, patchTerminated(p, sim.now, 'Succeeded'));
    R.processing(p, 1);
    yield* terminating(sim, p, { grace: p.grace, override: false, nothingRunning: true, killFail: false, ignoreSigterm: false, stuck: false });
    yield* terminated(sim, p, 'Succeeded', false);
  }
  sim.leave();
  // The TTL / CronJob history controller deletes the finished Job pod later.
  yield (rng.chance(0.85) ? rng.range(30, 600) : rng.range(3600, 6 * 3600)) * SEC;
  if (sim.gateClosed) {
    while (sim.gateClosed) yield 500 * MS;
  }
  sim.deleted(p, R.syncLoop('DELETE', 'api', [p]));
  R.finishedProcessing(p, 'update');
  R.fullyTerminated(p);
  yield rng.intIn(5, 150) * MS;
  sim.removed(p, R.syncLoop('REMOVE', 'api', [p]));
  R.deletedMustBeKilled(p);
  R.finishedProcessing(p, 'kill');
  yield rng.intIn(500, 2500) * MS;
  R.removeHistory(p);
  R.removeContainer(c0.id);
  R.plegDeleteStatus(p);
  yield rng.intIn(300, 2000) * MS;
  R.cleanedOrphanDir(p);
}

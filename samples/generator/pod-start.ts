// A pod's admission and start (kubelet-log-formats.md §4.14 "Pod start"): ADD → admit (or reject)
// → SyncPod: volumes → sandbox → init containers → images → containers → PLEG → running → ready,
// with the start-up incidents (image pull failure, mount failure, sandbox failure, network not
// ready) and slow steps. Every step's true start/end goes to the truth (PodTruth.startup).

import type { Actor, Sim } from './sim.js';
import { MS, SEC } from './sim.js';
import type { ContainerRt, PodRt, VolumeRt } from './model.js';
import type { StepTruth } from './types.js';
import { PodFactory, patchNotReady, patchRejected, patchRunning, patchWaiting } from './workloads.js';
import { GO_ZERO_TIME, epochMillisFromUs, epochMillisGoZeroTime, goDuration, goTimeString } from './timefmt.js';
import { syncBegin, syncExit } from './worker.js';
import { terminatedQuick } from './pod-stop.js';

export interface Reject {
  reason: 'TopologyAffinityError' | 'OutOfcpu' | 'NodeAffinity';
  message: string;
}

export interface StartPlan {
  reject: Reject | null;
  /** Container whose image cannot be pulled for a while; `recovers`: the pull works in the end (else the pod is deleted in back-off). */
  pullFail: { c: ContainerRt; rounds: number; recovers: boolean } | null;
  slowPull: ContainerRt | null;
  /** A volume whose mount fails until a wait times out once. */
  mountFail: VolumeRt | null;
  slowMount: VolumeRt | null;
  sandboxFail: boolean;
  /** Seconds the readiness probe keeps failing after the start (0: ready at once). */
  slowReadyS: number;
}

/** What startPod ended in. */
export type StartResult = 'running' | 'rejected' | 'given-up';

const NETWORK_NOT_READY = 'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

function imageErr(R: Sim['R'], image: string): string {
  return R.rt === 'docker'
    ? `rpc error: code = Unknown desc = Error response from daemon: manifest for ${image} not found: manifest unknown: manifest unknown`
    : `rpc error: code = NotFound desc = failed to pull and unpack image "${image}": failed to resolve reference "${image}": ${image}: not found`;
}

/** ADD (unless a batch ADD already listed the pod), admission, and the first start of the pod. */
export function* startPod(sim: Sim, p: PodRt, addEmitted: boolean, plan: StartPlan): Generator<number, StartResult, void> {
  const R = sim.R;
  if (!addEmitted) {
    R.receivingNewPod(p);
    sim.added(p, R.syncLoop('ADD', p.source, [p]));
  }
  p.startUs = sim.now;
  if (plan.reject) {
    rejectPod(sim, p, plan.reject);
    return 'rejected';
  }
  const tAdmit = sim.at(() => R.topologyAdmit(p));
  p.book.step(false, 'admitted', tAdmit, tAdmit);
  R.firstSync(p, 'create');
  syncBegin(sim, p, 'Pending', 'Pending', false);
  if (p.static && p.mirrorUid === null) {
    R.creatingMirror(p);
    sim.spawn(mirrorAdd(sim, p), sim.rng.intIn(30, 400) * MS);
  }
  yield* waitForNetwork(sim, p);
  yield* mountVolumes(sim, p, plan);
  yield* createSandbox(sim, p, plan);
  for (const c of p.initContainers) yield* runInit(sim, p, c, plan);
  const pulls: Pulls = { first: -1, last: -1 };
  for (const c of p.containers) {
    const pulled = yield* pullImage(sim, p, c, plan, pulls);
    if (!pulled) return 'given-up';
    yield* startContainer(sim, p, c);
  }
  syncExit(sim, p);
  R.patchStatus(p, patchNotReady(p, sim.now));
  yield sim.rng.intIn(100, 1000) * MS; // PLEG relist
  R.genericPleg(p, p.sandboxId, 'non-existent', 'running');
  for (const c of p.containers) R.genericPleg(p, c.id, 'non-existent', 'running');
  R.plegEvent(p, 'ContainerStarted', p.sandboxId);
  let observed = sim.now;
  for (const c of p.containers) observed = R.plegEvent(p, 'ContainerStarted', c.id);
  if (observed < 0) observed = sim.now;
  yield sim.rng.intIn(1, 10) * MS;
  syncOnce(sim, p, 'Pending', 'Running');
  p.running = true;
  if (plan.slowReadyS > 0) {
    p.ready = false;
    p.readyAt = sim.now + plan.slowReadyS * SEC;
    R.patchStatus(p, patchNotReady(p, sim.now));
  } else {
    markReady(sim, p);
  }
  R.syncLoop('RECONCILE', 'api', [p]);
  yield sim.rng.intIn(5, 80) * MS;
  observedStartup(sim, p, observed, pulls.first, pulls.last);
  return 'running';
}

/** The pod became Ready: the status manager patches it (the `ready` startup step). */
export function markReady(sim: Sim, p: PodRt): void {
  p.ready = true;
  p.readyAt = 0;
  const t = sim.at(() => sim.R.patchStatus(p, patchRunning(p, p.startUs, sim.now, sim.factory.nodeIp)));
  if (!p.book.truth.startup.some((s) => s.step === 'ready')) p.book.step(false, 'ready', t, t);
}

/** One pod-worker sync of a running pod (no transition). */
export function syncOnce(sim: Sim, p: PodRt, oldPhase: string, phase: string): void {
  syncBegin(sim, p, oldPhase, phase);
  syncExit(sim, p);
}

// ------------------------------------------------------------------ admission reject

/**
 * The kubelet rejects the pod at admission (samples/real 12): no worker, no containers; an event
 * and a Failed status. Its controller may delete it later (then a terminated phase, see quickTerminated).
 */
function rejectPod(sim: Sim, p: PodRt, r: Reject): void {
  const R = sim.R;
  const inc = p.book.incident('admission-rejected', sim.now, { reason: r.reason, detail: r.message });
  if (r.reason === 'TopologyAffinityError') {
    // before 1.28 the line has no keys: it does not say which pod it admits
    const t = R.topologyAdmit(p);
    if (R.minor >= 28) inc.ev(t);
  }
  else inc.ev(R.predicateFailed(p, r.message, r.reason.startsWith('OutOf')));
  inc.ev(R.admissionDenied(p, r.reason, r.message));
  inc.ev(R.event(p, null, 'Warning', r.reason, r.message));
  inc.ev(R.patchStatus(p, patchRejected(p, sim.now, r.reason, r.message)));
  p.state = 'rejected';
  p.terminal = true;
}

/**
 * A worker meets a pod that is already terminal and not running (a rejected pod its controller
 * deletes, a finished pod after a kubelet restart): it goes straight to SyncTerminatedPod
 * (samples/real 12: `Notifying pod of pending update` workType=terminated). ≤1.21 has no worker for it.
 */
export function quickTerminated(sim: Sim, p: PodRt, updateType: 'update' | 'create', oldPhase: string, phase: string): void {
  const R = sim.R;
  if (!R.newWorker) return;
  R.firstSync(p, updateType);
  R.notifyPending(p, 2);
  terminatedQuick(sim, p, oldPhase, phase);
}

// ------------------------------------------------------------------ steps

/** While the container network is not ready, a non-host-network pod's sync fails and is retried. */
function* waitForNetwork(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  while (!sim.networkReady && !p.hostNetwork) {
    const ev = sim.networkEvent;
    ev?.ev(R.event(p, null, 'Warning', 'NetworkNotReady', `network is not ready: ${NETWORK_NOT_READY}`));
    syncExit(sim, p);
    const t = R.syncError(p, `network is not ready: ${NETWORK_NOT_READY}`);
    ev?.ev(t);
    yield sim.rng.intIn(2000, 10000) * MS;
    syncBegin(sim, p, 'Pending', 'Pending', false);
  }
}

/** nestedpendingoperations back-off: 500ms, 1s, 2s, … capped at 2m2s. */
function backoffAfter(n: number): number {
  return Math.min(500 * 2 ** n, 122_000);
}

function retryAt(sim: Sim, delayMs: number): string {
  const t = sim.now + delayMs * MS;
  return goTimeString(t, sim.rng.int(1000), sim.cfg.tz, (t - sim.processStartUs) * 1000 + 1_200_000_000);
}

/** Waiting for volumes → verify/mount/set up each → all mounted. */
function* mountVolumes(sim: Sim, p: PodRt, plan: StartPlan): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const tWait = sim.at(() => R.waitingVolumes(p));
  const step = p.book.step(false, 'volumes-mounted', tWait, null);
  sim.refAcquire(p);
  yield rng.intIn(2, 40) * MS;
  for (const v of p.volumes) R.verifyAttached(p, v);
  yield rng.intIn(90, 110) * MS;
  for (const v of p.volumes) R.mountStarted(p, v);
  yield rng.intIn(1, 15) * MS;
  const failing = plan.mountFail;
  const slow = plan.slowMount;
  for (const v of p.volumes) if (v !== failing && v !== slow) R.setupSucceeded(p, v);
  if (slow) {
    yield rng.intIn(10_000, 60_000) * MS;
    R.setupSucceeded(p, slow);
  }
  if (failing) {
    yield* mountFailure(sim, p, failing, step);
    R.setupSucceeded(p, failing);
  }
  yield rng.intIn(40, 260) * MS;
  step.endUs = sim.at(() => R.allMounted(p));
}

/**
 * A volume's SetUp fails (the configmap/secret it needs is missing) with the operation executor's
 * back-off until `Unable to attach or mount volumes` times out the sync (2m03s); the object
 * appears soon after and the next sync mounts it.
 */
function* mountFailure(sim: Sim, p: PodRt, v: VolumeRt, step: StepTruth): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const obj = v.ref ? `${v.ref.kind === 'Secret' ? 'secret' : 'configmap'} "${v.ref.name}"` : `configmap "${v.name}"`;
  const err = `${obj} not found`;
  const inc = p.book.incident('mount-failed', sim.now, { detail: `volume ${v.name}: ${err}` });
  const deadline = sim.now + 123 * SEC;
  let n = 0;
  while (sim.now < deadline) {
    const wait = backoffAfter(n);
    inc.ev(R.volumeOpFailed(p, v, 'MountVolume.SetUp', retryAt(sim, wait), goDuration(wait * 1e6), err));
    inc.ev(R.event(p, null, 'Warning', 'FailedMount', `MountVolume.SetUp failed for volume "${v.name}" : ${err}`));
    n++;
    yield Math.min(wait * MS, Math.max(1, deadline - sim.now));
  }
  const others = p.volumes.filter((x) => x !== v).map((x) => x.name);
  const timeout = sim.R.minor >= 28 ? 'context deadline exceeded' : 'timed out waiting for the condition';
  const e = `unmounted volumes=[${v.name}], unattached volumes=[${[v.name, ...others].sort().join(' ')}]: ${timeout}`;
  inc.ev(R.unableToMount(p, e));
  inc.ev(R.event(p, null, 'Warning', 'FailedMount', `Unable to attach or mount volumes: ${e}`));
  syncExit(sim, p);
  inc.ev(R.syncError(p, e));
  step.attempts = 2;
  yield rng.intIn(1000, 5000) * MS;
  syncBegin(sim, p, 'Pending', 'Pending', false);
  R.waitingVolumes(p);
  yield rng.intIn(300, 1500) * MS;
}

function* createSandbox(sim: Sim, p: PodRt, plan: StartPlan): Generator<number, StepTruth, void> {
  const R = sim.R;
  const rng = sim.rng;
  R.noSandbox(p);
  R.receivedNewPod(p);
  const t0 = sim.at(() => R.creatingSandbox(p));
  const step = p.book.step(false, 'sandbox-created', t0, null, { attempts: 1 });
  if (plan.sandboxFail) {
    yield rng.intIn(200, 3000) * MS;
    const err = `rpc error: code = Unknown desc = failed to setup network for sandbox "${rng.hex(64)}": plugin type="calico" failed (add): error getting ClusterInformation: connection is unauthorized: Unauthorized`;
    const inc = p.book.incident('sandbox-failed', sim.now, { detail: err });
    inc.ev(R.sandboxFailed(p, err));
    inc.ev(R.event(p, null, 'Warning', 'FailedCreatePodSandBox', `Failed to create pod sandbox: ${err}`));
    syncExit(sim, p);
    inc.ev(R.syncError(p, `failed to "CreatePodSandbox" for "${p.fr.desc}" with CreatePodSandboxError: "Failed to create sandbox for pod \\"${p.fr.desc}\\": ${err}"`));
    yield rng.intIn(1000, 15000) * MS;
    syncBegin(sim, p, 'Pending', 'Pending');
    R.noSandbox(p);
    R.creatingSandbox(p);
    step.attempts = 2;
  }
  R.networkSetUp(p);
  yield rng.intIn(150, 1200) * MS;
  if (rng.chance(0.3)) sim.N.cadvisorWatchEvent(PodFactory.cgroupSlice(p), p.sandboxId);
  step.endUs = sim.at(() => R.createdSandbox(p));
  R.determinedIP(p);
  return step;
}

interface Pulls {
  first: number;
  last: number;
}

/**
 * `Pulling`/`Pulled` (or `already present`) for one container; an image that cannot be pulled goes
 * through ErrImagePull and ImagePullBackOff (samples/real 17). False when the pod was given up
 * (deleted while in back-off).
 */
function* pullImage(sim: Sim, p: PodRt, c: ContainerRt, plan: StartPlan, pulls: Pulls): Generator<number, boolean, void> {
  const R = sim.R;
  const rng = sim.rng;
  const fail = plan.pullFail?.c === c ? plan.pullFail : null;
  const slow = plan.slowPull === c;
  if (!fail && !slow && !rng.chance(0.25)) {
    const t = sim.at(() => R.event(p, c, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`));
    p.book.step(false, 'image-pulled', t, t, { container: c.name, pulled: false });
    return true;
  }
  const t0 = sim.at(() => R.event(p, c, 'Normal', 'Pulling', `Pulling image "${c.image}"`));
  if (pulls.first < 0) pulls.first = t0;
  const step = p.book.step(false, 'image-pulled', t0, null, { container: c.name, pulled: true, attempts: 1 });
  if (fail) {
    const ok = yield* pullFailure(sim, p, c, fail, step);
    if (!ok) return false;
  }
  const pullMs = slow ? rng.intIn(20_000, 90_000) : rng.intIn(800, 12000);
  yield pullMs * MS;
  pulls.last = sim.now;
  const ns = pullMs * 1_000_000 + rng.int(1_000_000);
  step.endUs = sim.at(() => R.event(p, c, 'Normal', 'Pulled', R.pulledMessage(c.image, ns, ns + rng.int(50_000_000), rng.intIn(5_000_000, 400_000_000))));
  return true;
}

function* pullFailure(sim: Sim, p: PodRt, c: ContainerRt, fail: NonNullable<StartPlan['pullFail']>, step: StepTruth): Generator<number, boolean, void> {
  const R = sim.R;
  const rng = sim.rng;
  const inc = p.book.incident('image-pull-failed', sim.now, { container: c.name, detail: c.image });
  let backoff = 10;
  for (let round = 0; round < fail.rounds; round++) {
    yield rng.intIn(300, 4000) * MS;
    const err = imageErr(R, c.image);
    inc.ev(R.event(p, c, 'Warning', 'Failed', `Failed to pull image "${c.image}": ${err}`));
    inc.ev(R.event(p, c, 'Warning', 'Failed', 'Error: ErrImagePull'));
    inc.ev(R.containerStartFailed(p, c, err, 'ErrImagePull'));
    syncExit(sim, p);
    inc.ev(R.syncError(p, R.errImagePullErr(c.name, err)));
    R.patchStatus(p, patchWaiting(p, c, 'ErrImagePull', err));
    // back-off: every sync (about every 10-15 s) until it expires reports ImagePullBackOff
    const until = sim.now + backoff * SEC;
    while (sim.now < until) {
      yield rng.intIn(9000, 16000) * MS;
      syncBegin(sim, p, 'Pending', 'Pending', false);
      inc.ev(R.event(p, c, 'Normal', 'BackOff', `Back-off pulling image "${c.image}"`));
      inc.ev(R.event(p, c, 'Warning', 'Failed', 'Error: ImagePullBackOff'));
      syncExit(sim, p);
      inc.ev(R.syncError(p, R.imagePullBackOffErr(c.name, c.image)));
    }
    if (round === fail.rounds - 1 && !fail.recovers) return false;
    backoff = Math.min(backoff * 2, 300);
    syncBegin(sim, p, 'Pending', 'Pending', false);
    step.attempts = (step.attempts ?? 1) + 1;
    inc.ev(R.event(p, c, 'Normal', 'Pulling', `Pulling image "${c.image}"`));
  }
  return true;
}

function* startContainer(sim: Sim, p: PodRt, c: ContainerRt, init = false): Generator<number, StepTruth, void> {
  const R = sim.R;
  const rng = sim.rng;
  const t0 = sim.at(() => R.creatingContainer(p, c, init));
  yield rng.intIn(30, 250) * MS;
  R.event(p, c, 'Normal', 'Created', R.createdMessage(c));
  yield rng.intIn(20, 150) * MS;
  c.startedUs = sim.now;
  const t1 = sim.at(() => R.event(p, c, 'Normal', 'Started', `Started container ${c.name}`));
  if (rng.chance(0.15)) sim.N.cadvisorWatchEvent(PodFactory.cgroupSlice(p), c.id);
  return p.book.step(false, init ? 'init-container' : 'container-started', t0, init ? null : t1, { container: c.name });
}

/** An init container runs to completion (exit 0) before the next one / the app containers. */
function* runInit(sim: Sim, p: PodRt, c: ContainerRt, plan: StartPlan): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const pulls: Pulls = { first: -1, last: -1 };
  yield* pullImage(sim, p, c, plan, pulls);
  const step = yield* startContainer(sim, p, c, true);
  syncExit(sim, p);
  yield rng.intIn(100, 1000) * MS;
  R.genericPleg(p, c.id, 'non-existent', 'running');
  R.plegEvent(p, 'ContainerStarted', c.id);
  yield rng.intIn(1000, 8000) * MS;
  c.exitCode = 0;
  c.finishedUs = sim.now;
  step.endUs = sim.now;
  yield rng.intIn(100, 1000) * MS; // PLEG relist
  R.genericPleg(p, c.id, 'running', 'exited');
  R.containerFinished(p, c);
  R.plegEvent(p, 'ContainerDied', c.id);
  yield rng.intIn(2, 40) * MS;
  syncBegin(sim, p, 'Pending', 'Pending');
  R.completedInit(p, c);
}

function observedStartup(sim: Sim, p: PodRt, observedUs: number, firstPullUs: number, lastPullUs: number): void {
  const R = sim.R;
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
  const e2eNs = (watchUs - p.createdUs) * 1000 + watchNs;
  R.observedStartup(p, (e2eNs - pullNs) / 1e9, goDuration(e2eNs), created, first, last, observed, watch);
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
    initContainers: [],
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
  m.book.truth.openAtEnd = false;
  p.mirrorUid = m.uid;
  p.book.truth.mirrorUid = m.uid;
  sim.mirrors.push(m);
  const t = sim.R.syncLoop('ADD', 'api', [m]);
  if (t >= 0) m.book.truth.addedUs = t;
  yield 0;
}

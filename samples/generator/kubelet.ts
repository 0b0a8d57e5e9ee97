// The kubelet process's own life: the first start with the node's static pods and initial pods,
// graceful restarts (systemd stop/start) and crashes (a SIGABRT goroutine dump, or a panic with its
// stack), each followed by a new process with a new PID that re-adds the pods it finds (pods carry
// across processes: same UIDs). A process that ends closes its worker's open phases at its last
// record; the new one opens new phases when its worker syncs the pods again.

import type { Actor, Sim } from './sim.js';
import { MS, SEC } from './sim.js';
import type { PodRt, WorkloadRt } from './model.js';
import type { Incident } from './truth.js';
import { podLifecycle } from './pod.js';
import { quickTerminated, syncOnce } from './pod-start.js';
import { syncBegin, syncExit, terminatingEnter } from './worker.js';
import { klogFileHeaderTime, rfc3339Utc } from './timefmt.js';
import { panicDump, panicStack, sigabrtDump, type CrashKind } from './crash.js';

const FLAG_LINES_OLD = [
  'Flag --network-plugin has been deprecated, will be removed along with dockershim.',
  'Flag --cni-conf-dir has been deprecated, will be removed along with dockershim.',
  "Flag --pod-infra-container-image has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.",
];
const FLAG_LINES_NEW = [
  "Flag --container-runtime-endpoint has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.",
  'Flag --pod-infra-container-image has been deprecated, will be removed in a future release. Image garbage collector will get sandbox image information from CRI.',
];

const NETWORK_NOT_READY_STATUS = 'NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized';

/** Text the kubelet writes when it (re)starts; returns the time of its first klog record. */
function* startBurst(sim: Sim): Generator<number, number, void> {
  const cfg = sim.cfg;
  if (cfg.foreignLines) sim.env.foreign('systemd', 1, 'init.scope', 'Started kubelet: The Kubernetes Node Agent.', sim.now);
  yield sim.rng.intIn(20, 200) * MS;
  if (cfg.envelope === 'klog' && cfg.klogFileHeader && cfg.logFormat === 'text') {
    sim.env.verbatim([
      `Log file created at: ${klogFileHeaderTime(sim.now, cfg.tz)}`,
      `Running on machine: ${cfg.node}`,
      `Binary: Built with gc ${cfg.profile.go} for linux/amd64`,
      'Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg',
    ]);
  }
  if (cfg.startupNoise) {
    const flags = cfg.profile.dockershim ? FLAG_LINES_OLD : FLAG_LINES_NEW;
    for (const f of flags) sim.env.kubeletText(f, sim.now);
  }
  const endpoint = cfg.runtime === 'docker' ? 'unix:///var/run/dockershim.sock' : 'unix:///run/containerd/containerd.sock';
  const first = sim.N.startupLines(cfg.profile.full, cfg.verbosity, endpoint);
  yield sim.rng.intIn(100, 600) * MS;
  if (cfg.nodeIncidents.cniNotReadyAtStart) sim.spawn(networkNotReady(sim), 0, true);
  return first;
}

/** The container network is not ready for a while after the kubelet starts: the node is NotReady. */
function* networkNotReady(sim: Sim): Actor {
  const N = sim.N;
  const rng = sim.rng;
  const cni = sim.nodeEvent('cni-not-ready', sim.now, NETWORK_NOT_READY_STATUS);
  const notReady = sim.nodeEvent('not-ready', sim.now, `container runtime network not ready: ${NETWORK_NOT_READY_STATUS}`);
  sim.networkReady = false;
  sim.networkEvent = cni;
  const pid = sim.pid;
  cni.ev(N.runtimeNetworkNotReady(NETWORK_NOT_READY_STATUS));
  notReady.ev(N.nodeNotReady(`container runtime network not ready: ${NETWORK_NOT_READY_STATUS}`, rfc3339Utc(sim.now)));
  notReady.ev(N.recordingNodeEvent('NodeNotReady'));
  const until = sim.now + rng.intIn(10, 40) * SEC;
  while (sim.now < until && sim.pid === pid) {
    yield 5 * SEC + rng.int(20 * MS);
    if (sim.pid !== pid || sim.down) break;
    cni.ev(N.runtimeNetworkNotReady(NETWORK_NOT_READY_STATUS));
  }
  sim.networkReady = true;
  sim.networkEvent = null;
  if (sim.pid !== pid || sim.down) {
    // the process ended first: the outage ends with it (the next process has its own)
    const end = sim.processes.find((p) => p.pid === pid)?.endUs ?? sim.lastRecordUs;
    cni.end(end);
    notReady.end(end);
    return;
  }
  const t = sim.at(() => N.recordingNodeEvent('NodeReady'));
  notReady.ev(sim.shown);
  cni.end(t);
  notReady.end(t);
}

export function lifetimeFor(sim: Sim, w: WorkloadRt): number {
  const rng = sim.rng;
  switch (w.kind) {
    case 'DaemonSet':
      return Number.POSITIVE_INFINITY;
    case 'Job':
      return Math.min(10 * w.meanLifetimeSeconds, Math.max(5, rng.exp(w.meanLifetimeSeconds))) * SEC;
    case 'StatefulSet':
      return Math.max(60, rng.exp(w.meanLifetimeSeconds)) * SEC;
    default:
      return Math.max(30, rng.exp(w.meanLifetimeSeconds)) * SEC;
  }
}

export function newWorkloadPod(sim: Sim, w: WorkloadRt): PodRt | null {
  const { name, ordinal } = sim.factory.podName(w, sim.now);
  if (w.kind === 'StatefulSet') {
    if (ordinal >= w.replicas) return null;
    w.ordinals.add(ordinal);
  }
  return sim.factory.createForWorkload(w, name, ordinal, sim.rng, sim.now);
}

/** The kubelet starts at the beginning of the log with static pods and an initial population. */
export function* kubeletBoot(sim: Sim): Actor {
  const R = sim.R;
  const rng = sim.rng;
  yield* startBurst(sim);
  // the kubelet hands every listed pod to its worker at once: each admits and syncs it right away
  const statics: PodRt[] = [];
  for (let i = 0; i < sim.cfg.staticPods; i++) statics.push(sim.factory.createStatic(i, sim.now, 30));
  if (statics.length > 0) {
    const t = R.syncLoop('ADD', 'file', statics);
    for (const p of statics) {
      sim.added(p, t);
      sim.spawn(podLifecycle(sim, p, { addEmitted: true, lifetimeUs: Number.POSITIVE_INFINITY }));
    }
  }
  sim.created += statics.length;
  const initial: Array<{ p: PodRt; life: number }> = [];
  const cap = sim.cfg.pods === null ? Number.POSITIVE_INFINITY : sim.cfg.pods - statics.length;
  for (const w of sim.workloads) {
    for (let i = 0; i < w.initial; i++) {
      if (w.kind !== 'DaemonSet' && initial.length >= cap) break;
      const p = newWorkloadPod(sim, w);
      if (!p) break;
      initial.push({ p, life: lifetimeFor(sim, w) });
    }
  }
  yield rng.intIn(20, 300) * MS;
  if (initial.length === 0) return;
  const t = R.syncLoop(
    'ADD',
    'api',
    initial.map((x) => x.p),
  );
  for (const { p, life } of initial) {
    sim.added(p, t);
    sim.created++;
    if (p.kind !== 'DaemonSet') sim.inflight++;
    sim.spawn(podLifecycle(sim, p, { addEmitted: true, lifetimeUs: life }));
  }
}

type ProcessEndKind = 'restart' | CrashKind;

/**
 * Restarts and crashes at evenly spaced progress points (crashes alternate SIGABRT and panic;
 * restarts and crashes alternate when both are asked for).
 */
export function* processEndScheduler(sim: Sim): Actor {
  const plan: ProcessEndKind[] = [];
  let r = sim.cfg.restarts;
  let c = sim.cfg.nodeIncidents.crashes;
  let abrt = true;
  while (r > 0 || c > 0) {
    if (r > 0 && (plan.length % 2 === 0 || c === 0)) {
      plan.push('restart');
      r--;
    } else {
      plan.push(abrt ? 'sigabrt' : 'panic');
      abrt = !abrt;
      c--;
    }
  }
  for (let i = 1; i <= plan.length; i++) {
    const threshold = (0.55 * i) / plan.length;
    while (sim.progress() < threshold) {
      if (sim.stopping) return;
      yield 5 * SEC;
    }
    if (sim.stopping) return;
    yield* endProcess(sim, plan[i - 1] as ProcessEndKind);
    sim.processEndsRemaining--;
  }
}

/** Systemd's lines and the exit of the running process. */
function* endProcess(sim: Sim, how: ProcessEndKind): Actor {
  const rng = sim.rng;
  const cfg = sim.cfg;
  if (!(yield* sim.quiesce())) return;
  const oldPid = sim.pid;
  const proc = sim.process;
  let crashInc: Incident | null = null;
  const sys = (text: string): void => {
    if (cfg.foreignLines) sim.env.foreign('systemd', 1, 'init.scope', text, sim.now);
  };
  if (how === 'restart') {
    proc.end = 'restart';
    sys('Stopping kubelet: The Kubernetes Node Agent...');
  } else {
    proc.end = 'crash';
    proc.signal = how === 'sigabrt' ? 'SIGABRT' : 'SIGSEGV';
    crashInc = sim.globalIncident('kubelet-crash', sim.now, how === 'sigabrt' ? 'SIGABRT: goroutine dump' : 'panic: nil pointer dereference');
    crashInc.a.signal = proc.signal;
    const uptimeMin = Math.floor((sim.now - sim.processStartUs) / 60_000_000);
    const workers = Math.min(8, [...sim.alive].filter((p) => p.state === 'syncing' || p.state === 'terminating').length);
    let lines: string[];
    if (how === 'sigabrt') lines = sigabrtDump(rng, cfg.profile, uptimeMin, workers);
    else {
      const stack = panicStack(rng, cfg.profile, rng.intIn(200, 3000));
      crashInc.ev(sim.N.observedPanic(stack));
      lines = panicDump(rng, stack);
    }
    proc.crashLines = sim.crashText(lines);
  }
  const last = proc.endUs;
  for (const p of sim.alive) p.book.processEnd(last);
  sim.down = true;
  const downtime = Math.round((how === 'restart' ? rng.range(2, 12) : rng.range(10, 12)) * SEC);
  sim.upAt = sim.now + downtime + 2 * SEC;
  yield rng.intIn(200, 800) * MS;
  if (how === 'restart') sys('kubelet.service: Deactivated successfully.');
  else {
    sys(how === 'sigabrt' ? 'kubelet.service: Main process exited, code=dumped, status=6/ABRT' : 'kubelet.service: Main process exited, code=exited, status=2/INVALIDARGUMENT');
    sys(`kubelet.service: Failed with result '${how === 'sigabrt' ? 'core-dump' : 'exit-code'}'.`);
  }
  yield downtime;
  if (how !== 'restart') sys('kubelet.service: Scheduled restart job, restart counter is at 1.');
  sys('Stopped kubelet: The Kubernetes Node Agent.');
  sim.setPid(sim.newPid());
  sim.down = false;
  sim.resetReflectors();
  const first = yield* startBurst(sim);
  yield* readd(sim);
  const firstUs = first >= 0 ? first : sim.process.startUs;
  if (crashInc) crashInc.ev(firstUs);
  else sim.globalIncident('kubelet-restart', firstUs, `pid ${oldPid} -> ${sim.pid}`).ev(firstUs);
  sim.reopen();
}

/** The new process lists every pod it finds and its worker syncs them again. */
function* readd(sim: Sim): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const statics: PodRt[] = [];
  const api: PodRt[] = [];
  for (const p of sim.alive) (p.static ? statics : api).push(p);
  api.push(...sim.mirrors);
  api.sort((a, b) => a.seq - b.seq);
  if (statics.length > 0) {
    const t = R.syncLoop('ADD', 'file', statics);
    for (const p of statics) sim.added(p, t);
  }
  if (api.length > 0) R.syncLoop('ADD', 'api', api);
  const all = [...statics, ...api].filter((p) => p.kind !== 'Mirror');
  const running: PodRt[] = [];
  for (const p of all) {
    if (p.state === 'syncing') {
      resync(sim, p);
      if (p.running) running.push(p);
    } else if (p.state === 'terminating' && p.stuck) {
      killAgain(sim, p);
    } else if (p.state === 'finished' && p.terminal) {
      quickTerminated(sim, p, 'create', p.completed ? 'Succeeded' : 'Failed', p.completed ? 'Succeeded' : 'Failed');
    }
  }
  yield rng.intIn(300, 1000) * MS;
  for (const p of running) {
    if (p.state !== 'syncing') continue;
    R.plegEvent(p, 'ContainerStarted', p.sandboxId);
    for (const c of p.containers) R.plegEvent(p, 'ContainerStarted', c.id);
    syncOnce(sim, p, 'Running', 'Running');
  }
}

/** A running pod's first sync in the new process: a new sync phase. */
function resync(sim: Sim, p: PodRt): void {
  const R = sim.R;
  R.topologyAdmit(p);
  R.firstSync(p, 'create');
  syncBegin(sim, p, 'Pending', 'Running', false);
  R.waitingVolumes(p);
  sim.refAcquire(p);
  for (const v of p.volumes) R.verifyAttached(p, v);
  for (const v of p.volumes) R.setupSucceeded(p, v, 4);
  R.allMounted(p);
  syncExit(sim, p);
}

/** A pod whose teardown hung in the old process is killed again (and hangs again). */
function killAgain(sim: Sim, p: PodRt): void {
  const R = sim.R;
  R.firstSync(p, 'create');
  R.gracefulDeletion(p);
  terminatingEnter(sim, p);
  R.graceLine(p, p.grace);
  for (const c of p.containers) {
    R.killingOverride(p, c, p.grace);
    R.killingGrace(p, c, p.grace);
  }
}

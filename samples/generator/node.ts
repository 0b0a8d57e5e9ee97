// Node-level actors: kubelet start and restarts, pod arrivals, and the background noise a kubelet
// logs between pod events (housekeeping, eviction manager, lease/node-status failures, reflectors).

import type { Actor, Sim } from './sim.js';
import { MS, SEC } from './sim.js';
import type { PodRt, WorkloadRt } from './model.js';
import type { ExtraPeriodic } from './types.js';
import { podLifecycle, syncOnce } from './pod.js';
import { GO_VERSION, KUBELET_FULL_VERSION } from './render.js';
import { klogFileHeaderTime } from './timefmt.js';
import type { Site } from './sites.js';

const FLAG_LINES_OLD = [
  "Flag --network-plugin has been deprecated, will be removed along with dockershim.",
  "Flag --cni-conf-dir has been deprecated, will be removed along with dockershim.",
  "Flag --pod-infra-container-image has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.",
];
const FLAG_LINES_NEW = [
  "Flag --container-runtime-endpoint has been deprecated, This parameter should be set via the config file specified by the Kubelet's --config flag. See https://kubernetes.io/docs/tasks/administer-cluster/kubelet-config-file/ for more information.",
  'Flag --pod-infra-container-image has been deprecated, will be removed in a future release. Image garbage collector will get sandbox image information from CRI.',
];

/** Text the kubelet writes when it (re)starts; returns the time of its first klog record. */
function* startBurst(sim: Sim): Generator<number, number, void> {
  const cfg = sim.cfg;
  if (cfg.foreignLines) sim.env.foreign('systemd', 1, 'init.scope', 'Started kubelet: The Kubernetes Node Agent.', sim.now);
  yield sim.rng.intIn(20, 200) * MS;
  if (cfg.envelope === 'klog' && cfg.klogFileHeader && cfg.version !== 'json') {
    sim.env.verbatim([
      `Log file created at: ${klogFileHeaderTime(sim.now, cfg.tz)}`,
      `Running on machine: ${cfg.node}`,
      `Binary: Built with gc ${GO_VERSION[cfg.version]} for linux/amd64`,
      'Log line format: [IWEF]mmdd hh:mm:ss.uuuuuu threadid file:line] msg',
    ]);
  }
  if (cfg.startupNoise) {
    const flags = sim.R.ver <= 123 ? FLAG_LINES_OLD : FLAG_LINES_NEW;
    for (const f of flags) sim.env.kubeletText(f, sim.now);
  }
  const first = sim.R.startupLines(KUBELET_FULL_VERSION[cfg.version]);
  yield sim.rng.intIn(100, 600) * MS;
  return first;
}

function lifetimeFor(sim: Sim, w: WorkloadRt): number {
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

function newWorkloadPod(sim: Sim, w: WorkloadRt): PodRt | null {
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
  const statics: PodRt[] = [];
  for (let i = 0; i < sim.cfg.staticPods; i++) statics.push(sim.factory.createStatic(i, sim.now, 30));
  if (statics.length > 0) {
    const t = R.syncLoop('ADD', 'file', statics);
    for (const p of statics) sim.added(p, t);
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
  if (initial.length > 0) {
    const t = R.syncLoop(
      'ADD',
      'api',
      initial.map((x) => x.p),
    );
    for (const { p } of initial) sim.added(p, t);
  }
  for (const p of statics) sim.spawn(podLifecycle(sim, p, { addEmitted: true, lifetimeUs: Number.POSITIVE_INFINITY }), rng.intIn(1, 50) * MS);
  for (const { p, life } of initial) {
    sim.created++;
    if (p.kind !== 'DaemonSet') sim.inflight++;
    sim.spawn(podLifecycle(sim, p, { addEmitted: true, lifetimeUs: life }), rng.intIn(5, 1500) * MS);
  }
}

/** New pods arrive as a Poisson process sized to keep about `concurrency` pods running. */
export function* arrivals(sim: Sim): Actor {
  const rng = sim.rng;
  const ws = sim.workloads.filter((w) => w.weight > 0);
  if (ws.length === 0) return;
  let sw = 0;
  let swl = 0;
  for (const w of ws) {
    sw += w.weight;
    swl += w.weight * (w.kind === 'Job' ? w.meanLifetimeSeconds + 250 : w.meanLifetimeSeconds);
  }
  const meanInterval = swl / sw / sim.cfg.concurrency;
  yield rng.range(1, 5) * SEC;
  for (;;) {
    yield rng.exp(meanInterval) * SEC;
    if (sim.stopping) return;
    while (sim.gateClosed) {
      yield 500 * MS;
      if (sim.stopping) return;
    }
    let running = 0;
    for (const p of sim.alive) if (!p.completed && p.kind !== 'Static' && p.kind !== 'DaemonSet') running++;
    if (running > sim.cfg.concurrency * 1.6) continue;
    const w = rng.weighted(ws, (x) => x.weight);
    const p = newWorkloadPod(sim, w);
    if (!p) continue;
    sim.created++;
    sim.inflight++;
    sim.spawn(podLifecycle(sim, p, { addEmitted: false, lifetimeUs: lifetimeFor(sim, w) }));
  }
}

/** Triggers the configured number of kubelet restarts at evenly spaced progress points. */
export function* restartScheduler(sim: Sim): Actor {
  const n = sim.cfg.restarts;
  for (let i = 1; i <= n; i++) {
    const threshold = (0.55 * i) / n;
    while (sim.progress() < threshold) {
      if (sim.stopping) return;
      yield 5 * SEC;
    }
    if (sim.stopping) return;
    yield* restart(sim);
    sim.restartsRemaining--;
  }
}

function* restart(sim: Sim): Actor {
  const R = sim.R;
  const rng = sim.rng;
  sim.gateClosed = true;
  while (sim.crit > 0) {
    if (sim.stopping) {
      if (sim.cfg.targetBytes === null) sim.gateClosed = false;
      return;
    }
    yield 100 * MS;
  }
  const last = sim.lastRecordUs;
  const oldPid = sim.pid;
  if (sim.cfg.foreignLines) sim.env.foreign('systemd', 1, 'init.scope', 'Stopping kubelet: The Kubernetes Node Agent...', sim.now);
  sim.down = true;
  const downtime = Math.round(rng.range(2, 12) * SEC);
  sim.upAt = sim.now + downtime + 2 * SEC;
  yield rng.intIn(200, 800) * MS;
  if (sim.cfg.foreignLines) sim.env.foreign('systemd', 1, 'init.scope', 'kubelet.service: Deactivated successfully.', sim.now);
  yield downtime;
  sim.setPid(sim.newPid());
  sim.down = false;
  for (const p of sim.alive) p.book.restart(sim.mode, last);
  sim.resetReflectors();
  const first = yield* startBurst(sim);
  const statics: PodRt[] = [];
  const api: PodRt[] = [];
  for (const p of sim.alive) (p.static ? statics : api).push(p);
  api.push(...sim.mirrors);
  api.sort((a, b) => a.seq - b.seq);
  if (statics.length > 0) {
    const t = R.syncLoop('ADD', 'file', statics);
    for (const p of statics) if (p.running) sim.added(p, t);
  }
  if (api.length > 0) {
    const t = R.syncLoop('ADD', 'api', api);
    for (const p of api) if (p.running && p.kind !== 'Mirror') sim.added(p, t);
  }
  const resync = [...statics, ...api].filter((p) => p.running && p.kind !== 'Mirror');
  for (const p of resync) {
    yield rng.intIn(1, 25) * MS;
    R.topologyAdmit(p);
    R.firstSync(p, 'create');
    R.processing(p, 0);
    sim.syncEnter(p, R.syncPodEnter(p));
    R.generatingStatus(p, false);
    R.gotPhase(p, 'Pending', 'Running');
    R.waitingVolumes(p);
    sim.refAcquire(p);
    for (const v of p.volumes) R.verifyAttached(p, v);
    for (const v of p.volumes) R.setupSucceeded(p, v, 4);
    R.allMounted(p);
    sim.syncExit(p, R.syncPodExit(p, false));
    R.processingDone(p, 0);
  }
  yield rng.intIn(300, 1000) * MS;
  for (const p of resync) {
    R.plegEvent(p, 'ContainerStarted', p.sandboxId);
    for (const c of p.containers) R.plegEvent(p, 'ContainerStarted', c.id);
    syncOnce(sim, p, 'Running', 'Running');
  }
  const firstUs = first >= 0 ? first : sim.lastRecordUs;
  sim.restarts.push({ lastRecordUs: last, firstRecordUs: firstUs, oldPid, newPid: sim.pid });
  sim.globalAnomaly('kubelet-restart', firstUs, `pid ${oldPid} -> ${sim.pid}`);
  if (!(sim.stopping && sim.cfg.targetBytes !== null)) sim.gateClosed = false;
}

export function* housekeepingLoop(sim: Sim): Actor {
  const R = sim.R;
  const rng = sim.rng;
  if (!R.on(3)) return;
  for (;;) {
    yield 2 * SEC + rng.int(40 * MS);
    if (sim.down) continue;
    R.housekeeping();
    R.cleanupLines();
    R.housekeepingEnd(rng.intIn(200_000, 25_000_000));
  }
}

export function* evictionLoop(sim: Sim): Actor {
  const R = sim.R;
  const rng = sim.rng;
  if (!R.on(3)) return;
  yield rng.int(10 * SEC);
  for (;;) {
    yield 10 * SEC + rng.int(30 * MS);
    if (sim.down) continue;
    R.evictionHousekeeping();
    R.evictionNoStarved();
  }
}

/** Bursts of `Failed to update lease` (and sometimes node status) errors. */
export function* leaseLoop(sim: Sim): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const node = sim.cfg.node;
  const api = `https://10.0.0.1:6443`;
  for (;;) {
    yield rng.exp(2 * 3600) * SEC;
    if (sim.down) continue;
    const n = rng.intIn(1, 4);
    let first = -1;
    for (let i = 0; i < n; i++) {
      const err = rng.pick([
        `Put "${api}/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}?timeout=10s": net/http: request canceled (Client.Timeout exceeded while awaiting headers)`,
        'etcdserver: request timed out',
        `Operation cannot be fulfilled on leases.coordination.k8s.io "${node}": the object has been modified; please apply your changes to the latest version and try again`,
      ]);
      const t = R.leaseFailed(err);
      if (first < 0) first = t;
      if (i === 0 && rng.chance(0.5)) {
        const te = R.nodeStatusError(`error getting node "${node}": Get "${api}/api/v1/nodes/${node}?resourceVersion=0&timeout=10s": context deadline exceeded`);
        sim.globalAnomaly('node-status-error', te);
      }
      yield 10 * SEC + rng.int(500 * MS);
    }
    sim.globalAnomaly('lease-failure', first, `${n} failures`);
  }
}

export function* reflectorLoop(sim: Sim): Actor {
  const rng = sim.rng;
  for (;;) {
    yield rng.exp(40 * 60) * SEC;
    if (sim.down) continue;
    sim.R.reflectorWatchClosed(rng.pick(['Service', 'Node', 'RuntimeClass', 'CSIDriver']));
  }
}

export function* extraPeriodicLoop(sim: Sim, spec: ExtraPeriodic): Actor {
  const R = sim.R;
  const file = spec.file ?? 'kubelet.go';
  const line = spec.line ?? 1;
  const site: Site = { t: `${file}:${line}] `, j: `${spec.dir ?? 'kubelet'}/${file}:${line}` };
  const sev = spec.severity ?? 'I';
  const v = spec.v ?? 0;
  let kv = '';
  for (const [k, val] of Object.entries(spec.kv ?? {})) {
    kv += typeof val === 'string' ? R.f.s(k, val) : typeof val === 'number' ? R.f.n(k, val) : R.f.b(k, val);
  }
  const every = Math.max(0.001, spec.everySeconds) * SEC;
  for (;;) {
    yield every;
    if (sim.down) continue;
    if (spec.structured === false) R.p(sev, v, site, spec.message);
    else R.s(sev, v, site, spec.message, kv);
  }
}

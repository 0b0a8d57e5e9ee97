// Node-level actors besides the kubelet process itself (kubelet.ts): pod arrivals, the background
// a kubelet logs between pod events (housekeeping, eviction manager, lease/node-status failures,
// reflectors), and node incidents: eviction episodes under memory or disk pressure and PLEG
// health loss (node NotReady).

import type { Actor, Sim } from './sim.js';
import { MS, SEC } from './sim.js';
import type { ContainerRt, PodRt } from './model.js';
import type { ExtraPeriodic } from './types.js';
import { podLifecycle } from './pod.js';
import { evictPod, terminated } from './pod-stop.js';
import { lifetimeFor, newWorkloadPod } from './kubelet.js';
import { patchEvicted } from './workloads.js';
import { rfc3339Utc } from './timefmt.js';
import type { Site } from './sites.js';

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
    for (const p of sim.alive) if (!p.completed && !p.terminal && p.kind !== 'Static' && p.kind !== 'DaemonSet') running++;
    if (running > sim.cfg.concurrency * 1.6) continue;
    const w = rng.weighted(ws, (x) => x.weight);
    const p = newWorkloadPod(sim, w);
    if (!p) continue;
    sim.created++;
    sim.inflight++;
    sim.spawn(podLifecycle(sim, p, { addEmitted: false, lifetimeUs: lifetimeFor(sim, w) }));
  }
}

export function* housekeepingLoop(sim: Sim): Actor {
  const rng = sim.rng;
  for (;;) {
    yield 2 * SEC + rng.int(40 * MS);
    if (sim.down) continue;
    sim.N.housekeeping();
    sim.N.cleanupLines();
    sim.N.housekeepingEnd(rng.intIn(200_000, 25_000_000));
  }
}

/** The eviction manager's 10 s loop (V3 noise while no resource is starved). */
export function* evictionLoop(sim: Sim): Actor {
  const rng = sim.rng;
  yield rng.int(10 * SEC);
  for (;;) {
    yield 10 * SEC + rng.int(30 * MS);
    if (sim.down || sim.pressure) continue;
    sim.N.evictionHousekeeping();
    sim.N.evictionNoStarved();
  }
}

/** Eviction episodes and PLEG health losses at evenly spaced progress points (between the restarts). */
export function* nodeIncidentScheduler(sim: Sim): Actor {
  const kinds: Array<'evict' | 'pleg'> = [];
  for (let i = 0; i < sim.cfg.nodeIncidents.evictions; i++) kinds.push('evict');
  for (let i = 0; i < sim.cfg.nodeIncidents.plegUnhealthy; i++) kinds.splice(2 * i + 1, 0, 'pleg');
  let memory = true;
  for (let i = 0; i < kinds.length; i++) {
    const threshold = 0.12 + (0.7 * (i + 0.5)) / kinds.length;
    while (sim.progress() < threshold) {
      if (sim.stopping) return;
      yield 5 * SEC;
    }
    if (sim.stopping) return;
    if (kinds[i] === 'pleg') yield* plegUnhealthy(sim);
    else {
      yield* evictionEpisode(sim, memory);
      memory = !memory;
    }
  }
}

function victimOf(sim: Sim): PodRt | null {
  const rank = [...sim.alive].filter((p) => p.state === 'syncing' && p.running && p.readyAt === 0 && (p.kind === 'Deployment' || p.kind === 'StatefulSet') && p.qos !== 'guaranteed');
  if (rank.length === 0) return null;
  return rank.sort((a, b) => (a.qos === b.qos ? a.seq - b.seq : a.qos === 'besteffort' ? -1 : 1))[0] ?? null;
}

/**
 * Memory (or disk) pressure: the node condition changes, the eviction manager ranks the pods,
 * evicts one (killed at once: a hard threshold), waits for it to be cleaned up; the pressure
 * goes away a little later.
 */
function* evictionEpisode(sim: Sim, memory: boolean): Actor {
  if (!(yield* sim.quiesce())) return;
  const victim = victimOf(sim);
  if (!victim) {
    sim.reopen();
    return;
  }
  const R = sim.R;
  const N = sim.N;
  const rng = sim.rng;
  const resource = memory ? 'memory' : 'ephemeral-storage';
  const signal = memory ? 'memory.available' : 'nodefs.available';
  const condition = memory ? 'MemoryPressure' : 'DiskPressure';
  sim.pressure = true;
  const ev = sim.nodeEvent('eviction-pressure', sim.now, condition);
  ev.ev(N.recordingNodeEvent(memory ? 'NodeHasInsufficientMemory' : 'NodeHasDiskPressure'));
  N.nodeEvent('Normal', memory ? 'NodeHasInsufficientMemory' : 'NodeHasDiskPressure', `Node ${sim.cfg.node} status is now: ${memory ? 'NodeHasInsufficientMemory' : 'NodeHasDiskPressure'}`);
  yield rng.intIn(1000, 10000) * MS;
  ev.ev(N.evictionReclaim(resource));
  ev.ev(N.evictionMustEvict(resource));
  const others = [...sim.alive].filter((p) => p !== victim && p.state === 'syncing' && p.kind !== 'Mirror').sort((a, b) => a.seq - b.seq);
  ev.ev(N.evictionRanked([victim, ...others]));
  sim.crit++;
  const c = victim.containers[0] as ContainerRt;
  const message = memory
    ? `The node was low on resource: memory. Threshold quantity: 100Mi, available: ${rng.intIn(60000, 99000)}Ki. Container ${c.name} was using ${rng.intIn(800000, 3000000)}Ki, request is 0, has larger consumption of memory. `
    : `The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: ${rng.intIn(1000000, 4000000)}Ki. Container ${c.name} was using ${rng.intIn(5000000, 20000000)}Ki, request is 0, has larger consumption of ephemeral-storage. `;
  const inc = victim.book.incident('evicted', sim.now, { signal, container: c.name, detail: message.trim() });
  yield* evictPod(sim, victim, message, inc);
  inc.ev(N.evictionWaiting([victim]));
  yield* terminated(sim, victim, 'Failed', false);
  const t = sim.at(() => R.patchStatus(victim, patchEvicted(victim, sim.now, message.trim())));
  inc.ev(sim.shown);
  victim.book.step(true, 'status-sent', t, t);
  yield rng.intIn(100, 1000) * MS;
  inc.ev(N.evictionCleaned([victim]));
  sim.crit--;
  sim.reopen();
  yield rng.intIn(10, 60) * SEC;
  const tEnd = sim.at(() => N.recordingNodeEvent(memory ? 'NodeHasSufficientMemory' : 'NodeHasNoDiskPressure'));
  ev.ev(sim.shown);
  ev.end(tEnd);
  sim.pressure = false;
}

/**
 * The runtime stops answering PLEG's relist for over 3 minutes: the sync loop skips every pod sync
 * with `PLEG is not healthy` and the node goes NotReady until a relist succeeds again.
 */
function* plegUnhealthy(sim: Sim): Actor {
  if (!(yield* sim.quiesce())) return;
  const N = sim.N;
  const rng = sim.rng;
  const pid = sim.pid;
  const stuckSince = sim.now;
  yield 180 * SEC + rng.intIn(100, 900) * MS;
  const pleg = sim.nodeEvent('pleg-unhealthy', sim.now);
  const notReady = sim.nodeEvent('not-ready', sim.now);
  const ago = (): string => {
    const s = (sim.now - stuckSince) / 1e6;
    return `${Math.floor(s / 60)}m${(s % 60).toFixed(3).replace(/\.?0+$/, '')}s`;
  };
  const msg = (): string => `PLEG is not healthy: pleg was last seen active ${ago()} ago; threshold is 3m0s`;
  notReady.e.detail = msg();
  pleg.e.detail = msg();
  pleg.ev(N.skippingPodSync(msg()));
  notReady.ev(N.nodeNotReady(msg(), rfc3339Utc(sim.now)));
  notReady.ev(N.recordingNodeEvent('NodeNotReady'));
  const until = sim.now + rng.intIn(20, 120) * SEC;
  let backoff = 100;
  while (sim.now < until && sim.pid === pid) {
    yield backoff * MS;
    backoff = Math.min(backoff * 2, 5000);
    pleg.ev(N.skippingPodSync(msg()));
  }
  const t = sim.at(() => N.recordingNodeEvent('NodeReady'));
  notReady.ev(sim.shown);
  pleg.end(t);
  notReady.end(t);
  sim.reopen();
}

/** Bursts of `Failed to update lease` (and sometimes node status) errors. */
export function* leaseLoop(sim: Sim): Actor {
  const rng = sim.rng;
  const node = sim.cfg.node;
  const api = `https://10.0.0.1:6443`;
  for (;;) {
    yield rng.exp(2 * 3600) * SEC;
    if (sim.down) continue;
    const n = rng.intIn(1, 4);
    let inc = null;
    for (let i = 0; i < n; i++) {
      const err = rng.pick([
        `Put "${api}/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${node}?timeout=10s": net/http: request canceled (Client.Timeout exceeded while awaiting headers)`,
        'etcdserver: request timed out',
        `Operation cannot be fulfilled on leases.coordination.k8s.io "${node}": the object has been modified; please apply your changes to the latest version and try again`,
      ]);
      const t = sim.at(() => sim.N.leaseFailed(err));
      inc ??= sim.globalIncident('lease-failure', t, `${n} failures`);
      inc.ev(sim.shown);
      if (i === 0 && rng.chance(0.5)) {
        const te = sim.at(() => sim.N.nodeStatusError(`error getting node "${node}": Get "${api}/api/v1/nodes/${node}?resourceVersion=0&timeout=10s": context deadline exceeded`));
        sim.globalIncident('node-status-error', te).ev(sim.shown);
      }
      yield 10 * SEC + rng.int(500 * MS);
    }
  }
}

export function* reflectorLoop(sim: Sim): Actor {
  const rng = sim.rng;
  for (;;) {
    yield rng.exp(40 * 60) * SEC;
    if (sim.down) continue;
    sim.N.reflectorWatchClosed(rng.pick(['Service', 'Node', 'RuntimeClass', 'CSIDriver']));
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

// A running pod: periodic syncs, readiness probes (flaky, or slow to pass after the start), and the
// incidents of a running container: a crash loop (CrashLoopBackOff), an OOM kill (exit 137,
// OOMKilled, restart), a failed liveness probe (killed with its grace period and restarted).

import type { Actor, Sim } from './sim.js';
import { MS, SEC } from './sim.js';
import type { ContainerRt, PodRt } from './model.js';
import { PodFactory, patchNotReady, patchRestarted, patchRunning } from './workloads.js';
import { goDuration, goTimeString, rfc3339NanoUtc } from './timefmt.js';
import { syncBegin, syncExit } from './worker.js';
import { markReady, syncOnce } from './pod-start.js';
import type { Incident } from './truth.js';

/** Episodes planned for a running pod (absolute sim times; Infinity: none). */
export interface RunPlan {
  endAt: number;
  crashAt: number;
  oomAt: number;
  livenessAt: number;
}

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

export function* runPod(sim: Sim, p: PodRt, plan: RunPlan, probeC: ContainerRt | null): Actor {
  const rng = sim.rng;
  const R = sim.R;
  let { crashAt, oomAt, livenessAt } = plan;
  const endAt = plan.endAt;
  let nextSync = sim.now + rng.range(50, 70) * SEC;
  let nextProbe = probeC ? sim.now + rng.range(1, 10) * SEC : Number.POSITIVE_INFINITY;
  let failStreak = 0;
  let flaky: Incident | null = null;
  // Readiness often fails once or twice while the app warms up.
  let failLeft = probeC && rng.chance(0.3) ? rng.intIn(1, 2) : 0;
  for (;;) {
    const next = Math.min(nextSync, nextProbe, endAt, crashAt, oomAt, livenessAt);
    if (!Number.isFinite(next)) return;
    if (next > sim.now) yield next - sim.now;
    // torn down meanwhile by someone else (the eviction manager)
    if (p.state !== 'syncing') return;
    if (next === endAt) return;
    if (next === crashAt || next === oomAt || next === livenessAt) {
      if (sim.gateClosed || sim.down) {
        // no new transition while the node drains or restarts: try again a little later
        const later = sim.now + rng.range(5, 20) * SEC;
        if (next === crashAt) crashAt = later;
        else if (next === oomAt) oomAt = later;
        else livenessAt = later;
        continue;
      }
      if (next === crashAt) {
        crashAt = Number.POSITIVE_INFINITY;
        yield* crashLoop(sim, p);
      } else if (next === oomAt) {
        oomAt = Number.POSITIVE_INFINITY;
        yield* oomKill(sim, p);
      } else {
        livenessAt = Number.POSITIVE_INFINITY;
        if (probeC) yield* livenessRestart(sim, p, probeC);
      }
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
    if (!probeC || sim.down) continue;
    if (p.readyAt > 0) {
      // a slow start: the readiness probe fails until the app is up
      if (sim.now < p.readyAt) {
        R.probeFailed(p, probeC, 'Readiness', probeOutput(sim, p, probeC));
        continue;
      }
      R.probeSucceeded(p, probeC, 'Readiness');
      R.syncLoopProbe(p, 'readiness', 'ready');
      syncOnce(sim, p, 'Running', 'Running');
      markReady(sim, p);
      continue;
    }
    if (sim.gateClosed) continue;
    if (p.probeFlaky && failLeft === 0 && rng.chance(0.05)) failLeft = rng.intIn(1, 6);
    if (failLeft > 0) {
      failLeft--;
      failStreak++;
      const out = probeOutput(sim, p, probeC);
      const t = sim.at(() => R.probeFailed(p, probeC, 'Readiness', out));
      const shown = sim.shown;
      const te = R.event(p, probeC, 'Warning', 'Unhealthy', `Readiness probe failed: ${out}`);
      if (p.probeFlaky) {
        if (failStreak === 1) flaky = p.book.incident('probe-failure', t, { container: probeC.name, detail: 'readiness' });
        flaky?.ev(shown);
        flaky?.ev(te);
      }
      if (failStreak === 3 && p.ready) {
        p.ready = false;
        flaky?.ev(R.syncLoopProbe(p, 'readiness', 'not ready'));
        syncOnce(sim, p, 'Running', 'Running');
        R.patchStatus(p, patchNotReady(p, sim.now));
      }
    } else {
      failStreak = 0;
      flaky = null;
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

/** PLEG sees a dead container at its next relist: GenericPLEG, `container finished`, ContainerDied. */
function plegDied(sim: Sim, p: PodRt, c: ContainerRt, inc: Incident | null): void {
  const R = sim.R;
  R.genericPleg(p, c.id, 'running', 'exited');
  inc?.ev(R.containerFinished(p, c));
  inc?.ev(R.plegEvent(p, 'ContainerDied', c.id));
}

/** A new container instance of `c` is created and started (the same sync that saw the old one die). */
function* restartContainer(sim: Sim, p: PodRt, c: ContainerRt): Generator<number, string, void> {
  const R = sim.R;
  const rng = sim.rng;
  const oldId = c.id;
  c.restarts++;
  c.id = rng.hex(64);
  c.idFull = `${R.rt}://${c.id}`;
  R.event(p, c, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine`);
  R.creatingContainer(p, c);
  yield rng.intIn(30, 200) * MS;
  R.event(p, c, 'Normal', 'Created', R.createdMessage(c));
  c.startedUs = sim.now;
  R.event(p, c, 'Normal', 'Started', `Started container ${c.name}`);
  return oldId;
}

/** The main container crashes and goes through CrashLoopBackOff a few times: one incident. */
function* crashLoop(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const c = p.containers[0] as ContainerRt;
  const rounds = rng.intIn(2, 4);
  const inc = p.book.incident('crash-loop', sim.now, { container: c.name });
  let backoff = 10;
  for (let k = 0; k < rounds; k++) {
    yield* sim.enter();
    c.exitCode = rng.chance(0.7) ? 1 : 2;
    c.finishedUs = sim.now;
    plegDied(sim, p, c, inc);
    yield rng.intIn(5, 60) * MS;
    syncBegin(sim, p, 'Running', 'Running');
    const dur = goDuration(backoff * 1e9);
    inc.ev(R.backOffRestart(p, c, dur));
    inc.ev(R.event(p, c, 'Warning', 'BackOff', `Back-off restarting failed container ${c.name} in pod ${p.fr.desc}`));
    syncExit(sim, p);
    inc.ev(R.syncError(p, R.crashLoopErr(c, p, dur)));
    R.patchStatus(p, patchNotReady(p, sim.now));
    sim.leave();
    yield (backoff + rng.range(0, 2)) * SEC;
    yield* sim.enter();
    syncBegin(sim, p, 'Running', 'Running');
    yield* restartContainer(sim, p, c);
    c.exitCode = 0;
    syncExit(sim, p);
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

/** The kernel OOM-kills the main container (exit 137, reason OOMKilled); the kubelet restarts it at once. */
function* oomKill(sim: Sim, p: PodRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  const c = p.containers[0] as ContainerRt;
  yield* sim.enter();
  const inc = p.book.incident('oom-killed', sim.now, { container: c.name });
  const diedUs = sim.now;
  const ns = rng.int(1_000_000_000);
  const cgroup = `${PodFactory.cgroupSlice(p)}/${R.rt === 'docker' ? 'docker' : 'cri-containerd'}-${c.id}.scope`;
  inc.ev(R.oomEvent(c, rng.intIn(2000, 400000), goTimeString(diedUs, ns % 1000, sim.cfg.tz), rfc3339NanoUtc(diedUs, ns % 1000), cgroup));
  c.exitCode = 137;
  c.finishedUs = diedUs;
  yield rng.intIn(50, 1000) * MS; // PLEG relist
  plegDied(sim, p, c, inc);
  yield rng.intIn(5, 60) * MS;
  syncBegin(sim, p, 'Running', 'Running');
  const oldId = yield* restartContainer(sim, p, c);
  c.exitCode = 0;
  syncExit(sim, p);
  inc.ev(R.patchStatus(p, patchRestarted(p, c, oldId, 'OOMKilled', 137, diedUs, sim.now)));
  yield rng.intIn(100, 1000) * MS;
  R.genericPleg(p, c.id, 'non-existent', 'running');
  R.plegEvent(p, 'ContainerStarted', c.id);
  syncOnce(sim, p, 'Running', 'Running');
  sim.leave();
}

/** Three failed liveness probes: the container is killed with its grace period and started again. */
function* livenessRestart(sim: Sim, p: PodRt, c: ContainerRt): Actor {
  const R = sim.R;
  const rng = sim.rng;
  yield* sim.enter();
  const inc = p.book.incident('probe-restart', sim.now, { container: c.name, detail: 'liveness' });
  for (let i = 0; i < 3; i++) {
    const out = c.probe === 'http' ? `HTTP probe failed with statuscode: 500` : `dial tcp ${p.ip}:${c.port}: i/o timeout`;
    inc.ev(R.probeFailed(p, c, 'Liveness', out));
    inc.ev(R.event(p, c, 'Warning', 'Unhealthy', `Liveness probe failed: ${out}`));
    if (i < 2) yield 10 * SEC + rng.int(20 * MS);
  }
  inc.ev(R.syncLoopProbe(p, 'liveness', 'unhealthy'));
  yield rng.intIn(1, 20) * MS;
  syncBegin(sim, p, 'Running', 'Running');
  const why = `Container ${c.name} failed liveness probe, will be restarted`;
  inc.ev(R.messageForContainer(p, c, why));
  inc.ev(R.event(p, c, 'Normal', 'Killing', why));
  inc.ev(R.killingGrace(p, c, p.grace));
  yield Math.max(5 * MS, Math.min(p.termSeconds, p.grace) * SEC + rng.intIn(0, 50) * MS);
  const diedUs = sim.now;
  R.exitedNormally(p, c);
  const oldId = c.id;
  const oldC = { ...c };
  yield* restartContainer(sim, p, c);
  syncExit(sim, p);
  yield rng.intIn(100, 1000) * MS; // PLEG relist: the old container died, the new one started
  oldC.exitCode = 143;
  plegDied(sim, p, oldC, inc);
  R.genericPleg(p, c.id, 'non-existent', 'running');
  R.plegEvent(p, 'ContainerStarted', c.id);
  syncOnce(sim, p, 'Running', 'Running');
  inc.ev(R.patchStatus(p, patchRestarted(p, c, oldId, 'Error', 143, diedUs, sim.now)));
  sim.leave();
}

// Discrete-event scheduler and the shared simulation context. Every actor (a pod, a node loop) is
// a generator that emits records through the Renderer and yields the number of microseconds it
// wants to sleep. The clock only moves forward: each record advances it by a few µs, so record
// times are strictly increasing and the ground truth can name exact line times.

import type { Resolved } from './options.js';
import type { AnomalyTruth, GroundTruth, PodTruth, RestartTruth, Severity } from './types.js';
import type { PodRt, WorkloadRt } from './model.js';
import { Rng } from './rng.js';
import { EnvelopeWriter, Output, type Sink } from './envelope.js';
import { KlogClock, epochMillisFromUs } from './timefmt.js';
import { Renderer, KUBELET_FULL_VERSION, type RecordSink } from './render.js';
import type { Site } from './sites.js';
import { PodBook, type BoundaryMode } from './truth.js';
import { PodFactory, buildWorkloads } from './workloads.js';

export type Actor = Generator<number, void, void>;

interface Task {
  at: number;
  seq: number;
  gen: Actor;
  system: boolean;
}

class Heap {
  private a: Task[] = [];
  get size(): number {
    return this.a.length;
  }
  private less(x: Task, y: Task): boolean {
    return x.at < y.at || (x.at === y.at && x.seq < y.seq);
  }
  push(t: Task): void {
    const a = this.a;
    a.push(t);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const ap = a[p] as Task;
      if (!this.less(t, ap)) break;
      a[i] = ap;
      i = p;
    }
    a[i] = t;
  }
  pop(): Task | undefined {
    const a = this.a;
    if (a.length === 0) return undefined;
    const top = a[0] as Task;
    const last = a.pop() as Task;
    if (a.length > 0) {
      let i = 0;
      const n = a.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        let c = l;
        if (r < n && this.less(a[r] as Task, a[l] as Task)) c = r;
        if (!this.less(a[c] as Task, last)) break;
        a[i] = a[c] as Task;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

export const MS = 1000;
export const SEC = 1_000_000;

export class Sim implements RecordSink {
  readonly cfg: Resolved;
  readonly rng: Rng;
  readonly out: Output;
  readonly env: EnvelopeWriter;
  readonly R: Renderer;
  readonly mode: BoundaryMode;
  readonly v4: boolean;
  readonly factory: PodFactory;
  readonly workloads: WorkloadRt[];
  private readonly klock: KlogClock;
  private readonly heap = new Heap();
  private seqN = 0;
  private readonly json: boolean;

  now: number;
  pid = 0;
  private pidPad = '';
  processStartUs = 0;
  readonly pids: number[] = [];

  records = 0;
  readonly bySev: Record<Severity, number> = { I: 0, W: 0, E: 0, F: 0 };
  lastRecordUs = 0;
  firstRecordUs = -1;

  /** Pods in a multi-step transition (start, teardown). Restarts and the final cut wait for 0. */
  crit = 0;
  /** New transitions wait while closed (restart drain, final drain). */
  gateClosed = false;
  /** Kubelet process not running: non-system actors are postponed to `upAt`. */
  down = false;
  upAt = 0;
  stopping = false;
  ended = false;
  stopAt = 0;

  /** Every pod ever created (truth order). */
  readonly allBooks: PodBook[] = [];
  readonly anomalies: AnomalyTruth[] = [];
  readonly restarts: RestartTruth[] = [];
  /** Pods known to the kubelet (ADDed, not yet REMOVEd), incl. static pods. */
  readonly alive = new Set<PodRt>();
  /** Mirror pods (API objects of static pods). */
  readonly mirrors: PodRt[] = [];
  /** Non-mirror pods created so far. */
  created = 0;
  /** Finite pods whose worker has not finished yet (pods mode drains these). */
  inflight = 0;
  stuckRemaining: number;
  restartsRemaining: number;
  /** Reference counts of configmap/secret reflectors. */
  private readonly reflectors = new Map<string, number>();

  constructor(cfg: Resolved, sink: Sink) {
    this.cfg = cfg;
    const root = new Rng(cfg.seed);
    this.rng = root.fork();
    const envRng = root.fork();
    const wlRng = root.fork();
    this.now = cfg.startUs;
    this.json = cfg.version === 'json';
    this.out = new Output(sink, cfg.chunkSize);
    this.pid = this.newPid();
    this.env = new EnvelopeWriter(
      { kind: cfg.envelope, host: cfg.host, ident: cfg.ident, pid: this.pid, tz: cfg.transportTz, isoColon: cfg.isoColon, jsonPrefix: cfg.jsonPrefix, rng: envRng },
      this.out,
    );
    this.setPid(this.pid);
    this.klock = new KlogClock(cfg.tz);
    this.R = new Renderer({ version: cfg.version, verbosity: cfg.verbosity, runtime: cfg.runtime, node: cfg.node }, this);
    this.v4 = !this.R.legacy && cfg.verbosity >= 4;
    this.mode = this.v4 ? 'enter-exit' : 'v2';
    const k8sVersion = KUBELET_FULL_VERSION[cfg.version];
    this.workloads = buildWorkloads(wlRng, { version: cfg.version, k8sVersion, overrides: cfg.workloads });
    this.factory = new PodFactory(wlRng, this.R, cfg.node, k8sVersion, (truth) => {
      const b = new PodBook(truth, this.anomalies);
      this.allBooks.push(b);
      return b;
    });
    this.stuckRemaining = cfg.anomalies.stuckTerminating;
    this.restartsRemaining = cfg.restarts;
  }

  newPid(): number {
    return this.rng.intIn(600, 40000);
  }

  setPid(pid: number): void {
    this.pid = pid;
    this.pids.push(pid);
    this.pidPad = ' ' + String(pid).padStart(7, ' ') + ' ';
    this.env.setPid(pid);
    this.processStartUs = this.now;
  }

  // ------------------------------------------------------------------ RecordSink

  record(sev: Severity, site: Site, body: string): number {
    this.now += 2 + (this.rng.u32() & 63);
    const t = this.now;
    const line = this.json ? `{"ts":${epochMillisFromUs(t)},"caller":"${site.j}","msg":${body}}` : sev + this.klock.at(t) + this.pidPad + site.t + body;
    this.env.record(line, t);
    this.records++;
    this.bySev[sev]++;
    this.lastRecordUs = t;
    if (this.firstRecordUs < 0) this.firstRecordUs = t;
    return t;
  }

  // ------------------------------------------------------------------ scheduling

  spawn(gen: Actor, delayUs = 0, system = false): void {
    this.heap.push({ at: this.now + Math.max(0, Math.round(delayUs)), seq: this.seqN++, gen, system });
  }

  /** Enter a multi-step transition: wait while the gate is closed, then count as critical. */
  *enter(): Actor {
    while (this.gateClosed) yield 250 * MS;
    this.crit++;
  }

  leave(): void {
    this.crit--;
  }

  /** Progress towards the end condition, 0..1. */
  progress(): number {
    if (this.cfg.targetBytes !== null) return this.out.approxBytes / this.cfg.targetBytes;
    return this.created / (this.cfg.pods as number);
  }

  private checkStop(): void {
    if (!this.stopping) {
      const reached = this.cfg.targetBytes !== null ? this.out.approxBytes >= this.cfg.targetBytes : this.created >= (this.cfg.pods as number);
      if (reached) {
        this.stopping = true;
        this.stopAt = this.now;
        if (this.cfg.targetBytes !== null) this.gateClosed = true;
      }
      return;
    }
    if (this.cfg.targetBytes !== null) {
      if ((this.crit <= 0 && !this.down) || this.now > this.stopAt + 120 * SEC) this.ended = true;
    } else if ((this.inflight <= 0 && this.crit <= 0 && !this.down) || this.now > this.stopAt + 3 * 3600 * SEC) {
      this.ended = true;
    }
  }

  async run(): Promise<void> {
    const heap = this.heap;
    while (!this.ended) {
      const task = heap.pop();
      if (!task) break;
      if (task.at > this.now) this.now = task.at;
      if (this.down && !task.system) {
        task.at = this.upAt + this.rng.int(300 * MS);
        task.seq = this.seqN++;
        heap.push(task);
        continue;
      }
      const r = task.gen.next();
      if (!r.done) {
        const d = r.value as number;
        task.at = this.now + (d > 0 ? Math.round(d) : 0);
        task.seq = this.seqN++;
        heap.push(task);
      }
      if (this.out.full) await this.out.flush();
      this.checkStop();
    }
    await this.out.flush();
  }

  // ------------------------------------------------------------------ truth helpers

  added(p: PodRt, t: number): void {
    if (t < 0) return;
    if (p.book.truth.addedUs === null) p.book.truth.addedUs = t;
    if (!this.v4) p.book.v2Sync(t, this.pid);
  }
  syncEnter(p: PodRt, t: number): void {
    if (this.v4) p.book.syncEnter(t, this.pid);
  }
  syncExit(p: PodRt, t: number): void {
    if (this.v4) p.book.syncExit(t);
  }
  termEnter(p: PodRt, t: number): void {
    if (this.v4) p.book.termEnter(t, this.pid);
  }
  termExit(p: PodRt, t: number, success: boolean): void {
    if (this.v4) p.book.termExit(t, success);
  }
  termdEnter(p: PodRt, t: number): void {
    if (this.v4) p.book.termdEnter(t, this.pid);
  }
  termdExit(p: PodRt, t: number): void {
    if (this.v4) p.book.termdExit(t);
  }
  /** v2 terminating start (SyncLoop DELETE, or the completed app container's PLEG ContainerDied). */
  v2Terminating(p: PodRt, t: number): void {
    if (!this.v4) p.book.v2Terminating(t, this.pid);
  }
  v2Terminated(p: PodRt, t: number): void {
    if (!this.v4) p.book.v2Terminated(t, this.pid);
  }
  v2TerminatedEnd(p: PodRt, t: number): void {
    if (!this.v4) p.book.v2TerminatedEnd(t);
  }
  deleted(p: PodRt, t: number): void {
    if (t >= 0 && p.book.truth.deletedUs === null) p.book.truth.deletedUs = t;
  }
  /** The worker finished (`Pod is complete and the worker can now stop`). */
  workerDone(p: PodRt, t: number): void {
    if (!p.finished) {
      p.finished = true;
      p.book.truth.openAtEnd = false;
      if (p.kind !== 'DaemonSet' && p.kind !== 'Static') this.inflight--;
    }
    if (this.v4 && t >= 0) p.book.truth.finishedUs = t;
  }
  removed(p: PodRt, t: number): void {
    if (t >= 0) p.book.truth.removedUs = t;
    if (!this.v4 && t >= 0) p.book.truth.finishedUs = t;
    this.alive.delete(p);
  }
  globalAnomaly(kind: AnomalyTruth['kind'], t: number, detail?: string): void {
    if (t < 0) return;
    this.anomalies.push(detail === undefined ? { kind, tUs: t } : { kind, tUs: t, detail });
  }

  // ------------------------------------------------------------------ reflectors (configmap/secret watches)

  /** A new kubelet process has no watches yet. */
  resetReflectors(): void {
    this.reflectors.clear();
  }

  refAcquire(p: PodRt): void {
    for (const v of p.volumes) {
      if (!v.ref) continue;
      const key = `${v.ref.kind}\u0000${p.ns}\u0000${v.ref.name}`;
      const n = this.reflectors.get(key) ?? 0;
      this.reflectors.set(key, n + 1);
      if (n === 0) this.R.reflectorStart(v.ref.kind, p.ns, v.ref.name);
    }
  }
  refRelease(p: PodRt): void {
    for (const v of p.volumes) {
      if (!v.ref) continue;
      const key = `${v.ref.kind}\u0000${p.ns}\u0000${v.ref.name}`;
      const n = this.reflectors.get(key) ?? 0;
      if (n <= 1) {
        this.reflectors.delete(key);
        if (n === 1) this.R.reflectorStop(v.ref.kind, p.ns, v.ref.name);
      } else this.reflectors.set(key, n - 1);
    }
  }

  // ------------------------------------------------------------------ result

  truth(): GroundTruth {
    const pods: PodTruth[] = [];
    let open = 0;
    for (const b of this.allBooks) {
      b.finalize();
      pods.push(b.truth);
      if (b.truth.openAtEnd) open++;
    }
    const c = this.cfg;
    return {
      generator: 'kubelog-generator/1',
      options: {
        seed: c.seed,
        kubeletVersion: c.version,
        verbosity: c.verbosity,
        envelope: c.envelope,
        tz: c.tzSpec,
        transportTz: c.transportTzSpec,
        node: c.node,
        host: c.host,
        start: c.start,
        targetBytes: c.targetBytes,
        pods: c.pods,
        runtime: c.runtime,
      },
      boundaryMode: this.mode,
      startUs: this.firstRecordUs < 0 ? c.startUs : this.firstRecordUs,
      endUs: this.lastRecordUs,
      pids: this.pids,
      restarts: this.restarts,
      pods,
      anomalies: this.anomalies.slice().sort((a, b) => a.tUs - b.tUs),
      totals: {
        lines: this.out.lines,
        records: this.records,
        continuationLines: this.env.continuationLines,
        foreignLines: this.env.foreignLines,
        bytes: this.out.bytesFlushed,
        pods: pods.length,
        podsOpenAtEnd: open,
        recordsBySeverity: { ...this.bySev },
      },
    };
  }
}

// Discrete-event scheduler and the shared simulation context. Every actor (a pod, a node loop) is
// a generator that emits records through the Renderer and yields the number of microseconds it
// wants to sleep. The clock only moves forward: each record advances it by a few µs, so record
// times are strictly increasing and the ground truth can name exact line times. A record the
// verbosity leaves out advances the clock the same way (from its own RNG stream), so the same seed
// simulates the same node at every verbosity and the truth does not depend on it.

import type { Resolved } from './options.js';
import type { AnomalyTruth, GroundTruth, IncidentKind, NodeEventKind, NodeEventTruth, PodTruth, ProcessTruth, Severity } from './types.js';
import type { PodRt, WorkloadRt } from './model.js';
import { Rng } from './rng.js';
import { EnvelopeWriter, Output, type Sink } from './envelope.js';
import { KlogClock, epochMillisFromUs } from './timefmt.js';
import { Renderer, type RecordSink } from './render.js';
import { NodeMessages } from './render-node.js';
import type { Site } from './sites.js';
import { Incident, PodBook, newIncident } from './truth.js';
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

/** A node-level event being recorded. */
export class NodeEvent {
  constructor(readonly e: NodeEventTruth) {}
  ev(t: number): number {
    if (t >= 0) this.e.evidenceUs.push(t);
    return t;
  }
  end(t: number): void {
    if (this.e.endUs === null) this.e.endUs = t;
  }
}

export class Sim implements RecordSink {
  readonly cfg: Resolved;
  readonly rng: Rng;
  /** µs steps between records: its own stream, so records that come and go do not move the decisions. */
  private readonly clockRng: Rng;
  readonly out: Output;
  readonly env: EnvelopeWriter;
  readonly R: Renderer;
  readonly N: NodeMessages;
  readonly mode: 'enter-exit' | 'v2';
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
  readonly processes: ProcessTruth[] = [];
  /** The first record left out during the current `at` call (-1: none). */
  private firstSkipUs = -1;
  /** The record time of the last `at` call's line, -1 when it is not in the log. */
  shown = -1;

  records = 0;
  readonly bySev: Record<Severity, number> = { I: 0, W: 0, E: 0, F: 0 };
  lastRecordUs = 0;
  firstRecordUs = -1;

  /** Pods in a multi-step transition (start, teardown). Restarts and the final cut wait for 0. */
  crit = 0;
  /** New transitions wait while closed (restart drain, final drain, node incidents). */
  gateClosed = false;
  /** Kubelet process not running: non-system actors are postponed to `upAt`. */
  down = false;
  upAt = 0;
  stopping = false;
  ended = false;
  stopAt = 0;
  /** The container network is not ready (CNI not initialized): pod sandboxes cannot be created. */
  networkReady = true;
  /** The node event of the current network outage (its `Error syncing pod` lines are its evidence). */
  networkEvent: NodeEvent | null = null;
  /** The node is under memory/disk pressure (the eviction manager is busy evicting). */
  pressure = false;
  /** A node-wide episode is running (see quiesce). */
  private exclusive = false;

  /** Every pod ever created (truth order). */
  readonly allBooks: PodBook[] = [];
  readonly anomalies: AnomalyTruth[] = [];
  readonly nodeEvents: NodeEventTruth[] = [];
  /** Pods known to the kubelet (ADDed, not yet REMOVEd), incl. static pods. */
  readonly alive = new Set<PodRt>();
  /** Mirror pods (API objects of static pods). */
  readonly mirrors: PodRt[] = [];
  /** Non-mirror pods created so far. */
  created = 0;
  /** Finite pods whose worker has not finished yet (pods mode drains these). */
  inflight = 0;
  stuckRemaining: number;
  /** Restarts and crashes still to come (a stuck teardown is only started after the last). */
  processEndsRemaining: number;
  /** Reference counts of configmap/secret reflectors. */
  private readonly reflectors = new Map<string, number>();

  constructor(cfg: Resolved, sink: Sink) {
    this.cfg = cfg;
    const root = new Rng(cfg.seed);
    this.rng = root.fork();
    const envRng = root.fork();
    const wlRng = root.fork();
    this.clockRng = root.fork();
    this.now = cfg.startUs;
    this.json = cfg.logFormat === 'json';
    this.out = new Output(sink, cfg.chunkSize);
    this.pid = this.newPid();
    this.env = new EnvelopeWriter(
      { kind: cfg.envelope, host: cfg.host, ident: cfg.ident, pid: this.pid, tz: cfg.transportTz, isoColon: cfg.isoColon, jsonPrefix: cfg.jsonPrefix, rng: envRng, stderrInLog: cfg.envelope !== 'klog' || !cfg.klogFileHeader },
      this.out,
    );
    this.setPid(this.pid);
    this.klock = new KlogClock(cfg.tz);
    this.R = new Renderer({ profile: cfg.profile, logFormat: cfg.logFormat, verbosity: cfg.verbosity, runtime: cfg.runtime, node: cfg.node }, this);
    this.N = new NodeMessages(this.R);
    this.mode = this.R.newWorker && cfg.verbosity >= 4 ? 'enter-exit' : 'v2';
    const k8sVersion = cfg.profile.full;
    this.workloads = buildWorkloads(wlRng, { minor: cfg.profile.minor, k8sVersion, overrides: cfg.workloads });
    this.factory = new PodFactory(wlRng, this.R, cfg.node, k8sVersion, (truth) => {
      const b = new PodBook(truth, this.anomalies);
      this.allBooks.push(b);
      return b;
    });
    this.stuckRemaining = cfg.anomalies.stuckTerminating;
    this.processEndsRemaining = cfg.restarts + cfg.nodeIncidents.crashes;
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
    this.processes.push({ pid, startUs: -1, endUs: -1, end: 'log-end' });
  }

  get process(): ProcessTruth {
    return this.processes[this.processes.length - 1] as ProcessTruth;
  }

  // ------------------------------------------------------------------ RecordSink

  private tick(): number {
    this.now += 2 + (this.clockRng.u32() & 63);
    return this.now;
  }

  record(sev: Severity, site: Site, body: string): number {
    const t = this.tick();
    let line: string;
    if (this.json) line = site.j ? `{"ts":${epochMillisFromUs(t)},"caller":"${site.j}","msg":${body}}` : `{"ts":${epochMillisFromUs(t)},"msg":${body}}`;
    else line = sev + this.klock.at(t) + this.pidPad + site.t + body;
    this.env.record(line, t);
    this.records++;
    this.bySev[sev]++;
    this.lastRecordUs = t;
    if (this.firstRecordUs < 0) this.firstRecordUs = t;
    const proc = this.process;
    if (proc.startUs < 0) proc.startUs = t;
    proc.endUs = t;
    return t;
  }

  skip(): number {
    const t = this.tick();
    if (this.firstSkipUs < 0) this.firstSkipUs = t;
    return -1;
  }

  /**
   * The true time of a transition the renderer call `emit` logs: its record's time, or where the
   * clock moved for it when the verbosity leaves it out, or one clock step when this version does
   * not log it at all. `shown` keeps the record time (-1 when not in the log) for evidence lists.
   */
  at(emit: () => number): number {
    this.firstSkipUs = -1;
    const t = emit();
    this.shown = t;
    if (t >= 0) return t;
    if (this.firstSkipUs >= 0) return this.firstSkipUs;
    return this.tick();
  }

  /** Header-less lines of a crash report (written where the kubelet's stderr goes). */
  crashText(lines: readonly string[]): number {
    return this.env.crash(lines, this.now);
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

  /**
   * For a node-wide episode (restart, crash, eviction, PLEG loss): waits for the previous one to
   * finish and for every pod transition to settle, and closes the gate. False when the log is ending.
   */
  *quiesce(): Generator<number, boolean, void> {
    while (this.exclusive) {
      if (this.stopping) return false;
      yield 500 * MS;
    }
    this.exclusive = true;
    this.gateClosed = true;
    while (this.crit > 0) {
      if (this.stopping) {
        this.reopen();
        return false;
      }
      yield 100 * MS;
    }
    return true;
  }

  /** The episode is over: new transitions may start (unless the log is draining to its end). */
  reopen(): void {
    this.exclusive = false;
    if (!(this.stopping && this.cfg.targetBytes !== null)) this.gateClosed = false;
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
    if (t >= 0 && p.book.truth.addedUs === null) p.book.truth.addedUs = t;
  }
  deleted(p: PodRt, t: number): void {
    if (t >= 0 && p.book.truth.deletedUs === null) p.book.truth.deletedUs = t;
  }
  /** The worker finished (`Pod is complete and the worker can now stop`, logged or not). */
  workerDone(p: PodRt, t: number): void {
    if (!p.finished) {
      p.finished = true;
      if (p.kind !== 'DaemonSet' && p.kind !== 'Static') this.inflight--;
    }
    p.state = 'finished';
    p.book.finish(t);
  }
  removed(p: PodRt, t: number): void {
    if (t >= 0) p.book.truth.removedUs = t;
    this.alive.delete(p);
    p.alive = false;
  }
  globalIncident(kind: IncidentKind, t: number, detail?: string): Incident {
    const a = newIncident(kind, t, detail === undefined ? {} : { detail });
    this.anomalies.push(a);
    return new Incident(a);
  }
  nodeEvent(kind: NodeEventKind, t: number, detail?: string): NodeEvent {
    const e: NodeEventTruth = { kind, startUs: t, endUs: null, evidenceUs: [], ...(detail === undefined ? {} : { detail }) };
    this.nodeEvents.push(e);
    return new NodeEvent(e);
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
      if (n === 0) this.N.reflectorStart(v.ref.kind, p.ns, v.ref.name);
    }
  }
  refRelease(p: PodRt): void {
    for (const v of p.volumes) {
      if (!v.ref) continue;
      const key = `${v.ref.kind}\u0000${p.ns}\u0000${v.ref.name}`;
      const n = this.reflectors.get(key) ?? 0;
      if (n <= 1) {
        this.reflectors.delete(key);
        if (n === 1) this.N.reflectorStop(v.ref.kind, p.ns, v.ref.name);
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
    for (const a of this.anomalies) a.evidenceUs.sort((x, y) => x - y);
    for (const e of this.nodeEvents) e.evidenceUs.sort((x, y) => x - y);
    const processes = this.processes.filter((p) => p.startUs >= 0);
    // the log ended while systemd restarted the kubelet: a stop with no new process
    const lastProc = processes.at(-1);
    if (lastProc?.end === 'restart') lastProc.end = 'stop';
    const c = this.cfg;
    return {
      generator: 'kubelog-generator/2',
      options: {
        seed: c.seed,
        kubeletVersion: c.version,
        logFormat: c.logFormat,
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
      processes,
      restarts: processes.slice(1).map((b, i) => {
        const a = processes[i] as ProcessTruth;
        return { lastRecordUs: a.endUs, firstRecordUs: b.startUs, oldPid: a.pid, newPid: b.pid, how: a.end === 'crash' ? 'crash' : 'restart' };
      }),
      nodeEvents: this.nodeEvents.slice().sort((a, b) => a.startUs - b.startUs),
      pods,
      anomalies: this.anomalies.slice().sort((a, b) => a.tUs - b.tUs),
      totals: {
        lines: this.out.lines,
        records: this.records,
        continuationLines: this.env.continuationLines,
        foreignLines: this.env.foreignLines,
        crashLines: this.env.crashLines,
        bytes: this.out.bytesFlushed,
        pods: pods.length,
        podsOpenAtEnd: open,
        recordsBySeverity: { ...this.bySev },
      },
    };
  }
}
